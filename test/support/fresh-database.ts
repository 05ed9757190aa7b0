// A second, empty, migrated database beside the project's test database, for tests that
// must leave damage behind (a forged audit record cannot be deleted: the table is append-only).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDb, type Db } from '@/lib/db/client';
import { databaseKind } from '@/lib/db/kind';
import { applyMigrations } from '@/scripts/db/migrate';

export async function withFreshDatabase(run: (database: Db, url: string) => Promise<void>): Promise<void> {
  const baseUrl = process.env.DATABASE_URL!;
  let url: string;
  let cleanup: () => Promise<void>;
  if (databaseKind(baseUrl) === 'sqlite') {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'portal-fresh-'));
    url = `file:${path.join(folder, 'fresh.db')}`;
    cleanup = async () => rmSync(folder, { recursive: true, force: true });
  } else {
    const name = `fresh_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    url = Object.assign(new URL(baseUrl), { pathname: `/${name}` }).toString();
    cleanup = async () => {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    };
  }
  await applyMigrations(url);
  const database = createDb(url);
  try {
    await run(database, url);
  } finally {
    await database.$disconnect();
    await cleanup();
  }
}
