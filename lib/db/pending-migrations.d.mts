import type { DatabaseKind } from './kind.mjs';

export declare function migrationsDir(kind: DatabaseKind): string;
export declare function migrationNames(kind: DatabaseKind): string[];
export declare function pendingMigrations(databaseUrl: string): Promise<string[]>;
export declare const APPLIED_MIGRATIONS_SQL: string;
