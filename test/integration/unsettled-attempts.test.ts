// Decision 065, part 2: an attempt counted before its secret is checked, whose request never writes
// its record (the process died, the database refused the write), is recorded by the status round
// as "attempt not completed", with the lock it set and its mail, exactly once.
import { describe, expect, it } from 'vitest';
import { ABANDONED_AFTER_MS, reserveAttempt, settleAttemptsLeftToTheRound, settleWrongSecret } from '@/lib/auth/password-attempt';
import { signInAgencyUser } from '@/lib/auth/sign-in';
import { db } from '@/lib/db/client';
import { runStatusRound } from '@/lib/maintenance/maintenance-announcer';
import { unlockUser } from '@/lib/admin/unlock-user';
import { resolveSession, type AgencyActor } from '@/lib/auth/session';
import { createAgency, createUser } from '@/prisma/factories';
import { statementsOf } from '@/test/support/statements-of';

const PASSWORD = 'amber harbour quiet violin';
const WRONG = 'amber harbour quiet violins';
let ipCounter = 0;
const freshIp = () => `10.66.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

async function staff() {
  const agency = await createAgency(db());
  const user = await createUser(db(), agency.id, PASSWORD, { email: `unsettled.${Date.now()}.${ipCounter}@example.test` });
  const signIn = (password: string, loginName = user.loginName) => signInAgencyUser({ providerCode: agency.code, loginName, password }, freshIp());
  return { agency, user, signIn };
}

/**
 * Runs `work` while the database refuses every audit record (the chain's head row is gone), so the
 * attempt's reservation commits and the transaction that settles it fails: what a crash or an outage
 * between the two leaves.
 */
async function whileRecordsFail<T>(work: () => Promise<T>): Promise<unknown> {
  const head = await db().auditChainHead.findUniqueOrThrow({ where: { id: 1 } });
  await db().auditChainHead.delete({ where: { id: 1 } });
  try {
    return await work().then(
      () => 'settled',
      (error: unknown) => error,
    );
  } finally {
    const now = await db().auditChainHead.findUnique({ where: { id: 1 } });
    if (!now) await db().auditChainHead.create({ data: head });
  }
}

const failuresOf = (userId: string) => db().auditEvent.findMany({ where: { targetId: userId, action: 'SIGN_IN_FAILURE' } });
const later = () => new Date(Date.now() + ABANDONED_AFTER_MS + 60_000);

describe('attempts a request never settled', () => {
  it('[STAFF] a wrong password whose record could not be written is recorded by the status round, once, and stays counted', async () => {
    const { user, signIn } = await staff();
    expect(await whileRecordsFail(() => signIn(WRONG))).toBeInstanceOf(Error);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(1);
    expect(await failuresOf(user.id)).toHaveLength(0);

    // A request may still be working on it: not yet.
    expect((await runStatusRound(db())).attemptsSettled).toBe(0);
    expect(await failuresOf(user.id)).toHaveLength(0);

    expect((await runStatusRound(db(), later())).attemptsSettled).toBe(1);
    const [record] = await failuresOf(user.id);
    expect(record).toMatchObject({ actorType: 'USER', actorId: user.id, outcome: 'FAILURE' });
    expect(JSON.parse(record!.details!)).toMatchObject({ reason: 'attempt not completed', consecutiveFailures: 1 });
    expect((await runStatusRound(db(), later())).attemptsSettled).toBe(0);
    expect(await failuresOf(user.id)).toHaveLength(1);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(1);
  });

  it('[STAFF] a right password whose sign-in failed to open is not given back: crashing a request is no free guess', async () => {
    const { user, signIn } = await staff();
    expect(await whileRecordsFail(() => signIn(PASSWORD))).toBeInstanceOf(Error);
    expect(await db().authSession.count({ where: { userId: user.id } })).toBe(0);
    await settleAttemptsLeftToTheRound(db(), later());
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(1);
    expect(await failuresOf(user.id)).toHaveLength(1);
  });

  it('[STAFF] the attempt that set the lock: the lock is recorded and mailed to the owner', async () => {
    const { user, signIn } = await staff();
    for (let i = 0; i < 4; i++) await signIn(WRONG);
    expect(await whileRecordsFail(() => signIn(WRONG))).toBeInstanceOf(Error);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).lockedUntil).not.toBeNull();
    const locks = () => db().auditEvent.findMany({ where: { targetId: user.id, action: 'ACCOUNT_LOCKED' } });
    expect(await locks()).toHaveLength(0);

    await settleAttemptsLeftToTheRound(db(), later());
    const [lock] = await locks();
    expect(JSON.parse(lock!.details!)).toMatchObject({ consecutiveFailures: 5, pathway: 'sign-in' });
    expect(await db().outboxMessage.count({ where: { toAddress: user.email!, template: 'account-locked' } })).toBe(1);
  });

  it('an unknown login name’s attempt is recorded too: a refusal leaves the same trace whatever the account', async () => {
    const { agency, signIn } = await staff();
    const name = `nobody-${ipCounter}`;
    expect(await whileRecordsFail(() => signIn(WRONG, name))).toBeInstanceOf(Error);
    await settleAttemptsLeftToTheRound(db(), later());
    const records = await db().auditEvent.findMany({ where: { agencyId: agency.id, action: 'SIGN_IN_FAILURE', actorType: 'ANONYMOUS' } });
    expect(records).toHaveLength(1);
    expect(JSON.parse(records[0]!.details!)).toMatchObject({ reason: 'attempt not completed' });
  });

  it('[STAFF] a request that settles its wrong guess after the round took it as abandoned writes no second record (review r30e)', async () => {
    const { user } = await staff();
    const subject = { kind: 'user' as const, id: user.id, policy: { softLockThreshold: 2, hardLockThreshold: 20 } };
    const failure = { actorType: 'USER', actorId: user.id, targetType: 'USER', targetId: user.id, action: 'SIGN_IN_FAILURE', outcome: 'FAILURE' } as const;
    for (const setsALock of [false, true]) {
      const reservation = await db().$transaction((tx) => reserveAttempt(tx, subject, { failure, pathway: 'sign-in' }));
      expect(reservation).toMatchObject({ counted: true, lock: { lockedUntil: setsALock ? expect.any(Date) : null } });
      // The request stalled past ABANDONED_AFTER_MS; the round wrote the attempt as not completed.
      await settleAttemptsLeftToTheRound(db(), later());
      expect(await db().unsettledAttempt.count({ where: { id: reservation.unsettledId } })).toBe(0);
      await settleWrongSecret(reservation, { ...failure, details: { reason: 'INVALID' } }, 'sign-in');
    }
    const records = (await failuresOf(user.id)).map((record) => JSON.parse(record.details!) as { reason: string });
    expect(records).toEqual([expect.objectContaining({ reason: 'attempt not completed' }), expect.objectContaining({ reason: 'attempt not completed' })]);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'ACCOUNT_LOCKED' } })).toBe(1);
    expect(await db().unsettledAttempt.count({ where: { reservation: { contains: user.id } } })).toBe(0);
  });

  it('[STAFF] the settle of a guess that locks, tried again after a try that did commit, writes its failure once (review r31d L2)', async () => {
    const { user } = await staff();
    const subject = { kind: 'user' as const, id: user.id, policy: { softLockThreshold: 1, hardLockThreshold: 20 } };
    const failure = { actorType: 'USER', actorId: user.id, targetType: 'USER', targetId: user.id, action: 'SIGN_IN_FAILURE', outcome: 'FAILURE' } as const;
    const reservation = await db().$transaction((tx) => reserveAttempt(tx, subject, { failure, pathway: 'sign-in' }));
    expect(reservation).toMatchObject({ counted: true, lock: { lockedUntil: expect.any(Date) } });
    for (let tried = 0; tried < 2; tried++) await settleWrongSecret(reservation, { ...failure, details: { reason: 'INVALID' } }, 'sign-in');
    expect(await failuresOf(user.id)).toHaveLength(1);
    await settleAttemptsLeftToTheRound(db());
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'ACCOUNT_LOCKED' } })).toBe(1);
  });

  it('[STAFF] two instances’ rounds at once write each record once', async () => {
    const { user, signIn } = await staff();
    for (let i = 0; i < 3; i++) expect(await whileRecordsFail(() => signIn(WRONG))).toBeInstanceOf(Error);
    const at = later();
    const settled = await Promise.all([settleAttemptsLeftToTheRound(db(), at), settleAttemptsLeftToTheRound(db(), at)]);
    expect(settled[0]! + settled[1]!).toBe(3);
    expect(await failuresOf(user.id)).toHaveLength(3);
  });
});

describe('the lock a wrong secret sets is recorded by the status round, not before the answer (review r30a)', () => {
  it('[ATTACKER] the guess that locks a real account answers after the same work as one at a made-up name; the round writes the lock and its mail, once', async () => {
    const { user, signIn } = await staff();
    for (let i = 0; i < 5; i++) expect(await signIn(WRONG)).toEqual({ ok: false, reason: 'INVALID' });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).lockedUntil).not.toBeNull();
    // The request wrote the failures, and left the lock: no record, no mail yet, a row for the round.
    const lockRecords = () => db().auditEvent.findMany({ where: { targetId: user.id, action: 'ACCOUNT_LOCKED' } });
    const lockMails = () => db().outboxMessage.count({ where: { toAddress: user.email!, template: 'account-locked' } });
    expect(await failuresOf(user.id)).toHaveLength(5);
    expect([await lockRecords(), await lockMails()]).toEqual([[], 0]);
    const [left, ...more] = await db().unsettledAttempt.findMany({ where: { reservation: { contains: user.id } } });
    expect(more).toEqual([]);
    expect(left).toMatchObject({ failureRecordedAt: expect.any(Date), setsLockOf: null });

    // The next round, on two instances at once: the lock once, the failure not again.
    const settled = await Promise.all([settleAttemptsLeftToTheRound(db()), settleAttemptsLeftToTheRound(db())]);
    expect(settled[0]! + settled[1]!).toBeGreaterThanOrEqual(1);
    const [lock, ...again] = await lockRecords();
    expect(again).toEqual([]);
    expect(lock).toMatchObject({ actorType: 'SYSTEM', outcome: 'SUCCESS' });
    expect(JSON.parse(lock!.details!)).toMatchObject({ consecutiveFailures: 5, pathway: 'sign-in' });
    expect(await lockMails()).toBe(1);
    expect(await failuresOf(user.id)).toHaveLength(5);
    expect(await db().unsettledAttempt.count({ where: { reservation: { contains: user.id } } })).toBe(0);
  });

  it('[PROVIDER_ADMIN] unlocks the account before the round runs: the lock is on the record as of when it was set, and its owner is not mailed of a lock nobody faces', async () => {
    const { agency, user, signIn } = await staff();
    const admin = await createUser(db(), agency.id, PASSWORD, { role: 'PROVIDER_ADMIN' });
    const adminSignIn = await signInAgencyUser({ providerCode: agency.code, loginName: admin.loginName, password: PASSWORD }, freshIp());
    if (!adminSignIn.ok) throw new Error('admin sign-in failed');
    const adminActor = (await resolveSession(adminSignIn.sessionId)) as AgencyActor;
    for (let i = 0; i < 5; i++) await signIn(WRONG);
    const lockedAt = (await db().user.findUniqueOrThrow({ where: { id: user.id } })).lastFailedSignInAt!;
    expect(await unlockUser(adminActor, { userId: user.id }, freshIp())).toMatchObject({ ok: true });

    await settleAttemptsLeftToTheRound(db());
    const [lock, ...again] = await db().auditEvent.findMany({ where: { targetId: user.id, action: 'ACCOUNT_LOCKED' } });
    expect(again).toEqual([]);
    expect(JSON.parse(lock!.details!)).toMatchObject({ consecutiveFailures: 5, lockedAt: lockedAt.toISOString() });
    expect(await db().outboxMessage.count({ where: { toAddress: user.email!, template: 'account-locked' } })).toBe(0);
  });

  it('[ATTACKER] the guess that locks a real account sends the statements of any other refusal, an update where they delete', async () => {
    const { user, signIn } = await staff();
    for (let i = 0; i < 3; i++) await signIn(WRONG);
    // The one statement allowed to differ: the attempt's row is marked for the round, not deleted.
    const settlesTheRow =
      /^(UPDATE .UnsettledAttempt. SET .failureRecordedAt. = \S+, .setsLockOf. = \S+ WHERE \(.UnsettledAttempt.\..id. = \S+ AND .UnsettledAttempt.\..failureRecordedAt. IS NULL\)|DELETE FROM .UnsettledAttempt. WHERE .UnsettledAttempt.\..id. = \S+)$/;
    const statementsOfGuess = async (guess: () => Promise<unknown>) => {
      const { probe, sent } = await statementsOf(guess);
      await probe.$disconnect();
      const sql = sent.map((query) => query.sql.replace(/[`"](main|public)[`"]\./g, ''));
      return sql.map((statement) => (settlesTheRow.test(statement) ? 'settles the attempt’s row' : statement));
    };
    const lockedUntil = async () => (await db().user.findUniqueOrThrow({ where: { id: user.id } })).lockedUntil;
    const beforeTheLock = await statementsOfGuess(() => signIn(WRONG));
    expect(await lockedUntil()).toBeNull();
    const theLock = await statementsOfGuess(() => signIn(WRONG));
    expect(await lockedUntil()).not.toBeNull();
    const madeUp = await statementsOfGuess(() => signIn(WRONG, `nobody-${ipCounter}`));
    expect(beforeTheLock).toContain('settles the attempt’s row');
    expect(theLock).toEqual(beforeTheLock);
    expect(madeUp).toEqual(beforeTheLock);
  });

  it('[ATTACKER] guesses at a made-up name, and wrong guesses that lock nothing, leave nothing to the round', async () => {
    const { agency, user, signIn } = await staff();
    const name = `nobody-${ipCounter}`;
    for (let i = 0; i < 5; i++) expect(await signIn(WRONG, name)).toEqual({ ok: false, reason: 'INVALID' });
    for (let i = 0; i < 4; i++) expect(await signIn(WRONG)).toEqual({ ok: false, reason: 'INVALID' });
    expect(await db().unsettledAttempt.count({ where: { OR: [{ failure: { contains: agency.id } }, { reservation: { contains: user.id } }] } })).toBe(0);
  });
});
