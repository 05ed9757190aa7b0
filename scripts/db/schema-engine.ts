// The Prisma schema engine, offline. `prisma migrate` would download the engine binary; this
// project must work without a network, so the scripts in this folder drive the same engine compiled
// to WebAssembly (@prisma/schema-engine-wasm) through the driver adapters the app already uses.
// Used by scripts/db/migrate.ts (apply) and scripts/db/create-migration.ts (write the next one).
// Paths are relative to the repo root, which must be the working directory.
//
// What the engine and adapters get wrong here, and what each workaround below answers:
// - adapter-pg cannot deserialize catalog columns the engine's introspection reads ("char", OID 18):
//   https://github.com/prisma/orm/issues/27403 (the same error for `name`); handing them over as text
//   is not enough, the engine then panics reading them as chars: https://github.com/prisma/orm/issues/29635
// - adapter-pg's executeScript splits a script on every ";", breaking $$ … $$ bodies in migrations:
//   https://github.com/prisma/orm/issues/22495
// - shadow databases through the adapters: better-sqlite3 refuses the engine's multi-statement
//   scripts (related: https://github.com/prisma/orm/issues/2868), and adapter-pg 7.10.1 built from a
//   connectionString opens the "shadow" on the main database (no upstream report found; what a shadow
//   equal to the main database does to its data: https://github.com/prisma/orm/issues/19234). So no
//   shadow database at all: create-migration.ts diffs a scratch database migrated to the history.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  type ErrorCapturingSqlMigrationAwareDriverAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { databaseKind, type DatabaseKind } from '@/lib/db/kind';
import { migrationNames, migrationsDir } from '@/lib/db/pending-migrations.mjs';
import { logger } from '@/lib/observability/logger.mjs';

export { databaseKind, migrationsDir, type DatabaseKind };

export const ROOT = process.cwd();
export const SCHEMA_FILES: Record<DatabaseKind, string> = {
  sqlite: 'prisma/schema.prisma',
  postgresql: 'prisma/.generated/schema.postgresql.prisma',
};
export const NO_FILTERS = { externalTables: [], externalEnums: [] };

// ---------------------------------------------------------------------------------------

type EngineModule = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');
// One wasm instance per process: the glue module is shared even when this file is loaded more
// than once (vitest's global setups), and a second instance would replace the first under it.
const engineHolder = globalThis as { portalSchemaEngine?: Promise<EngineModule>; portalSchemaEngineQueue?: Promise<unknown> };
let lastPanic: string | undefined;
let runningCalls = 0;
const engineTimers = new Set<NodeJS.Timeout>();

/** Instantiates the wasm engine once per process (its module holds a single wasm instance). */
function loadEngineModule(): Promise<EngineModule> {
  engineHolder.portalSchemaEngine ??= (async () => {
    // The wasm glue reports a Rust panic through this global (and crashes without it). The
    // panic then often escapes as an uncaught "RuntimeError: unreachable": print the real
    // message now, and keep it for the rejection when there is one.
    (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }).PRISMA_WASM_PANIC_REGISTRY ??= {
      set_message: (message: string) => {
        lastPanic = message;
        logger.error({ event: 'db.schema_engine_panic', message });
      },
    };
    const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    // The package does not export its package.json or the .wasm: find it next to the JS glue.
    const glue = createRequire(path.join(ROOT, 'package.json')).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const wasm = readFileSync(path.join(path.dirname(glue), 'schema_engine_bg.wasm'));
    // The engine arms 10 s timers (operation timeouts) that it never clears: they would keep
    // a finished script alive for 10 s. Track them, and unref them once no call is running.
    const setTimeoutImport = Object.keys(bg).find((key) => key.startsWith('__wbg_setTimeout_'));
    const imports: Record<string, unknown> = { ...bg };
    if (setTimeoutImport) {
      imports[setTimeoutImport] = (callback: () => void, ms: number) => {
        const timer = setTimeout(callback, ms >>> 0);
        if (runningCalls === 0) timer.unref();
        else engineTimers.add(timer);
        return timer;
      };
    }
    const { instance } = await WebAssembly.instantiate(wasm, { './schema_engine_bg.js': imports as never });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bg;
  })();
  return engineHolder.portalSchemaEngine;
}

// The engine panics when two calls run in it at once (vitest sets up the SQLite and
// PostgreSQL test databases concurrently): one call at a time, process-wide.
export function withEngine<T>(kind: DatabaseKind, databaseUrl: string, fn: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const run = (engineHolder.portalSchemaEngineQueue ?? Promise.resolve()).then(() => withEngineNow(kind, databaseUrl, fn));
  engineHolder.portalSchemaEngineQueue = run.catch(() => undefined);
  return run;
}

/**
 * Runs fn with an engine connected to databaseUrl, then frees the engine and closes every
 * connection/pool opened for it (callers, tests included, run this many times per process).
 */
