import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '@/lib/db/client';
import type { DatabaseKind } from '@/lib/db/kind';

// The migrations folder is the truth about the schema this code expects (relative to the repo
// root, which is the working directory of every entry point).
export function migrationsDir(kind: DatabaseKind): string {
  return path.join(process.cwd(), 'prisma', 'migrations', kind);
}

const namesByKind = new Map<DatabaseKind, string[]>();

/** The migrations this code ships, oldest first (read once: the folder does not change under a running server). */
export function shippedMigrations(kind: DatabaseKind): string[] {
  let names = namesByKind.get(kind);
  if (!names) {
    const dir = migrationsDir(kind);
    names = existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true })
          .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, 'migration.sql')))
          .map((entry) => entry.name)
          .sort()
      : [];
    namesByKind.set(kind, names);
  }
  return names;
}

/**
 * The shipped migrations the database has not applied (all of them when it was never migrated).
 * Throws when the database cannot be reached.
 */
export async function pendingMigrations(database: Db, kind: DatabaseKind): Promise<string[]> {
  let applied: { migration_name: string }[];
  try {
    applied = await database.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
  } catch (error) {
    // A reachable database without the migrations table was never migrated.
    if (/_prisma_migrations/.test(String((error as Error).message))) return shippedMigrations(kind);
    throw error;
  }
  const done = new Set(applied.map((row) => row.migration_name));
  return shippedMigrations(kind).filter((name) => !done.has(name));
}
