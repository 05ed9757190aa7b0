// Applies the code's migrations to a database, offline (see schema-engine.ts).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { databaseKind, NO_FILTERS, readMigrations, sqlitePath, withEngine } from './schema-engine';

export { pendingMigrations } from '@/lib/db/pending-migrations.mjs';

/** Applies the pending migrations of prisma/migrations/<kind>; returns the names applied. */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  const kind = databaseKind(databaseUrl);
  if (kind === 'sqlite') {
    mkdirSync(path.dirname(sqlitePath(databaseUrl)), { recursive: true });
    enableWriteAheadLog(sqlitePath(databaseUrl));
  }
  return withEngine(kind, databaseUrl, async (engine) => {
    const out = await engine.applyMigrations({ migrationsList: readMigrations(kind), filters: NO_FILTERS });
    return out.appliedMigrationNames;
  });
}

/**
 * WAL lets the server, a separate mail worker and readers use one SQLite file at once, and
 * commits without a full sync each time. The mode is stored in the file, so setting it once
 * here (every start-up path migrates first) covers every later connection.
 */
function enableWriteAheadLog(file: string): void {
  const connection = new Database(file);
  try {
    connection.pragma('journal_mode = WAL');
  } finally {
    connection.close();
  }
}
