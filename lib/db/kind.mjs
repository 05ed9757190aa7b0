// Plain JavaScript so that server.mjs, which Node runs without a TypeScript step, can use it too.
import path from 'node:path';

/** SQLite for `file:` URLs (the embedded default), PostgreSQL for `postgresql://`. */
export function databaseKind(url) {
  if (url.startsWith('file:')) return 'sqlite';
  if (url.startsWith('postgresql://') || url.startsWith('postgres://')) return 'postgresql';
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? '(none)';
  throw new Error(
    `Unsupported database URL scheme ${scheme}: use file:./path/to/db.sqlite (SQLite) or postgresql://… (PostgreSQL)`,
  );
}

/** A SQLite URL's file, as the app opens it: relative to the working directory, without a `?query`. @param {string} url */
export function sqliteFile(url) {
  return path.resolve(process.cwd(), url.slice('file:'.length).replace(/\?.*$/, ''));
}

/** The database URL without credentials: kind, host and database name. @param {string} url */
export function describeDatabase(url) {
  if (databaseKind(url) === 'sqlite') return `SQLite ${url.slice('file:'.length)}`;
  const parsed = new URL(url);
  return `PostgreSQL ${parsed.host}${parsed.pathname}`;
}
