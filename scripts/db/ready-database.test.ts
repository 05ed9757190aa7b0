import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationNames } from '@/lib/db/pending-migrations.mjs';
import { applyMigrations } from './migrate';
import { databaseProblem } from './ready-database';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ready-database-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an operations command’s database (review r34g F6)', () => {
  it('is named when it is not there, and no empty file is made at the mistyped path', async () => {
    const typo = path.join(dir, 'portl.db');
    expect(await databaseProblem(`file:${typo}`)).toBe(`no database at ${typo}: check DATABASE_URL (npm run db:migrate creates one)`);
    expect(existsSync(typo)).toBe(false);
  });

  it('is sent to db:migrate when it is behind the code, and used when it is not', async () => {
    const file = path.join(dir, 'portal.db');
    new Database(file).close();
    expect(await databaseProblem(`file:${file}`)).toBe(`SQLite ${file} is behind the code by ${migrationNames('sqlite').length} migration(s): run npm run db:migrate first`);
    await applyMigrations(`file:${file}`);
    expect(await databaseProblem(`file:${file}`)).toBeNull();
  });
});
