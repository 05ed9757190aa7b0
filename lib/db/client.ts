import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient as PostgresClient } from '@/lib/generated/postgresql/client';
import { PrismaClient as SqliteClient } from '@/lib/generated/sqlite/client';
import { config } from '@/lib/config';
import { databaseKind } from '@/lib/db/kind';
import { SqliteOneAtATime } from '@/lib/db/sqlite-one-at-a-time';
import { isDatabaseUnavailable } from '@/lib/http/unexpected-error';
import { markDatabaseUnavailable } from '@/lib/observability/logger.mjs';

// The SQLite client is the canonical type. The PostgreSQL client is generated from
// the same model text, so model types and inputs agree; only engine-specific
// extras differ, and the code keeps to the common subset.
export type Db = SqliteClient;
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

// How long a request waits for the database before it gives up with "try again in a few minutes":
// a sign-in must fail fast rather than hang while the database is down or locked. The server takes
// DATABASE_WAIT_MS from its environment (lib/config.ts); this is the default. On SQLite statements
// take turns on one connection, so a file locked from outside holds up every one queued behind.
export const DATABASE_WAIT_MS = 2000;

// A transaction may queue for its turn during a rush (audit appends are serialized by design);
// Prisma's default of 2 s for that queue turned a busy minute into errors.
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 };

/**
 * How long a statement sent on an open PostgreSQL connection may go unanswered: a server that stops
 * answering (frozen, or its host gone without a word) held every request in flight until server.mjs
 * cut it off without an answer (review r29c F2). Above the transaction timeout, so that a statement
 * waiting its turn for a row another transaction holds is never cut short; pg keeps the connection
 * in order (a later statement waits behind the late one), and the pool drops one that errs.
 */
export const QUERY_TIMEOUT_MS = TRANSACTION_OPTIONS.timeout + 5_000;

function clientThatConnectsWithin(waitMs: number, queryTimeoutMs: number): typeof pg.Client {
  return class ClientThatConnectsFast extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super({
        ...(typeof config === 'string' ? { connectionString: config } : config),
        connectionTimeoutMillis: waitMs,
        query_timeout: queryTimeoutMs,
        // A peer that vanished is noticed by the operating system within a minute, not two hours.
        keepAlive: true,
        keepAliveInitialDelayMillis: 30_000,
      });
    }
  };
}

/** A statement the client sent, with its parameters (Prisma's JSON of them). */
export type SentQuery = { sql: string; params: string };

export function createDb(
  databaseUrl: string,
  {
    waitMs = DATABASE_WAIT_MS,
    queryTimeoutMs = QUERY_TIMEOUT_MS,
    onQuery,
    sqliteFileMustExist = false,
  }: { waitMs?: number; queryTimeoutMs?: number; onQuery?: (query: SentQuery) => void; sqliteFileMustExist?: boolean } = {},
): Db {
  const logging = onQuery ? { log: [{ emit: 'event' as const, level: 'query' as const }] } : {};
  let client: Db;
  if (databaseKind(databaseUrl) === 'postgresql') {
    // The wait applies to opening a connection only: on the pool it would also cut short requests
    // that queue for a connection during a rush, which are slow but fine.
    const adapter = new PrismaPg({ connectionString: databaseUrl, max: 10, Client: clientThatConnectsWithin(waitMs, queryTimeoutMs) });
    client = new PostgresClient({ adapter, ...logging, transactionOptions: TRANSACTION_OPTIONS }) as unknown as Db;
  } else {
    const adapter = new SqliteOneAtATime(new PrismaBetterSqlite3({ url: databaseUrl, timeout: 0, fileMustExist: sqliteFileMustExist }), waitMs);
    client = new SqliteClient({ adapter, ...logging, transactionOptions: TRANSACTION_OPTIONS });
  }
  if (onQuery) (client as unknown as QueryEvents).$on('query', (event) => onQuery({ sql: event.query, params: event.params }));
  return client;
}

type QueryEvents = { $on(event: 'query', listener: (event: { query: string; params: string }) => void): void };

const globalForDb = globalThis as unknown as { portalDb?: Db };

/**
 * The client, marking the request it serves when the database is unavailable (as the query fails,
 * before any answer is written): a page that then fails is answered 503 with a page that reads
 * without JavaScript, not Next.js's empty 500 shell (lib/runtime/database-unavailable-page.mjs).
 */
export function markingUnavailability(client: Db): Db {
  return client.$extends({
    query: {
      async $allOperations({ args, query }) {
        try {
          return await query(args);
        } catch (error) {
          if (isDatabaseUnavailable(error)) markDatabaseUnavailable();
          throw error;
        }
      },
    },
  }) as unknown as Db;
}

/** The process-wide client for DATABASE_URL (one per process, survives dev reloads). */
export function db(): Db {
  // A SQLite file that is not there (a volume not mounted, a mistyped path) is a database down, not a
  // new empty one to be told to migrate (review r51d F2); only the migration scripts create it.
  globalForDb.portalDb ??= markingUnavailability(createDb(config().DATABASE_URL, { waitMs: config().DATABASE_WAIT_MS, sqliteFileMustExist: true }));
  return globalForDb.portalDb;
}
