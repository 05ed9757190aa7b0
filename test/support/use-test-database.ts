// Runs in each test worker before the test files: points the app's config at the
// throw-away database of this project (SQLite or PostgreSQL).
import { afterAll, afterEach, beforeAll, inject } from 'vitest';

process.env.DATABASE_URL = inject('databaseUrl');
process.env.NEXTAUTH_SECRET ??= 'test-secret-that-is-long-enough-for-next-auth-0001';

// Every check of a secret settles the attempt it reserved (lib/auth/password-attempt.ts): one left
// unsettled by any pathway a test walks would get a second, "not completed" record from the status
// round. A test that leaves one on purpose (a simulated crash) settles or removes it itself. The
// locks a wrong secret left to the round (its failure recorded) are written here, as the round would.
afterEach(async () => {
  const { db } = await import('@/lib/db/client');
  const { settleAttemptsLeftToTheRound } = await import('@/lib/auth/password-attempt');
  await settleAttemptsLeftToTheRound(db());
  const left = await db().unsettledAttempt.findMany({ select: { pathway: true, failure: true } });
  if (left.length === 0) return;
  await db().unsettledAttempt.deleteMany({});
  throw new Error(`attempts left unsettled: ${left.map((attempt) => `${attempt.pathway} ${attempt.failure}`).join('; ')}`);
});

// Integration files share one database and run in an order of vitest's choosing: a maintenance window
// blocking sign-in that a file leaves behind closes sign-in for the files after it, which then fail far
// from the cause. The file that left it fails here instead, and the window is removed.
afterAll(async () => {
  const { db } = await import('@/lib/db/client');
  const { getBlockingMaintenance } = await import('@/lib/status/get-status-overview');
  const left = await getBlockingMaintenance(db());
  if (!left) return;
  await db().maintenanceWindow.deleteMany({});
  throw new Error(`a maintenance window blocking sign-in was left open: ${left.title}`);
});

// Most tests sign in from the loopback address, and many fail on purpose: its share of the limit failed
// sign-ins share (100 in 15 minutes) would fill up over several files, in whatever order they run, and close
// sign-in from it for the files after (one file alone leaves it at two thirds). Each file starts it afresh;
// a test whose outcome hangs on an address's counts uses an address of its own.
beforeAll(async () => {
  const { db } = await import('@/lib/db/client');
  const { RATE_LIMITS } = await import('@/lib/rate-limit/rate-limit');
  await db().rateLimitBucket.deleteMany({ where: { key: `${RATE_LIMITS.signInFailuresPerAddress.name}:127.0.0.1` } });
});