async function withEngineNow<T>(kind: DatabaseKind, databaseUrl: string, fn: (engine: SchemaEngine) => Promise<T>) {
  const bg = await loadEngineModule();
  const { factory, close } = adapterFactory(kind, databaseUrl);
  const bound = bindMigrationAwareSqlAdapterFactory(factory);
  let engine: SchemaEngine | undefined;
  runningCalls++;
  try {
    // No datamodel: applying needs only the migrations, and diff gets its schemas as arguments.
    engine = await bg.SchemaEngine.new(
      { datamodels: undefined },
      () => {}, // engine log lines (JSON); errors reach us as rejections instead
      bound,
    );
    return await fn(engine);
  } catch (error) {
    throw engineError(error, bound);
  } finally {
    engine?.free();
    if (--runningCalls === 0) {
      for (const timer of engineTimers) timer.unref();
      engineTimers.clear();
    }
    await close();
  }
}

/** Replaces the engine's opaque "External error id#N" with the adapter error it stands for. */
function engineError(error: unknown, bound: ErrorCapturingSqlMigrationAwareDriverAdapterFactory): Error {
  let message = error instanceof Error ? error.message : String(error);
  if (lastPanic) {
    message = `engine panicked: ${lastPanic} (${message})`;
    lastPanic = undefined;
  }
  const real = message.replace(/External error id#(\d+)/g, (text, id: string) => {
    const record = bound.errorRegistry.consumeError(Number(id));
    if (!record) return text;
    return record.error instanceof Error ? record.error.message : String(record.error);
  });
  return new Error(`Migration engine: ${real}`, { cause: error });
}

function adapterFactory(kind: DatabaseKind, databaseUrl: string) {
  return kind === 'sqlite' ? sqliteFactory(databaseUrl) : postgresFactory(databaseUrl);
}

function sqliteFactory(databaseUrl: string) {
  const inner = new PrismaBetterSqlite3({ url: sqlitePath(databaseUrl) });
  const opened: SqlDriverAdapter[] = [];
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => track(opened, await inner.connect()),
    connectToShadowDb: noShadowDatabase,
  };
  return { factory, close: () => disposeAll(opened) };
}

function postgresFactory(databaseUrl: string) {
  // We own the pool (the adapter would otherwise create one per connect()), so we end it
  // exactly once whatever the engine does. One connection, like the native engine: the
  // advisory lock the engine takes (and never releases) lives on it until pool.end().
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  // adapter-pg 7.10.1 throws on catalog columns of type "char" (OID 18, "could not be
  // deserialized"), which the engine's introspection reads. Hand them to the adapter as text
  // (OID 25), remember where they were (keyed by the rows array, which the adapter returns
  // as is), and queryRaw below reports them as Character: the engine reads them as chars
  // (constraint_type…) and panics on a Text column.
  const charColumns = new WeakMap<unknown[], number[]>();
  const query = pool.query.bind(pool) as (config: unknown) => Promise<pg.QueryResult>;
  (pool as unknown as { query: unknown }).query = async (config: unknown) => {
    const result = await query(config);
    const chars: number[] = [];
    result.fields?.forEach((field, i) => {
      if (field.dataTypeID === 18) {
        field.dataTypeID = 25;
        chars.push(i);
      }
    });
    if (chars.length > 0) charColumns.set(result.rows, chars);
    return result;
  };
  const inner = new PrismaPg(pool);
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => {
      const adapter = await inner.connect();
      const queryRaw = adapter.queryRaw.bind(adapter);
      adapter.queryRaw = async (sqlQuery) => {
        const result = await queryRaw(sqlQuery);
        for (const i of charColumns.get(result.rows) ?? []) result.columnTypes[i] = ColumnTypeEnum.Character;
        return result;
      };
      // adapter-pg's executeScript splits the script on every ";", which breaks plpgsql bodies
      // ($$ … ; … $$) in migrations: send the whole script at once (simple query protocol).
      adapter.executeScript = async (script: string) => {
        await pool.query(script);
      };
      return adapter;
    },
    connectToShadowDb: noShadowDatabase,
  };
  return { factory, close: () => pool.end() };
}

async function noShadowDatabase(): Promise<never> {
  throw new Error('no shadow database here: migrations are created by diffing a scratch database');
}

function track(opened: SqlDriverAdapter[], adapter: SqlDriverAdapter): SqlDriverAdapter {
  opened.push(adapter);
  return adapter;
}

async function disposeAll(opened: SqlDriverAdapter[]) {
  for (const adapter of opened.splice(0)) await adapter.dispose();
}

export function readMigrations(kind: DatabaseKind): MigrationList {
  const baseDir = migrationsDir(kind);
  const folders = migrationNames(kind);
  const lockPath = path.join(baseDir, 'migration_lock.toml');
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: folders.map((folder) => ({
      path: folder,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: readFileSync(path.join(baseDir, folder, 'migration.sql'), 'utf8') },
      },
    })),
  };
}

export function readSchema(kind: DatabaseKind): string {
  const file = path.join(ROOT, SCHEMA_FILES[kind]);
  if (!existsSync(file)) throw new Error(`${SCHEMA_FILES[kind]} is missing: run \`npm run generate\` first`);
  return readFileSync(file, 'utf8');
}

/** file:./data/portal.db → absolute path (relative paths are relative to the repo root). */
export function sqlitePath(databaseUrl: string): string {
  const file = databaseUrl.slice('file:'.length).replace(/\?.*$/, '');
  return path.resolve(ROOT, file);
}

