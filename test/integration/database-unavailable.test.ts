import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { recordAudit } from '@/lib/audit/record';
import { settleReservedAttempt } from '@/lib/auth/password-attempt';
import { signInAgencyUser } from '@/lib/auth/sign-in';
import { createDb, DATABASE_WAIT_MS, db, markingUnavailability } from '@/lib/db/client';
import { databaseKind } from '@/lib/db/kind';
import { freePort } from '@/lib/net/free-port';
import { apologize, isDatabaseUnavailable } from '@/lib/http/unexpected-error';
import { runInRequestScope, type RequestScope } from '@/lib/observability/logger.mjs';
import { createAgency, createUser } from '@/prisma/factories';
import { startDatabaseRelay } from '../support/database-relay';
import { withFreshDatabase } from '../support/fresh-database';

const PASSWORD = 'amber falcon river stone';

/** Runs `attempt` and returns what it threw and how long it took to fail. */
async function failure(attempt: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await attempt();
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error('expected the database call to fail');
}

describe('a database that is down or locked', () => {
  it.runIf(databaseKind(process.env.DATABASE_URL!) === 'sqlite')(
    'a locked SQLite file fails a write within the short wait, as "unavailable", and the apology holds no database text',
    async () => {
      await withFreshDatabase(async (database, url) => {
        const agency = await createAgency(database);
        const user = await createUser(database, agency.id, PASSWORD);
        const holder = new Database(url.slice('file:'.length));
        holder.exec('BEGIN EXCLUSIVE');
        try {
          const { error, ms } = await failure(() =>
            database.user.update({ where: { id: user.id }, data: { failedSignInCount: { increment: 1 } } }),
          );
          expect(isDatabaseUnavailable(error)).toBe(true);
          expect(ms).toBeLessThan(DATABASE_WAIT_MS + 6000); // generous for a busy machine, yet under the old 10 s wait
          const apology = apologize('test', error, 'req-1');
          expect(apology).toMatchObject({ status: 503, reference: 'req-1' });
          expect(apology.message).not.toMatch(/sqlite|prisma|database is locked|SQLITE_BUSY|P\d{4}/i);
        } finally {
          holder.exec('ROLLBACK');
          holder.close();
        }
        // Released again: the same sign-in works, so nothing was left half done.
        const again = await withDatabase(url, () =>
          signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: PASSWORD }, '127.0.0.1'),
        );
        expect(again.ok).toBe(true);
      });
    },
  );

  it.runIf(databaseKind(process.env.DATABASE_URL!) === 'sqlite')(
    'a statement that waits for a SQLite file another process holds leaves this process free, and goes through once the lock ends (review r29c F1)',
    async () => {
      await withFreshDatabase(async (database, url) => {
        const agency = await createAgency(database);
        const holder = new Database(url.slice('file:'.length));
        holder.exec('BEGIN EXCLUSIVE');
        const happened: string[] = [];
        try {
          const write = database.agency.update({ where: { id: agency.id }, data: { name: 'Renamed while locked' } }).then(() => happened.push('written'));
          // Due long before the wait ends: it runs while the write waits. A wait that blocked the
          // process (better-sqlite3's own) ran it only after the write had failed.
          await new Promise((resolve) => setTimeout(resolve, 50));
          happened.push('timer');
          holder.exec('ROLLBACK');
          holder.close();
          await write;
        } finally {
          if (holder.open) holder.close();
        }
        expect(happened).toEqual(['timer', 'written']);
        expect((await database.agency.findUniqueOrThrow({ where: { id: agency.id } })).name).toBe('Renamed while locked');
      });
    },
  );

  it.runIf(databaseKind(process.env.DATABASE_URL!) === 'sqlite')(
    'a transaction that runs out of time while its statement waits for the lock leaves nothing behind: the statement does not run after the rollback (review r31d M1)',
    async () => {
      await withFreshDatabase(async (database, url) => {
        const agency = await createAgency(database);
        const holder = new Database(url.slice('file:'.length));
        holder.exec('BEGIN IMMEDIATE');
        const release = () => {
          if (!holder.open) return;
          holder.exec('ROLLBACK');
          holder.close();
        };
        // The lock ends just after Prisma has rolled the late transaction back, while its statement still waits.
        const client = createDb(url, { onQuery: ({ sql }) => /^ROLLBACK/i.test(sql) && release() });
        let outcome: unknown;
        try {
          outcome = await client
            .$transaction((tx) => tx.$executeRaw`UPDATE "Agency" SET "name" = 'Renamed too late' WHERE "id" = ${agency.id}`, { timeout: 300 })
            .then(() => 'committed', (error: unknown) => error);
        } finally {
          release();
          await client.$disconnect();
        }
        expect(outcome).toBeInstanceOf(Error);
        expect((await database.agency.findUniqueOrThrow({ where: { id: agency.id } })).name).toBe(agency.name);
      });
    },
  );

  it.runIf(databaseKind(process.env.DATABASE_URL!) === 'sqlite')(
    'a lock between an attempt\'s count and its record delays the record, and loses neither',
    async () => {
      await withFreshDatabase(async (database, url) => {
        const holder = new Database(url.slice('file:'.length));
        holder.exec('BEGIN EXCLUSIVE');
        let tries = 0;
        try {
          await settleReservedAttempt(() => {
            tries += 1;
            // Released once the first try has given up.
            if (tries === 2) {
              holder.exec('ROLLBACK');
              holder.close();
            }
            return database.$transaction((tx) => recordAudit(tx, { actorType: 'SYSTEM', action: 'TEST_SETTLED', outcome: 'FAILURE' }));
          });
        } finally {
          if (holder.open) holder.close();
        }
        expect(tries).toBeGreaterThan(1);
        expect(await database.auditEvent.count({ where: { action: 'TEST_SETTLED' } })).toBe(1);
      });
    },
  );

  it('a step that fails for another reason than a busy database is not tried again', async () => {
    let tries = 0;
    const step = async () => {
      tries += 1;
      throw new Error('a bug, not a busy database');
    };
    await expect(settleReservedAttempt(step)).rejects.toThrow('a bug');
    expect(tries).toBe(1);
  });

  it('a PostgreSQL server that does not answer is "unavailable" within the short wait', async () => {
    const port = await freePort();
    const unreachable = createDb(`postgresql://portal:secret@127.0.0.1:${port}/portal`);
    const { error, ms } = await failure(() => unreachable.user.count());
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(ms).toBeLessThan(DATABASE_WAIT_MS + 6000); // generous for a busy machine, yet under the old 10 s wait
    expect(apologize('test', error, null).status).toBe(503);
    await unreachable.$disconnect().catch(() => undefined);
  });

  it.runIf(databaseKind(process.env.DATABASE_URL!) === 'postgresql')(
    'a PostgreSQL server that stops answering an open connection is "unavailable" within the query timeout, and the client recovers (r29c F2)',
    async () => {
      const relay = await startDatabaseRelay(process.env.DATABASE_URL!);
      const client = createDb(relay.url, { queryTimeoutMs: 1500 });
      try {
        expect(await client.user.count()).toBeGreaterThanOrEqual(0);
        // A transaction under way when the server stops answering (its connection open and in use).
        let started!: () => void;
        const begun = new Promise<void>((resolve) => (started = resolve));
        const underWay = failure(() =>
          client.$transaction(async (tx) => {
            await tx.user.count();
            started();
            await new Promise((resolve) => setTimeout(resolve, 100));
            return tx.agency.count();
          }),
        );
        await begun;
        relay.set('frozen');
        for (const attempt of [() => underWay, () => failure(() => client.user.count()), () => failure(() => client.$transaction((tx) => tx.user.count()))]) {
          const { error, ms } = await attempt();
          expect(isDatabaseUnavailable(error)).toBe(true);
          expect(ms).toBeLessThan(20_000); // not held for ever: well under server.mjs's cut-off
          expect(apologize('test', error, null).status).toBe(503);
        }
        relay.set('passing');
        // The late answers arrive, and the next statements are answered as their own.
        expect(await client.user.count()).toBe(await db().user.count());
        expect(await client.$transaction((tx) => tx.agency.count())).toBe(await db().agency.count());
      } finally {
        await client.$disconnect().catch(() => undefined);
        relay.close();
      }
    },
  );

  it("marks the request it serves when the database is unavailable (server.mjs then answers a failed page 503), not when a query fails otherwise", async () => {
    const unreachable = markingUnavailability(createDb(`postgresql://portal:secret@127.0.0.1:${await freePort()}/portal`));
    const down: RequestScope = { requestId: 'req-down' };
    const { error } = await runInRequestScope(down, () => failure(() => unreachable.user.count()));
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(down.databaseUnavailable).toBe(true);
    // Outside any request (a background round) there is nothing to mark, and nothing else changes.
    expect(isDatabaseUnavailable((await failure(() => unreachable.user.count())).error)).toBe(true);
    await unreachable.$disconnect().catch(() => undefined);

    // The app's own client, on the test database: a query that fails for another reason marks nothing.
    const bug: RequestScope = { requestId: 'req-bug' };
    await runInRequestScope(bug, () => failure(() => db().$queryRawUnsafe('SELECT * FROM no_such_table')));
    await runInRequestScope(bug, () => db().user.count());
    expect(bug.databaseUnavailable).toBeUndefined();
  });

  it('a bug is a 500 with a reference, never its own text', () => {
    const apology = apologize('test', new TypeError("Cannot read properties of undefined (reading 'id')"), null);
    expect(apology.status).toBe(500);
    expect(apology.reference).toMatch(/^[0-9a-f]{12}$/);
    expect(apology.message).not.toContain('Cannot read');
  });
});

/** Runs `work` with the app's process-wide client pointed at `url`. */
async function withDatabase<T>(url: string, work: () => Promise<T>): Promise<T> {
  const globals = globalThis as unknown as { portalDb?: ReturnType<typeof createDb> };
  const previous = globals.portalDb;
  const client = createDb(url);
  globals.portalDb = client;
  try {
    return await work();
  } finally {
    globals.portalDb = previous;
    await client.$disconnect();
  }
}

