// Instances whose clocks differ a little (within CLOCK_SKEW_TOLERATED_MS) keep the rules that compare one
// instance's times with another's; an instance further out of step is told of in the logs (review r55f).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { settleAttemptsLeftToTheRound } from '@/lib/auth/password-attempt';
import { resolveSession } from '@/lib/auth/session';
import { signInAgencyUser } from '@/lib/auth/sign-in';
import { db } from '@/lib/db/client';
import { CLOCK_SKEW_TOLERATED_MS, warnWhenClockOutOfStep } from '@/lib/db/database-clock';
import { databaseKind } from '@/lib/db/kind';
import { totpCodeFor, totpStep } from '@/lib/mfa/totp';
import { verifySignInSecondFactor } from '@/lib/mfa/verify-sign-in-second-factor';
import { logger } from '@/lib/observability/logger.mjs';
import { addTotpFactor, createAgency, createUser, uniqueSuffix } from '@/prisma/factories';

const PASSWORD = 'quiet meadow copper bicycle';
const postgres = databaseKind(process.env.DATABASE_URL!) === 'postgresql';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Runs `work` on an instance whose clock reads `at` (and stands still while it runs). */
async function onInstanceAt<T>(at: number, work: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
  try {
    return await work();
  } finally {
    vi.useRealTimers();
  }
}

describe('clocks of several instances', () => {
  it('[PROVIDER_ADMIN] a wrong password on an instance running ahead, a wrong code on one behind, the lock on the first: the mail still says the password is known (review r55f F1)', async () => {
    const agency = await createAgency(db(), { softLockThreshold: 3 });
    const user = await createUser(db(), agency.id, PASSWORD, { role: 'PROVIDER_ADMIN', email: `skew.${uniqueSuffix()}@example.test` });
    const secret = await addTotpFactor(db(), { userId: user.id });
    const ip = `2001:db8:55f:${Math.floor(Math.random() * 60000).toString(16)}::/64`;
    const attempt = (password: string) => signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password }, ip);
    const b = Date.now();
    const a = b + CLOCK_SKEW_TOLERATED_MS - 100;

    // The streak starts on A; B records its wrong code at a time before that start on A's clock.
    expect(await onInstanceAt(a, () => attempt('not the password'))).toEqual({ ok: false, reason: 'INVALID' });
    const pending = await onInstanceAt(b, () => attempt(PASSWORD));
    if (!pending.ok) throw new Error('the right password was refused');
    const step = totpStep(new Date(b));
    const near = new Set(await Promise.all([-2, -1, 0, 1, 2].map((offset) => totpCodeFor(secret, step + offset))));
    const wrong = ['000000', '111111', '222222', '333333'].find((code) => !near.has(code))!;
    expect(await onInstanceAt(b, async () => verifySignInSecondFactor((await resolveSession(pending.sessionId))!, { code: wrong }, ip))).toEqual({ ok: false, reason: 'WRONG_CODE' });
    expect(await onInstanceAt(a, () => attempt('still not it'))).toEqual({ ok: false, reason: 'INVALID' });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).lockedUntil).not.toBeNull();

    await settleAttemptsLeftToTheRound(db());
    const [mail, ...more] = await db().outboxMessage.findMany({ where: { toAddress: user.email!, template: 'account-locked' } });
    expect(more).toEqual([]);
    expect(mail!.textBody).toContain('someone knows your password: it was typed right, then the codes were wrong.');
    expect(mail!.textBody).not.toContain('still work');
  });

  it.runIf(postgres)('an instance whose clock is out of step with the database server’s says so at every round, and one in step says nothing', async () => {
    const warned = vi.spyOn(logger, 'warn').mockImplementation(() => {});
    const inStep = await warnWhenClockOutOfStep(db());
    expect(Math.abs(inStep!.offsetMs)).toBeLessThanOrEqual(inStep!.uncertaintyMs + 50);
    expect(warned).not.toHaveBeenCalled();

    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    vi.setSystemTime(Date.now() - 5_000);
    const behind = await warnWhenClockOutOfStep(db());
    vi.useRealTimers();
    expect(behind!.offsetMs).toBeLessThan(-4_000);
    expect(warned).toHaveBeenCalledWith(expect.objectContaining({ event: 'clock.out_of_step', offsetMs: behind!.offsetMs }));
  });

  it.runIf(!postgres)('SQLite is read on this machine’s own clock: nothing to compare', async () => {
    expect(await warnWhenClockOutOfStep(db())).toBeNull();
  });
});
