// `npm run db:backup`: a consistent copy of a live SQLite database, or the pg_dump command to use.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { databaseKind, sqliteFile } from '@/lib/db/kind';

function timestamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * SQLite's online backup API copies the file page by page while the server keeps writing, and
 * restarts a step when a writer changed a page it had copied, so the copy is one committed state
 * (a plain `cp` of a WAL database can mix two). Returns the copy's path.
 */
export async function backupSqlite(databaseUrl: string, folder: string, now = new Date()): Promise<string> {
  // The path as the app reads it (a `?query` is not part of it); one that does not exist is named.
  const file = sqliteFile(databaseUrl);
  if (!existsSync(file)) throw new Error(`no SQLite database at ${file}`);
  mkdirSync(folder, { recursive: true });
  const target = path.resolve(folder, `portal-${timestamp(now)}.db`);
  const source = new Database(file, { fileMustExist: true });
  try {
    // Large steps: a write by the server between two steps restarts the copy, so few steps finish
    // under steady writes; each step holds the read lock for milliseconds only.
    await source.backup(target, { progress: () => 10_000 });
  } finally {
    source.close();
  }
  return target;
}

/**
 * PostgreSQL: the command to run (the password comes from PGPASSWORD or ~/.pgpass, never echoed: not
 * from the URL's user part nor from a `password=` or `sslpassword=` in its query). Each argument is in
 * single quotes, so a `$` or a backtick in a folder's name stays text when the line is pasted (review r34g F8).
 */
export function pgDumpCommand(databaseUrl: string, folder: string, now = new Date()): string {
  const url = new URL(databaseUrl);
  url.password = '';
  // Taken out of the query as written (URLSearchParams would write the rest again, `%20` as `+`).
  url.search = url.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && !/^(ssl)?password=/i.test(pair))
    .join('&');
  const target = path.join(folder, `portal-${timestamp(now)}.dump`);
  return `pg_dump --format=custom --no-owner --file=${shellQuoted(target)} ${shellQuoted(url.toString())}`;
}

/** `text` as one word of a POSIX shell, taken as it is. */
function shellQuoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export async function backup(databaseUrl: string, folder: string): Promise<string> {
  if (databaseKind(databaseUrl) === 'sqlite') return `backup written to ${await backupSqlite(databaseUrl, folder)}`;
  return `PostgreSQL: back it up with pg_dump (give the password through PGPASSWORD or ~/.pgpass):\n  ${pgDumpCommand(databaseUrl, folder)}`;
}
