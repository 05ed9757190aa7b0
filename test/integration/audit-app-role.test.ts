// PostgreSQL only (SQLite has no roles; its triggers are the guard there): the app serves as a
// role made by scripts/db/app-role.sql, and that role cannot rewrite the audit log.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { recordAuditAlone } from '@/lib/audit/record';
import { verifyAuditChain } from '@/lib/audit/verify-chain';
import { signInAgencyUser } from '@/lib/auth/sign-in';
import { createDb, type Db } from '@/lib/db/client';
import { databaseKind } from '@/lib/db/kind';
import { createAgency, createUser } from '@/prisma/factories';
import { applyAppRole } from '@/scripts/db/app-role';
import { withFreshDatabase } from '../support/fresh-database';

const onPostgres = databaseKind(process.env.DATABASE_URL!) === 'postgresql';
const PASSWORD = 'copper meadow lantern drift';
const roles: string[] = [];

function urlAs(url: string, user: string, password: string) {
  return Object.assign(new URL(url), { username: user, password }).toString();
}

/** Uses `database` as the app's process-wide client (db()) while `run` runs. */
async function servingAs<T>(database: Db, run: () => Promise<T>): Promise<T> {
  const globalForDb = globalThis as unknown as { portalDb?: Db };
  const before = globalForDb.portalDb;
  globalForDb.portalDb = database;
  try {
    return await run();
  } finally {
    globalForDb.portalDb = before;
  }
}

afterAll(async () => {
  if (!onPostgres || roles.length === 0) return;
  const owner = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await owner.connect();
  for (const role of roles) await owner.query(`DROP ROLE IF EXISTS "${role}"`);
  await owner.end();
});

describe.skipIf(!onPostgres)('the app role on PostgreSQL', () => {
  it('[APP ROLE] does the app’s work but cannot update, delete, truncate or unguard the audit log', async () => {
    await withFreshDatabase(async (ownerDb, ownerUrl) => {
      const role = `portal_app_${randomBytes(4).toString('hex')}`;
      const password = randomBytes(12).toString('hex');
      roles.push(role);
      await applyAppRole(ownerUrl, role, password);
      await applyAppRole(ownerUrl, role); // again, as after a later migration: still fine
      const appUrl = urlAs(ownerUrl, role, password);
      const appDb = createDb(appUrl);
      const app = new pg.Client({ connectionString: appUrl });
      await app.connect();
      try {
        // The app's normal work, as the app role.
        const agency = await createAgency(appDb);
        const user = await createUser(appDb, agency.id, PASSWORD);
        await recordAuditAlone(appDb, { actorType: 'SYSTEM', action: 'TEST_EVENT', outcome: 'SUCCESS', requestId: 'req-app-role' });
        const creds = { providerCode: agency.code, loginName: user.loginName, password: PASSWORD };
        await servingAs(appDb, async () => {
          expect(await signInAgencyUser({ ...creds, password: 'not it at all, sorry' }, '192.0.2.50')).toEqual({ ok: false, reason: 'INVALID' });
          expect(await signInAgencyUser(creds, '192.0.2.50')).toMatchObject({ ok: true });
        });
        expect((await app.query('SELECT count(*)::int AS n FROM "AuditEvent"')).rows[0].n).toBeGreaterThanOrEqual(3);
        const before = await verifyAuditChain(ownerDb);
        expect(before.ok).toBe(true);

        // Every way to change history: each must be refused for lack of privilege (42501),
        // not for a typo that would make this test pass by itself.
        const attempts = [
          `UPDATE "AuditEvent" SET "outcome" = 'SUCCESS'`,
          `UPDATE "AuditEvent" SET "requestId" = NULL WHERE "seq" = 1`,
          `DELETE FROM "AuditEvent"`,
          `TRUNCATE "AuditEvent"`,
          `ALTER TABLE "AuditEvent" DISABLE TRIGGER ALL`,
          `ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_no_update_delete"`,
          `DROP TRIGGER "AuditEvent_no_update_delete" ON "AuditEvent"`,
          `DROP TRIGGER "AuditEvent_no_truncate" ON "AuditEvent"`,
          `CREATE OR REPLACE FUNCTION "AuditEvent_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$`,
          `DROP FUNCTION "AuditEvent_append_only"() CASCADE`,
          `SET session_replication_role = replica`,
          `ALTER TABLE "AuditEvent" RENAME TO "AuditEventOld"`,
          `DROP TABLE "AuditEvent"`,
          `ALTER TABLE "AuditEvent" OWNER TO CURRENT_USER`,
          `SET ROLE postgres`,
          `UPDATE "_prisma_migrations" SET "checksum" = 'x'`,
        ];
        for (const sql of attempts) {
          await expect(app.query(sql), sql).rejects.toMatchObject({ code: '42501' });
        }
        // Granting itself what it lacks only warns ("no privileges were granted"): still refused.
        await app.query(`GRANT UPDATE, DELETE, TRUNCATE ON "AuditEvent" TO CURRENT_USER`);
        await expect(app.query(`DELETE FROM "AuditEvent"`)).rejects.toMatchObject({ code: '42501' });
        // Through the app's own client too.
        await expect(appDb.auditEvent.deleteMany({})).rejects.toThrow(/permission denied/);
        await expect(appDb.auditEvent.updateMany({ data: { outcome: 'SUCCESS' } })).rejects.toThrow(/permission denied/);

        expect(await verifyAuditChain(ownerDb)).toEqual(before);

        // Tables a later migration creates (as the owner) are the app's to use, by default privileges.
        await ownerDb.$executeRawUnsafe('CREATE TABLE "LaterFeature" ("id" serial PRIMARY KEY, "note" text)');
        await app.query(`INSERT INTO "LaterFeature" ("note") VALUES ('works')`);
        expect((await app.query('SELECT "note" FROM "LaterFeature"')).rows).toEqual([{ note: 'works' }]);
      } finally {
        await app.end();
        await appDb.$disconnect();
      }
    });
  });

  it('refuses to make the owner, or a member of the owner, the app role', async () => {
    await withFreshDatabase(async (_ownerDb, ownerUrl) => {
      const owner = new URL(ownerUrl).username;
      await expect(applyAppRole(ownerUrl, owner)).rejects.toThrow(/must not be the owner/);
      const member = `portal_member_${randomBytes(4).toString('hex')}`;
      roles.push(member);
      const client = new pg.Client({ connectionString: ownerUrl });
      await client.connect();
      await client.query(`CREATE ROLE "${member}" LOGIN IN ROLE "${owner}"`);
      await client.end();
      await expect(applyAppRole(ownerUrl, member)).rejects.toThrow(/owns \(or is a member of the owner of\)/);
    });
  });

  it('refuses PostgreSQL’s own roles and group roles, and grants them nothing (review r34g F5)', async () => {
    await withFreshDatabase(async (_ownerDb, ownerUrl) => {
      const group = `portal_group_${randomBytes(4).toString('hex')}`;
      roles.push(group);
      const client = new pg.Client({ connectionString: ownerUrl });
      await client.connect();
      try {
        await client.query(`CREATE ROLE "${group}" NOLOGIN`);
        await expect(applyAppRole(ownerUrl, 'pg_read_all_data')).rejects.toThrow(/one of PostgreSQL's own/);
        await expect(applyAppRole(ownerUrl, group)).rejects.toThrow(/cannot log in/);
        const granted = await client.query(`SELECT count(*)::int AS n FROM information_schema.role_table_grants WHERE grantee IN ('pg_read_all_data', $1)`, [group]);
        expect(granted.rows[0].n).toBe(0);
      } finally {
        await client.end();
      }
    });
  });
});
