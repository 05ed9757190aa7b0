import pLimit from 'p-limit';
import type { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery, Transaction } from '@prisma/driver-adapter-utils';

/**
 * Prisma's better-sqlite3 adapter is one connection. It makes transactions wait for each other,
 * but not the statements sent outside one: those ran on the same connection in the middle of
 * another request's open transaction, read what it had not committed, and were undone with it when
 * it rolled back (a rate-limit count, a refund, a write a form was answered "done" for). Here a
 * statement outside a transaction also waits until no transaction is open, and a transaction until
 * no such statement runs: one thing at a time, as on one connection it must be.
 *
 * So code inside `$transaction` must use its `tx` only: a `db()` call there would wait for the very
 * transaction it runs in (until that times out), as it would wait on a PostgreSQL row lock.
 *
 * A statement that finds the file locked by another connection (another process, a backup) is tried
 * again here, after a pause, for up to `busyWaitMs`: the inner adapter must not wait itself (its
 * `timeout` 0), since better-sqlite3 waits synchronously and froze the whole process meanwhile, each
 * queued statement in turn (review r29c F1).
 */
export class SqliteOneAtATime implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'sqlite';
  readonly adapterName: string;

  constructor(
    private readonly inner: PrismaBetterSqlite3,
    private readonly busyWaitMs: number,
  ) {
    this.adapterName = inner.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    return oneAtATime(await this.inner.connect(), this.busyWaitMs);
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    return oneAtATime(await this.inner.connectToShadowDb(), this.busyWaitMs);
  }
}

/**
 * Runs a statement again while SQLite answers SQLITE_BUSY (another connection holds the lock it
 * needs: nothing ran), with growing pauses, until `waitMs` is spent or `mayWait` says no more; then
 * its error stands.
 */
async function whileBusy<T>(run: () => Promise<T>, waitMs: number, mayWait: () => boolean = () => true): Promise<T> {
  const giveUpAt = Date.now() + waitMs;
  for (let pause = 2; ; pause = Math.min(pause * 2, 100)) {
    try {
      return await run();
    } catch (error) {
      if (!isBusy(error) || !mayWait() || Date.now() + pause > giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
      if (!mayWait()) throw error;
    }
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { cause?: { originalCode?: unknown } } | null)?.cause?.originalCode;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

const ENDS_TRANSACTION = /^\s*(COMMIT|ROLLBACK|END)\b/i;

/**
 * How long statements may follow one another before the event loop gets a turn. better-sqlite3
 * answers at once, so a loop of statements and transactions (an unlock of thousands of accounts, an
 * alert's fan-out) ran on promise callbacks alone and let no other request in, not even the liveness
 * probe, until it ended (review r31e). Not a turn before every statement: the connection would sit
 * idle behind each turn's other work under load (review r31f).
 */
const SLICE_MS = 4;
const nextTurnOfTheEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function oneAtATime(adapter: SqlDriverAdapter, busyWaitMs: number): SqlDriverAdapter {
  // One statement or transaction at a time, in the order they came.
  const turns = pLimit(1);
  let lastTurnOfTheLoop = performance.now();
  const inTurn = <T>(run: () => Promise<T>) =>
    turns(async () => {
      if (performance.now() - lastTurnOfTheLoop >= SLICE_MS) {
        await nextTurnOfTheEventLoop();
        lastTurnOfTheLoop = performance.now();
      }
      return run();
    });
  /** A turn held past this call, until its release is called: a transaction's, from BEGIN to its end. */
  const take = () => new Promise<() => void>((granted) => void inTurn(() => new Promise<void>((release) => granted(release))));
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query: SqlQuery) => inTurn(() => whileBusy(() => adapter.queryRaw(query), busyWaitMs)),
    executeRaw: (query: SqlQuery) => inTurn(() => whileBusy(() => adapter.executeRaw(query), busyWaitMs)),
    // Not tried again: a script that met a lock part way would run its first statements twice.
    executeScript: (script: string) => inTurn(() => adapter.executeScript(script)),
    getConnectionInfo: adapter.getConnectionInfo?.bind(adapter),
    dispose: () => adapter.dispose(),
    async startTransaction(isolationLevel): Promise<Transaction> {
      const release = await take();
      try {
        // BEGIN (deferred) takes no lock: the transaction's statements meet the file's, and wait here.
        return heldUntilEnded(await adapter.startTransaction(isolationLevel), release, busyWaitMs);
      } catch (error) {
        release();
        throw error;
      }
    },
  };
}

/**
 * The transaction, with this wrapper's turn given back once it has committed or rolled back.
 *
 * Only its first statement waits for a lock another connection holds, as SQLite's own busy wait
 * did: once a statement has run, the transaction reads a snapshot, and a write that then meets
 * another writer fails at once (it would mostly fail after the wait anyway, the snapshot gone
 * stale), so that the caller can run the whole transaction again. And none waits once the
 * transaction is ending: Prisma rolls back a transaction that ran out of time without waiting for
 * a statement in flight, which would then run on the connection outside it, committed on its own
 * (review r31d M1).
 */
function heldUntilEnded(transaction: Transaction, release: () => void, busyWaitMs: number): Transaction {
  let readsASnapshot = false;
  let ending = false;
  const mayWait = () => !readsASnapshot && !ending;
  const statement =
    <T>(send: (query: SqlQuery) => Promise<T>) =>
    async (query: SqlQuery): Promise<T> => {
      const ends = ENDS_TRANSACTION.test(query.sql);
      // Sent after the end, it would run outside the transaction, or in the next one.
      if (ending && !ends) throw new Error('The transaction has ended: the statement was not sent.');
      if (ends) ending = true;
      try {
        return await whileBusy(() => send(query), busyWaitMs, mayWait);
      } catch (error) {
        // A COMMIT that failed leaves the transaction open on the one connection: end it.
        if (/^\s*COMMIT\b/i.test(query.sql)) await transaction.executeRaw({ sql: 'ROLLBACK', args: [], argTypes: [] }).catch(() => {});
        throw error;
      } finally {
        // Even a failed statement may have taken its locks (SQLite keeps them until the end).
        readsASnapshot = true;
      }
    };
  const ended = (end: () => Promise<void>) => async () => {
    ending = true;
    try {
      await end();
    } finally {
      release();
    }
  };
  return {
    options: transaction.options,
    provider: transaction.provider,
    adapterName: transaction.adapterName,
    queryRaw: statement((query) => transaction.queryRaw(query)),
    executeRaw: statement((query) => transaction.executeRaw(query)),
    createSavepoint: transaction.createSavepoint?.bind(transaction),
    rollbackToSavepoint: transaction.rollbackToSavepoint?.bind(transaction),
    releaseSavepoint: transaction.releaseSavepoint?.bind(transaction),
    commit: ended(() => transaction.commit()),
    rollback: ended(() => transaction.rollback()),
  };
}
