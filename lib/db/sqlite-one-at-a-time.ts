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
 * needs: nothing ran), with growing pauses, until `waitMs` is spent; then its error stands. Not the
 * other kinds of busy: a transaction whose snapshot went stale (SQLITE_BUSY_SNAPSHOT) would get the
 * same answer every time, and SQLite's own busy wait did not retry it either.
 */
async function whileBusy<T>(run: () => Promise<T>, waitMs: number): Promise<T> {
  const giveUpAt = Date.now() + waitMs;
  for (let pause = 2; ; pause = Math.min(pause * 2, 100)) {
    try {
      return await run();
    } catch (error) {
      if (!isPlainBusy(error) || Date.now() + pause > giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

function isPlainBusy(error: unknown): boolean {
  return (error as { cause?: { originalCode?: unknown } } | null)?.cause?.originalCode === 'SQLITE_BUSY';
}

function oneAtATime(adapter: SqlDriverAdapter, busyWaitMs: number): SqlDriverAdapter {
  // One statement or transaction at a time, in the order they came.
  const turns = pLimit(1);
  /** A turn held past this call, until its release is called: a transaction's, from BEGIN to its end. */
  const take = () => new Promise<() => void>((granted) => void turns(() => new Promise<void>((release) => granted(release))));
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query: SqlQuery) => turns(() => whileBusy(() => adapter.queryRaw(query), busyWaitMs)),
    executeRaw: (query: SqlQuery) => turns(() => whileBusy(() => adapter.executeRaw(query), busyWaitMs)),
    executeScript: (script: string) => turns(() => whileBusy(() => adapter.executeScript(script), busyWaitMs)),
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

/** The transaction, with this wrapper's turn given back once it has committed or rolled back. */
function heldUntilEnded(transaction: Transaction, release: () => void, busyWaitMs: number): Transaction {
  const ending = (end: () => Promise<void>) => async () => {
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
    queryRaw: (query: SqlQuery) => whileBusy(() => transaction.queryRaw(query), busyWaitMs),
    executeRaw: (query: SqlQuery) => whileBusy(() => transaction.executeRaw(query), busyWaitMs),
    createSavepoint: transaction.createSavepoint?.bind(transaction),
    rollbackToSavepoint: transaction.rollbackToSavepoint?.bind(transaction),
    releaseSavepoint: transaction.releaseSavepoint?.bind(transaction),
    commit: ending(() => transaction.commit()),
    rollback: ending(() => transaction.rollback()),
  };
}
