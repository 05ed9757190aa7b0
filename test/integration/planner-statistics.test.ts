import { describe, expect, it } from 'vitest';
import { config } from '@/lib/config';
import { db } from '@/lib/db/client';
import { databaseKind } from '@/lib/db/kind';
import { refreshPlannerStatistics } from '@/lib/db/planner-statistics';
import { createAgency, createUser } from '@/prisma/factories';

describe.runIf(databaseKind(config().DATABASE_URL) === 'sqlite')('planner statistics (SQLite)', () => {
  it('stores statistics for the console filter indexes, so the planner can see that admins are few', async () => {
    const agency = await createAgency(db());
    await createUser(db(), agency.id, 'granite willow ocean falcon', { role: 'PROVIDER_ADMIN' });
    await db().$executeRawUnsafe('DROP TABLE IF EXISTS sqlite_stat1');

    await refreshPlannerStatistics(db(), 'sqlite', { firstTime: true });

    const rows = await db().$queryRawUnsafe<{ idx: string }[]>(`SELECT idx FROM sqlite_stat1 WHERE tbl = 'User'`);
    expect(rows.map((row) => row.idx)).toEqual(
      expect.arrayContaining(['User_agencyId_role_lastSignInAt_id_idx', 'User_agencyId_status_lastSignInAt_id_idx']),
    );
  });
});
