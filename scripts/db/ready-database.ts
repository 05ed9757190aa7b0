// The database an operations command (mail:worker, mail:dead, audit:verify, secrets:reseal,
// vendor:unlock, vendor:reset-mfa) works on: there, and at the code's migrations, or one line saying
// which and what to do. A mistyped SQLite path made an empty file, and an unmigrated database answered
// with a Prisma stack of 40 lines (review r34g F6).
import { existsSync } from 'node:fs';
import { config } from '@/lib/config';
import { createDb, type Db } from '@/lib/db/client';
import { databaseKind, describeDatabase, sqliteFile } from '@/lib/db/kind';
import { pendingMigrations } from '@/lib/db/pending-migrations.mjs';
import { exitIfProblems } from '../cli-arguments';

/** What keeps `url` from being used, in one line; null when nothing does. */
export async function databaseProblem(url: string): Promise<string | null> {
  if (databaseKind(url) === 'sqlite' && !existsSync(sqliteFile(url))) {
    return `no database at ${sqliteFile(url)}: check DATABASE_URL (npm run db:migrate creates one)`;
  }
  let pending: string[];
  try {
    pending = await pendingMigrations(url);
  } catch (error) {
    return `${describeDatabase(url)} cannot be reached: ${error instanceof Error ? error.message : String(error)}`;
  }
  return pending.length > 0 ? `${describeDatabase(url)} is behind the code by ${pending.length} migration(s): run npm run db:migrate first` : null;
}

/** The client for DATABASE_URL, or, when it cannot be used, the reason on stderr and exit code 1. */
export async function readyDatabase(command: string): Promise<Db> {
  const url = config().DATABASE_URL;
  const problem = await databaseProblem(url);
  exitIfProblems(command, problem ? [problem] : []);
  return createDb(url);
}
