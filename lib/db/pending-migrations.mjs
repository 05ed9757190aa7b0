// Which migrations a database has not had yet: for a check at start-up ("the database is behind
// the code") and for the migration scripts. Plain JavaScript with only the drivers the app already
// has, so that server.mjs can ask before anything else runs; applying them is scripts/db/migrate.ts.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { databaseKind, sqliteFile } from './kind.mjs';

/** prisma/migrations/<kind> under the working directory (the repo root). */
export function migrationsDir(kind) {
  return path.join(process.cwd(), 'prisma', 'migrations', kind);
}

/** The migrations of the code, oldest first: the folders holding a migration.sql. */
export function migrationNames(kind) {
  const dir = migrationsDir(kind);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort();
}

// Prisma's own record of what it applied: a row per migration, finished and not rolled back.
export const APPLIED_MIGRATIONS_SQL = 'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL';

async function appliedNames(databaseUrl) {
  if (databaseKind(databaseUrl) === 'sqlite') {
    const file = sqliteFile(databaseUrl);
    if (!existsSync(file)) return [];
    const { default: Database } = await import('better-sqlite3');
    const connection = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const table = connection.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
      return table ? connection.prepare(APPLIED_MIGRATIONS_SQL).all().map((row) => row.migration_name) : [];
    } finally {
      connection.close();
    }
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present");
    return rows[0].present ? (await client.query(APPLIED_MIGRATIONS_SQL)).rows.map((row) => row.migration_name) : [];
  } finally {
    await client.end();
  }
}

/** The names of the code's migrations that the database at `databaseUrl` has not applied, oldest first. */
export async function pendingMigrations(databaseUrl) {
  const applied = new Set(await appliedNames(databaseUrl));
  return migrationNames(databaseKind(databaseUrl)).filter((name) => !applied.has(name));
}
