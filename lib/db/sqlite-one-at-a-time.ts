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
 */
export class SqliteOneAtATime implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'sqlite';
  readonly adapterName: string;

  constructor(private readonly inner: PrismaBetterSqlite3) {
    this.adapterName = inner.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    return oneAtATime(await this.inner.connect());
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    return oneAtATime(await this.inner.connectToShadowDb());
  }
}

function oneAtATime(adapter: SqlDriverAdapter): SqlDriverAdapter {
  // One statement or transaction at a time, in the order they came.
  const turns = pLimit(1);
  /** A turn held past this call, until its release is called: a transaction's, from BEGIN to its end. */
  const take = () => new Promise<() => void>((granted) => void turns(() => new Promise<void>((release) => granted(release))));
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query: SqlQuery) => turns(() => adapter.queryRaw(query)),
    executeRaw: (query: SqlQuery) => turns(() => adapter.executeRaw(query)),
    executeScript: (script: string) => turns(() => adapter.executeScript(script)),
    getConnectionInfo: adapter.getConnectionInfo?.bind(adapter),
    dispose: () => adapter.dispose(),
    async startTransaction(isolationLevel): Promise<Transaction> {
      const release = await take();
      try {
        return heldUntilEnded(await adapter.startTransaction(isolationLevel), release);
      } catch (error) {
        release();
        throw error;
      }
    },
  };
}

/** The transaction, with this wrapper's turn given back once it has committed or rolled back. */
function heldUntilEnded(transaction: Transaction, release: () => void): Transaction {
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
    queryRaw: (query: SqlQuery) => transaction.queryRaw(query),
    executeRaw: (query: SqlQuery) => transaction.executeRaw(query),
    createSavepoint: transaction.createSavepoint?.bind(transaction),
    rollbackToSavepoint: transaction.rollbackToSavepoint?.bind(transaction),
    releaseSavepoint: transaction.releaseSavepoint?.bind(transaction),
    commit: ending(() => transaction.commit()),
    rollback: ending(() => transaction.rollback()),
  };
}
