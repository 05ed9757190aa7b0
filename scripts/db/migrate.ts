// Applies the code's migrations to a database, offline (see schema-engine.ts).
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { databaseKind, NO_FILTERS, readMigrations, sqlitePath, withEngine } from './schema-engine';

import { pendingMigrations } from '@/lib/db/pending-migrations.mjs';

export { pendingMigrations };

/** Applies the pending migrations of prisma/migrations/<kind>; returns the names applied. */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  const kind = databaseKind(databaseUrl);
  if (kind === 'sqlite') {
    // The engine takes the file for itself, which it cannot while a server or a mail worker has it open:
    // a database with nothing to apply is told so without it (review r34g F3).
    if (existsSync(sqlitePath(databaseUrl)) && (await pendingMigrations(databaseUrl)).length === 0) return [];
    mkdirSync(path.dirname(sqlitePath(databaseUrl)), { recursive: true });
    enableWriteAheadLog(sqlitePath(databaseUrl));
  }
  try {
    return await withEngine(kind, databaseUrl, async (engine) => {
      const out = await engine.applyMigrations({ migrationsList: readMigrations(kind), filters: NO_FILTERS });
      return out.appliedMigrationNames;
    });
  } catch (error) {
    // SQLite's "busy", as the engine words it: another process holds the file.
    if (kind === 'sqlite' && /SocketTimeout|SQLITE_BUSY|database is locked/i.test(String(error))) {
      throw new Error(`${sqlitePath(databaseUrl)} is in use by another process (a running server or mail worker): stop them, run db:migrate, then start them again`);
    }
    throw error;
  }
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
