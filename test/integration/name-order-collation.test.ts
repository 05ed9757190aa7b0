// The console sorts by name in SQL (the list, a search) and in JavaScript (a filter's few matches):
// both orders must agree on a PostgreSQL server whose default collation is linguistic, which sorts
// "émile" next to "emma" while code-unit order puts it after "zoë".
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createDb } from '@/lib/db/client';
import { databaseKind } from '@/lib/db/kind';
import { normalizeKey } from '@/lib/validation/identifiers';
import { searchTermRows } from '@/lib/admin/user-search-terms';
import { applyMigrations } from '@/scripts/db/migrate';

const onPostgres = databaseKind(process.env.DATABASE_URL!) === 'postgresql';
const NAMES = ['Ezra Pound', 'Émile Zola', 'Emma Stone', 'Zoë Baker', 'eve-marie Lee', 'Eve Adams', 'Ángel Ruiz', 'Anna Berg', 'Ana Smith'];
const codeUnitOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe.skipIf(!onPostgres)('name order on a server with a linguistic collation', () => {
  it('lists by name in SQL in the order the console sorts in JavaScript', async () => {
    const name = `icu_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`);
    const url = Object.assign(new URL(process.env.DATABASE_URL!), { pathname: `/${name}` }).toString();
    const database = createDb(url);
    try {
      await applyMigrations(url);
      const agency = await database.agency.create({ data: { name: 'Order', code: 'ORDER', codeKey: 'order', phoneOnRecord: '+1 555 0100' } });
      for (const [i, displayName] of NAMES.entries()) {
        const user = await database.user.create({
          data: { agencyId: agency.id, loginName: `u${i}`, loginKey: `u${i}`, displayName, nameKey: normalizeKey(displayName), passwordHash: 'x' },
        });
        await database.userSearchTerm.createMany({ data: searchTermRows(user) });
      }
      const expected = NAMES.map(normalizeKey).sort(codeUnitOrder);
      // The database itself would sort these otherwise: the test is only worth something if so.
      const linguistic = await admin.query<{ key: string }>(`SELECT key FROM unnest($1::text[]) AS key ORDER BY key COLLATE "en-US-x-icu"`, [expected]);
      expect(linguistic.rows.map((row) => row.key)).not.toEqual(expected);

      const listed = await database.user.findMany({ where: { agencyId: agency.id }, orderBy: [{ nameKey: 'asc' }, { id: 'asc' }], select: { nameKey: true } });
      expect(listed.map((user) => user.nameKey)).toEqual(expected);
      const searched = await database.userSearchTerm.groupBy({ by: ['nameKey', 'userId'], where: { agencyId: agency.id }, orderBy: [{ nameKey: 'asc' }, { userId: 'asc' }] });
      expect(searched.map((row) => row.nameKey)).toEqual(expected);
    } finally {
      await database.$disconnect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });
});
