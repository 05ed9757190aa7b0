import type { Db } from '@/lib/db/client';
import type { DatabaseKind } from '@/lib/db/kind';
import { APPLIED_MIGRATIONS_SQL, migrationNames } from '@/lib/db/pending-migrations.mjs';

// The readiness probe asks this often, so it goes through the app's own pool; the scripts'
// pendingMigrations(url) in lib/db/pending-migrations.mjs opens a connection of its own.
const namesByKind = new Map<DatabaseKind, string[]>();

/** The migrations this code ships, oldest first (read once: the folder does not change under a running server). */
function shippedMigrations(kind: DatabaseKind): string[] {
  let names = namesByKind.get(kind);
  if (!names) namesByKind.set(kind, (names = migrationNames(kind)));
  return names;
}

/**
 * The shipped migrations the database has not applied (all of them when it was never migrated).
 * Throws when the database cannot be reached.
 */
export async function pendingMigrations(database: Db, kind: DatabaseKind): Promise<string[]> {
  let applied: { migration_name: string }[];
  try {
    applied = await database.$queryRawUnsafe<{ migration_name: string }[]>(APPLIED_MIGRATIONS_SQL);
  } catch (error) {
    // A reachable database without the migrations table was never migrated.
    if (/_prisma_migrations/.test(String((error as Error).message))) return shippedMigrations(kind);
    throw error;
  }
  const done = new Set(applied.map((row) => row.migration_name));
  return shippedMigrations(kind).filter((name) => !done.has(name));
}
