import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startThrowawayPostgres } from '@/test/support/throwaway-postgres';
import { createMigrationFor } from './create-migration';
import { applyMigrations, pendingMigrations } from './migrate';
import { databaseKind, migrationsDir, type DatabaseKind } from './schema-engine';

const TABLES = ['Agency', 'User', 'PasswordHistory', 'VendorAccount', 'AuthSession', 'RateLimitBucket', 'AuditEvent', 'AuditChainHead'];

function migrationNames(kind: DatabaseKind): string[] {
  return readdirSync(migrationsDir(kind), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** createMigrationFor must find nothing to do; if it wrote a folder, remove it (no side effect) and fail. */
async function expectNoMigrationNeeded(kind: DatabaseKind, postgresUrl?: string) {
  const folder = await createMigrationFor(kind, 'should_be_empty', { postgresUrl });
  if (folder) rmSync(path.join(migrationsDir(kind), folder), { recursive: true, force: true });
  expect(folder, 'prisma/schema.prisma changed without a migration: run npm run db:new-migration -- <name>').toBeNull();
}

describe('databaseKind', () => {
  it('tells SQLite from PostgreSQL and refuses anything else', () => {
    expect(databaseKind('file:./data/portal.db')).toBe('sqlite');
    expect(databaseKind('postgresql://u:p@localhost/db')).toBe('postgresql');
    expect(databaseKind('postgres://u:p@localhost/db')).toBe('postgresql');
    expect(() => databaseKind('mysql://localhost/db')).toThrow(/Unsupported database URL scheme mysql:/);
  });
});

describe('SQLite', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'migrations-test-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('applies every migration to a fresh file (creating its folder), then nothing', async () => {
    const file = path.join(dir, 'nested', 'portal.db');
    expect(await pendingMigrations(`file:${file}`)).toEqual(migrationNames('sqlite'));
    expect(await applyMigrations(`file:${file}`)).toEqual(migrationNames('sqlite'));
    expect(await pendingMigrations(`file:${file}`)).toEqual([]);
    expect(await applyMigrations(`file:${file}`)).toEqual([]);

    const db = new Database(file);
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
      expect(tables).toEqual(expect.arrayContaining([...TABLES, '_prisma_migrations']));
    } finally {
      db.close();
    }
  });

  it('refuses UPDATE and DELETE on AuditEvent', async () => {
    const file = path.join(dir, 'audit.db');
    await applyMigrations(`file:${file}`);
    const db = new Database(file);
    try {
      db.prepare(
        `INSERT INTO "AuditEvent" ("seq", "createdAt", "actorType", "action", "outcome", "prevHash", "hash")
         VALUES (1, 0, 'system', 'test', 'ok', '', 'h1')`,
      ).run();
      expect(() => db.prepare(`UPDATE "AuditEvent" SET "outcome" = 'forged'`).run()).toThrow('AuditEvent is append-only');
      expect(() => db.prepare(`DELETE FROM "AuditEvent"`).run()).toThrow('AuditEvent is append-only');
      expect(db.prepare(`SELECT "outcome" FROM "AuditEvent"`).pluck().all()).toEqual(['ok']);
    } finally {
      db.close();
    }
  });

  it('names a migration the database has not finished as pending', async () => {
    const file = path.join(dir, 'behind.db');
    await applyMigrations(`file:${file}`);
    const last = migrationNames('sqlite').at(-1)!;
    const db = new Database(file);
    try {
      db.prepare('UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name = ?').run(last);
    } finally {
      db.close();
    }
    expect(await pendingMigrations(`file:${file}`)).toEqual([last]);
  });

  it('finds no schema change to migrate', async () => {
    await expectNoMigrationNeeded('sqlite');
  });
});

describe('PostgreSQL', () => {
  let server: Awaited<ReturnType<typeof startThrowawayPostgres>>;
  let client: pg.Client;
  beforeAll(async () => {
    server = await startThrowawayPostgres();
    client = new pg.Client({ connectionString: server.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await server?.stop();
  });

  it('applies every migration to a fresh database, then nothing', async () => {
    expect(await pendingMigrations(server.url)).toEqual(migrationNames('postgresql'));
    expect(await applyMigrations(server.url)).toEqual(migrationNames('postgresql'));
    expect(await pendingMigrations(server.url)).toEqual([]);
    expect(await applyMigrations(server.url)).toEqual([]);
    const { rows } = await client.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(rows.map((row) => row.name)).toEqual(expect.arrayContaining([...TABLES, '_prisma_migrations']));
  });

  it('refuses UPDATE, DELETE and TRUNCATE on AuditEvent', async () => {
    await client.query(
      `INSERT INTO "AuditEvent" ("seq", "createdAt", "actorType", "action", "outcome", "prevHash", "hash")
       VALUES (1, now(), 'system', 'test', 'ok', '', 'h1')`,
    );
    await expect(client.query(`UPDATE "AuditEvent" SET "outcome" = 'forged'`)).rejects.toThrow('AuditEvent is append-only');
    await expect(client.query(`DELETE FROM "AuditEvent"`)).rejects.toThrow('AuditEvent is append-only');
    await expect(client.query(`TRUNCATE "AuditEvent"`)).rejects.toThrow('AuditEvent is append-only');
    const { rows } = await client.query(`SELECT "outcome" FROM "AuditEvent"`);
    expect(rows).toEqual([{ outcome: 'ok' }]);
  });

  it('finds no schema change to migrate', async () => {
    await expectNoMigrationNeeded('postgresql', server.url);
  });

  it('keeps the hand-written NULL placement of the console\'s sign-in index, which the schema cannot say', async () => {
    // Read backwards, it lists by latest sign-in with never-signed-in users last (list-agency-users.ts).
    const { rows } = await client.query<{ def: string }>(
      `SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'User_agencyId_lastSignInAt_id_idx'`,
    );
    expect(rows.map((row) => row.def)).toEqual([expect.stringContaining('("agencyId", "lastSignInAt" NULLS FIRST, id)')]);
  });
});
