// A statement sent outside a transaction while another request's transaction is open (on SQLite,
// one connection: lib/db/sqlite-one-at-a-time.ts) neither reads what that transaction has not
// committed nor is undone when it rolls back.
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { uniqueSuffix } from '@/prisma/factories';

it('a write sent while another transaction is open is kept when that one rolls back, and a read sees only what was committed', async () => {
  const key = `isolation:${uniqueSuffix()}`;
  const row = (which: string) => ({ key: `${key}:${which}`, windowStart: new Date(), count: 1 });
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const undone = db()
    .$transaction(async (tx) => {
      await tx.rateLimitBucket.create({ data: row('inside') });
      entered();
      await finished;
      throw new Error('rolled back on purpose');
    })
    .catch((error: Error) => error.message);
  await inside;

  // What other requests send meanwhile: on SQLite they wait for the transaction to end.
  const written = db().rateLimitBucket.create({ data: row('outside') });
  const seen = db().rateLimitBucket.count({ where: { key: `${key}:inside` } });
  // Time for them to run, were they let in: only so that the test fails without the fix, never to pass.
  await Promise.race([Promise.all([written, seen]), sleep(100)]);
  finish();

  expect(await undone).toBe('rolled back on purpose');
  await written;
  expect(await seen).toBe(0);
  expect(await db().rateLimitBucket.findMany({ where: { key: { startsWith: key } }, select: { key: true } })).toEqual([{ key: `${key}:outside` }]);
  await db().rateLimitBucket.deleteMany({ where: { key: { startsWith: key } } });
});

it('a long run of database work leaves the process free between its steps: a timer runs before it ends (review r31e)', async () => {
  // On SQLite every statement completes at once (better-sqlite3 is synchronous), so without a turn of
  // the event loop between steps, a loop over thousands of rows answered no other request, not even
  // the liveness probe, until it ended.
  let timerRan = false;
  const timer = setTimeout(() => (timerRan = true), 0);
  let ranBeforeTheEnd = false;
  for (let step = 0; step < 200 && !ranBeforeTheEnd; step++) {
    await db().$transaction((tx) => tx.rateLimitBucket.count());
    await db().rateLimitBucket.count();
    ranBeforeTheEnd = timerRan;
  }
  clearTimeout(timer);
  expect(ranBeforeTheEnd).toBe(true);
});
