// Plain JavaScript so that server.mjs, which Node runs without a TypeScript step, can use it too.

/** SQLite for `file:` URLs (the embedded default), PostgreSQL for `postgresql://`. */
export function databaseKind(url) {
  if (url.startsWith('file:')) return 'sqlite';
  if (url.startsWith('postgresql://') || url.startsWith('postgres://')) return 'postgresql';
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? '(none)';
  throw new Error(
    `Unsupported database URL scheme ${scheme}: use file:./path/to/db.sqlite (SQLite) or postgresql://… (PostgreSQL)`,
  );
}
