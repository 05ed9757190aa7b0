import { describe, expect, it } from 'vitest';
import { databaseKind } from '@/lib/db/kind';
import { verifyAuditChain } from '@/lib/audit/verify-chain';
import { signInAgencyUser, signInVendorAccount } from '@/lib/auth/sign-in';
import { db } from '@/lib/db/client';
import { settleAttemptsLeftToTheRound } from '@/lib/auth/password-attempt';
import { argon2VerifiesDone, hashPassword } from '@/lib/password/hash';
import { RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import { createAgency, createUser, createVendorAccount, uniqueSuffix } from '@/prisma/factories';
import { whileCompetingTransactionHolds } from '../support/competing-transaction';

const PASSWORD = 'tidy orange harbour violin';
const WRONG = 'tidy orange harbour violins';
let ipCounter = 0;
// Each test signs in from its own address so the per-address throttle stays out of the way.
const freshIp = () => `10.99.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

async function agencyWithUser(overrides: Parameters<typeof createUser>[3] = {}) {
  const agency = await createAgency(db());
  const user = await createUser(db(), agency.id, PASSWORD, overrides);
  return { agency, user, creds: { providerCode: agency.code, loginName: user.loginName, password: PASSWORD } };
}

const reload = (id: string) => db().user.findUniqueOrThrow({ where: { id } });

describe('agency sign-in', () => {
  it('[STAFF] can sign in and gets a server-side session', async () => {
    const { user, creds } = await agencyWithUser();
    const result = await signInAgencyUser(creds, freshIp());
    expect(result.ok).toBe(true);
    const session = await db().authSession.findUniqueOrThrow({ where: { id: result.ok ? result.sessionId : '' } });
    expect(session.userId).toBe(user.id);
    expect((await reload(user.id)).lastSignInAt).not.toBeNull();
  });

  it('matches provider code and login name case-insensitively after NFKC and trimming', async () => {
    const suffix = uniqueSuffix().toUpperCase();
    const agency = await createAgency(db(), { code: `NFKC-${suffix}` });
    await createUser(db(), agency.id, PASSWORD, { loginName: 'Maria.Lopez' });
    // Fullwidth letters and surrounding spaces, as a phone keyboard or copy-paste may produce.
    const fullwidthCode = `  ＮＦＫＣ-${suffix.replace(/[A-Z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))} `;
    const result = await signInAgencyUser({ providerCode: fullwidthCode, loginName: ' MARIA.LOPEZ ', password: PASSWORD }, freshIp());
    expect(result.ok).toBe(true);
  });

  it('answers unknown agency, unknown user, wrong password and disabled user with one generic refusal', async () => {
    const { agency, creds } = await agencyWithUser();
    const disabled = await createUser(db(), agency.id, PASSWORD, { status: 'DISABLED' });
    const outcomes = await Promise.all([
      signInAgencyUser({ ...creds, providerCode: `NOPE-${uniqueSuffix()}` }, freshIp()),
      signInAgencyUser({ ...creds, loginName: `ghost.${uniqueSuffix()}` }, freshIp()),
      signInAgencyUser({ ...creds, password: WRONG }, freshIp()),
      signInAgencyUser({ ...creds, loginName: disabled.loginName }, freshIp()),
    ]);
    expect(outcomes).toEqual(Array(4).fill({ ok: false, reason: 'INVALID' }));
  });

  it('[ATTACKER] guesses at a disabled account count on no streak of it: recorded as disabled, never locking it (review r53c F4)', async () => {
    const { agency } = await agencyWithUser();
    const disabled = await createUser(db(), agency.id, PASSWORD, { status: 'DISABLED' });
    const creds = { providerCode: agency.code, loginName: disabled.loginName };
    for (const password of [PASSWORD, ...Array.from({ length: 6 }, (_, i) => `${WRONG} ${i}`)]) {
      expect(await signInAgencyUser({ ...creds, password }, freshIp())).toEqual({ ok: false, reason: 'INVALID' });
    }
    await settleAttemptsLeftToTheRound(db());
    const reasons = await db().auditEvent.findMany({ where: { targetId: disabled.id, action: 'SIGN_IN_FAILURE' }, select: { details: true } });
    expect(reasons.map(({ details }) => JSON.parse(details!).reason)).toEqual(Array(7).fill('account disabled'));
    expect(await reload(disabled.id)).toMatchObject({ failedSignInCount: 0, lockedUntil: null, hardLockedAt: null });
  });

  it('takes about as long for an unknown account as for a wrong password', async () => {
    const { creds } = await agencyWithUser();
    const timed = async (attempt: Promise<unknown>, times: number[]) => {
      const start = performance.now();
      await attempt;
      times.push(performance.now() - start);
    };
    const median = (times: number[]) => times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
    // Keep the real account under its lock threshold: wrong-password timing is measured on fresh users.
    const users = await Promise.all(Array.from({ length: 7 }, () => agencyWithUser()));
    // Taking turns, so a burst of load on a busy machine falls on both sides alike.
    const wrongTimes: number[] = [];
    const unknownTimes: number[] = [];
    for (const user of users) {
      await timed(signInAgencyUser({ ...user.creds, password: WRONG }, freshIp()), wrongTimes);
      await timed(signInAgencyUser({ ...creds, loginName: `ghost.${uniqueSuffix()}` }, freshIp()), unknownTimes);
    }
    const wrong = median(wrongTimes);
    const unknown = median(unknownTimes);
    // Both paths run one argon2id verification; without the dummy verify, unknown would be ~10x faster.
    expect(unknown / wrong).toBeGreaterThan(0.3);
  });

  it('refuses bad input without touching any account', async () => {
    const { user, creds } = await agencyWithUser();
    const bad = [
      { ...creds, providerCode: '' },
      { ...creds, loginName: 'bad\u200Bname' },
      { ...creds, loginName: 'bad\u0000name' },
      // The real name and code under a pile of combining marks: no language stacks six, and NFKC keeps them.
      { ...creds, loginName: `${creds.loginName}${'\u0351\u0360\u034c'.repeat(2)}` },
      { ...creds, providerCode: `${creds.providerCode}${'\u0301'.repeat(6)}` },
      { ...creds, password: 'x'.repeat(6 * 1024 * 1024) },
      { providerCode: 42, loginName: [], password: null },
      null,
    ];
    for (const input of bad) expect(await signInAgencyUser(input, freshIp())).toMatchObject({ ok: false, reason: 'BAD_INPUT' });
    expect((await reload(user.id)).failedSignInCount).toBe(0);
    // Each field says what is wrong with it, as the form shows it; nothing said of any account.
    expect(await signInAgencyUser({ ...creds, loginName: 'bad\u200Bname' }, freshIp())).toEqual({
      ok: false,
      reason: 'BAD_INPUT',
      fieldErrors: { loginName: ['Login name contains a hidden character. Type it in rather than pasting it'] },
    });
    expect(await signInAgencyUser(null, freshIp())).toEqual({ ok: false, reason: 'BAD_INPUT' });
  });

  it('locks the account after 5 consecutive failures; the right password is then refused generically', async () => {
    const { user, creds } = await agencyWithUser();
    const ip = freshIp();
    for (let i = 0; i < 5; i++) expect(await signInAgencyUser({ ...creds, password: WRONG }, ip)).toMatchObject({ ok: false, reason: 'INVALID' });
    const locked = await reload(user.id);
    expect(locked.failedSignInCount).toBe(5);
    const lockMs = locked.lockedUntil!.getTime() - locked.lastFailedSignInAt!.getTime();
    expect(lockMs).toBeGreaterThanOrEqual(59_000);
    expect(lockMs).toBeLessThanOrEqual(61_000);

    expect(await signInAgencyUser(creds, ip)).toEqual({ ok: false, reason: 'INVALID' });
    // Attempts while locked are not counted.
    expect((await reload(user.id)).failedSignInCount).toBe(5);
    await settleAttemptsLeftToTheRound(db());
    const actions = await db().auditEvent.findMany({ where: { targetId: user.id }, select: { action: true } });
    expect(actions.filter((a) => a.action === 'ACCOUNT_LOCKED')).toHaveLength(1);
  });

  /**
   * After four typos, the owner's right password and then `second` while the first press's
   * reservation has set the lock (its fifth attempt) and its check still waits: hashes queued first
   * keep the check waiting its turn.
   */
  async function secondDuringTheFirstsLock(creds: { providerCode: string; loginName: string; password: string }, userId: string, second: string) {
    const ip = freshIp();
    for (let i = 0; i < 4; i++) await signInAgencyUser({ ...creds, password: WRONG }, ip);
    const queued = Array.from({ length: 10 }, () => hashPassword('keeps the checks waiting'));
    const first = signInAgencyUser(creds, ip);
    while ((await db().unsettledAttempt.count({ where: { setsLockOf: { contains: userId } } })) === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    const results = await Promise.all([first, signInAgencyUser({ ...creds, password: second }, ip)]);
    await Promise.all(queued);
    const records = await db().auditEvent.findMany({ where: { targetId: userId, action: { startsWith: 'SIGN_IN' } }, select: { action: true, details: true }, orderBy: { seq: 'asc' } });
    return { results, records: records.map(({ action, details }) => ({ action, reason: details ? (JSON.parse(details) as { reason?: string }).reason : undefined })) };
  }

  it('[STAFF] presses Sign in twice with the right password after four typos: both sign in, neither is refused as locked (review r26c N3)', async () => {
    const { user, creds } = await agencyWithUser();
    const { results, records } = await secondDuringTheFirstsLock(creds, user.id, PASSWORD);
    expect(results).toMatchObject([{ ok: true }, { ok: true }]);
    expect(records.map(({ action }) => action).sort()).toEqual([...Array(4).fill('SIGN_IN_FAILURE'), 'SIGN_IN_SUCCESS', 'SIGN_IN_SUCCESS']);
    expect(records.filter(({ reason }) => reason === 'account locked')).toEqual([]);
    expect(await reload(user.id)).toMatchObject({ failedSignInCount: 0, lockedUntil: null });
  });

  it('[ATTACKER] a guess whose lock ended while it was checked runs one argon2 verify, as every refusal does: no longer answer tells a real account (review r53b F1)', async () => {
    const { creds, user } = await agencyWithUser();
    const before = argon2VerifiesDone();
    const { results, records } = await secondDuringTheFirstsLock(creds, user.id, WRONG);
    expect(results).toMatchObject([{ ok: true }, { ok: false, reason: 'INVALID' }]);
    // The lock ended meanwhile, so the guess was counted and checked after all, on its one verify.
    expect(records.at(-1)).toEqual({ action: 'SIGN_IN_FAILURE', reason: 'wrong password' });
    expect(argon2VerifiesDone() - before).toBe(4 + 2);
  });

  it('[ATTACKER] a wrong guess sent while the owner’s right password is being checked is counted and checked, and gets nothing', async () => {
    const { user, creds } = await agencyWithUser();
    const { results, records } = await secondDuringTheFirstsLock(creds, user.id, WRONG);
    expect(results).toMatchObject([{ ok: true }, { ok: false, reason: 'INVALID' }]);
    // The owner's success ended the streak; the guess starts a new one, checked like any other.
    expect(records.slice(-2)).toEqual([{ action: 'SIGN_IN_SUCCESS', reason: undefined }, { action: 'SIGN_IN_FAILURE', reason: 'wrong password' }]);
    expect(await reload(user.id)).toMatchObject({ failedSignInCount: 1, lockedUntil: null });
  });

  it('[ATTACKER] a burst of wrong guesses that locks the account still gets five checks; the rest are refused as locked', async () => {
    const { user, creds } = await agencyWithUser();
    const before = await db().auditEvent.count({ where: { targetId: user.id, action: 'ACCOUNT_LOCKED' } });
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => signInAgencyUser({ ...creds, password: `${WRONG} ${i}` }, freshIp())));
    expect(results).toEqual(Array(12).fill({ ok: false, reason: 'INVALID' }));
    const failures = await db().auditEvent.findMany({ where: { targetId: user.id, action: 'SIGN_IN_FAILURE' }, select: { details: true } });
    const reasons = failures.map(({ details }) => JSON.parse(details!).reason as string);
    expect(reasons.filter((reason) => reason === 'wrong password')).toHaveLength(5);
    expect(reasons.filter((reason) => reason === 'account locked')).toHaveLength(7);
    await settleAttemptsLeftToTheRound(db());
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'ACCOUNT_LOCKED' } })).toBe(before + 1);
    expect((await reload(user.id)).failedSignInCount).toBe(5);
  });

  it('[STAFF] is told by mail of the streak’s first lock and of the hard lock, not of every lock between', async () => {
    const { user, creds } = await agencyWithUser({ email: `locked.${Date.now()}@example.test` });
    const ip = freshIp();
    const lockMails = () => db().outboxMessage.findMany({ where: { toAddress: user.email!, template: 'account-locked' }, select: { textBody: true }, orderBy: { createdAt: 'asc' } });
    for (let failure = 1; failure <= 7; failure++) {
      await db().user.update({ where: { id: user.id }, data: { lockedUntil: null } });
      await signInAgencyUser({ ...creds, password: WRONG }, ip);
    }
    // Locks at the 5th, 6th and 7th failures; one mail, which says until when and from where.
    await settleAttemptsLeftToTheRound(db());
    const [first, ...more] = await lockMails();
    expect(more).toHaveLength(0);
    expect(first!.textBody).toMatch(/After 5 wrong passwords or codes in a row, your account is locked until /);
    expect(first!.textBody).toContain(ip);
    expect(first!.textBody).not.toContain(PASSWORD);
    // The hard lock is told too.
    await db().user.update({ where: { id: user.id }, data: { failedSignInCount: 19, lockedUntil: null } });
    await signInAgencyUser({ ...creds, password: WRONG }, ip);
    expect((await reload(user.id)).hardLockedAt).not.toBeNull();
    await settleAttemptsLeftToTheRound(db());
    const mails = await lockMails();
    expect(mails).toHaveLength(2);
    expect(mails[1]!.textBody).toContain('locked until an administrator unlocks it');
  });

  it('lets the right password in once the lock has run out, and the streak ends', async () => {
    const { user, creds } = await agencyWithUser({ failedSignInCount: 5, lockedUntil: new Date(Date.now() - 1000) });
    await db().user.update({ where: { id: user.id }, data: { firstFailedSignInAt: new Date(), lastFailedSignInAt: new Date() } });
    expect((await signInAgencyUser(creds, freshIp())).ok).toBe(true);
    const after = await reload(user.id);
    expect(after.failedSignInCount).toBe(0);
    expect(after.lockedUntil).toBeNull();
  });

  it('doubles the lock with each further failure, up to 15 minutes', async () => {
    const { user, creds } = await agencyWithUser();
    const ip = freshIp();
    const lockMinutes: number[] = [];
    for (let failure = 1; failure <= 10; failure++) {
      await db().user.update({ where: { id: user.id }, data: { lockedUntil: null } });
      await signInAgencyUser({ ...creds, password: WRONG }, ip);
      const row = await reload(user.id);
      if (row.lockedUntil) lockMinutes.push(Math.round((row.lockedUntil.getTime() - row.lastFailedSignInAt!.getTime()) / 60_000));
    }
    expect(lockMinutes).toEqual([1, 2, 4, 8, 15, 15]);
  });

  it('parallel wrong passwords cannot slip past the threshold', async () => {
    const { user, creds } = await agencyWithUser();
    const ip = freshIp();
    const results = await Promise.all(Array.from({ length: 20 }, () => signInAgencyUser({ ...creds, password: WRONG }, ip)));
    expect(results.every((r) => !r.ok)).toBe(true);
    const row = await reload(user.id);
    expect(row.failedSignInCount).toBe(5);
    expect(row.lockedUntil).not.toBeNull();
    const checked = await db().auditEvent.count({
      where: { targetId: user.id, action: 'SIGN_IN_FAILURE', details: { contains: 'wrong password' } },
    });
    expect(checked).toBe(5);
  });

  it('hard-locks after 20 consecutive failures within 24 h until an admin acts', async () => {
    const { user, creds } = await agencyWithUser({ failedSignInCount: 19 });
    await db().user.update({ where: { id: user.id }, data: { firstFailedSignInAt: new Date(), lastFailedSignInAt: new Date() } });
    await signInAgencyUser({ ...creds, password: WRONG }, freshIp());
    const row = await reload(user.id);
    expect(row.hardLockedAt).not.toBeNull();
    // Even long after any soft lock would have ended, the right password stays refused.
    await db().user.update({ where: { id: user.id }, data: { lockedUntil: new Date(Date.now() - 3600_000) } });
    expect(await signInAgencyUser(creds, freshIp())).toEqual({ ok: false, reason: 'INVALID' });
  });

  it('starts a new streak after 12 hours without failures', async () => {
    const { user, creds } = await agencyWithUser({ failedSignInCount: 4 });
    const thirteenHoursAgo = new Date(Date.now() - 13 * 3600_000);
    await db().user.update({ where: { id: user.id }, data: { firstFailedSignInAt: thirteenHoursAgo, lastFailedSignInAt: thirteenHoursAgo } });
    await signInAgencyUser({ ...creds, password: WRONG }, freshIp());
    const row = await reload(user.id);
    expect(row.failedSignInCount).toBe(1);
    expect(row.lockedUntil).toBeNull();
  });

  it('[STAFF] a temporary password opens one sign-in: the next, or a parallel one, is refused with its own message', async () => {
    const agency = await createAgency(db());
    const user = await createUser(db(), agency.id, 'TEMPPASSWORD2345', {}, { expiresAt: new Date(Date.now() + 3600_000) });
    const creds = { providerCode: agency.code, loginName: user.loginName, password: 'TEMPPASSWORD2345' };
    const firsts = await Promise.all([1, 2, 3].map(() => signInAgencyUser(creds, freshIp())));
    expect(firsts.filter((result) => result.ok)).toHaveLength(1);
    expect(firsts.filter((result) => !result.ok)).toEqual([
      { ok: false, reason: 'TEMPORARY_PASSWORD_USED' },
      { ok: false, reason: 'TEMPORARY_PASSWORD_USED' },
    ]);
    expect(await signInAgencyUser(creds, freshIp())).toEqual({ ok: false, reason: 'TEMPORARY_PASSWORD_USED' });
    expect(await db().authSession.count({ where: { userId: user.id } })).toBe(1);
    // Refused for what it is, not as a wrong password: the account's streak is not touched.
    expect((await reload(user.id)).failedSignInCount).toBe(0);
    const refusals = await db().auditEvent.findMany({ where: { targetId: user.id, action: 'SIGN_IN_FAILURE' } });
    expect(refusals.map((event) => JSON.parse(event.details!).reason)).toEqual(Array(3).fill('temporary password already used'));
    // A wrong guess learns nothing more than any wrong guess.
    expect(await signInAgencyUser({ ...creds, password: WRONG }, freshIp())).toEqual({ ok: false, reason: 'INVALID' });
  });

  it('refuses an expired temporary password with its own message', async () => {
    const agency = await createAgency(db());
    const user = await createUser(db(), agency.id, 'TEMPPASSWORD2345', {}, { expiresAt: new Date(Date.now() - 1000) });
    const creds = { providerCode: agency.code, loginName: user.loginName, password: 'TEMPPASSWORD2345' };
    expect(await signInAgencyUser(creds, freshIp())).toEqual({ ok: false, reason: 'TEMPORARY_PASSWORD_EXPIRED' });
    // A wrong guess at an expired temporary password learns nothing more than any wrong guess.
    expect(await signInAgencyUser({ ...creds, password: WRONG }, freshIp())).toEqual({ ok: false, reason: 'INVALID' });
  });

  it.runIf(databaseKind(process.env.DATABASE_URL!) === 'postgresql')(
    '[STAFF] a sign-in with the old temporary password while an admin issues a new one claims nothing: the new one stays unused (review r36e F7)',
    async () => {
      const agency = await createAgency(db());
      const user = await createUser(db(), agency.id, 'OLDTEMPORARY2345', {}, { expiresAt: new Date(Date.now() + 3600_000) });
      const creds = { providerCode: agency.code, loginName: user.loginName, password: 'OLDTEMPORARY2345' };
      // The admin's new temporary password lands while the sign-in, which read the account, waits for its row.
      const issueNew = {
        sql: 'UPDATE "User" SET "passwordHash" = $2, "sessionVersion" = "sessionVersion" + 1, "temporaryPasswordUsedAt" = NULL, "temporaryPasswordExpiresAt" = $3 WHERE "id" = $1',
        params: [user.id, await hashPassword('NEWTEMPORARY2345'), new Date(Date.now() + 3600_000)],
      };
      const raced = await whileCompetingTransactionHolds({ holds: { sql: 'SELECT "id" FROM "User" WHERE "id" = $1 FOR UPDATE', params: [user.id] }, then: issueNew }, () =>
        signInAgencyUser(creds, freshIp()),
      );
      // The password typed is no longer the account's: refused as any wrong one is, counting nothing.
      expect(raced).toEqual({ ok: false, reason: 'INVALID' });
      expect(await reload(user.id)).toMatchObject({ temporaryPasswordUsedAt: null, failedSignInCount: 0 });
      expect(await db().authSession.count({ where: { userId: user.id } })).toBe(0);
      expect((await signInAgencyUser({ ...creds, password: 'NEWTEMPORARY2345' }, freshIp())).ok).toBe(true);
    },
  );

  it.runIf(databaseKind(process.env.DATABASE_URL!) === 'postgresql')(
    '[STAFF] a sign-in whose account an admin disables while its password is checked writes no success: no session, no last sign-in, no success on the record, no failure counted (review r37b F3)',
    async () => {
      const { user, creds } = await agencyWithUser({ failedSignInCount: 2 });
      const disable = { sql: `UPDATE "User" SET "status" = 'DISABLED', "sessionVersion" = "sessionVersion" + 1 WHERE "id" = $1`, params: [user.id] };
      const raced = await whileCompetingTransactionHolds({ holds: { sql: 'SELECT "id" FROM "User" WHERE "id" = $1 FOR UPDATE', params: [user.id] }, then: disable }, () =>
        signInAgencyUser(creds, freshIp()),
      );
      expect(raced).toEqual({ ok: false, reason: 'INVALID' });
      // The streak stands as the disable found it: this attempt neither cleared it nor added to it.
      expect(await reload(user.id)).toMatchObject({ status: 'DISABLED', lastSignInAt: null, failedSignInCount: 2 });
      expect(await db().authSession.count({ where: { userId: user.id } })).toBe(0);
      const records = await db().auditEvent.findMany({ where: { targetId: user.id }, select: { action: true, details: true } });
      expect(records.map((record) => record.action)).toEqual(['SIGN_IN_FAILURE']);
      expect(JSON.parse(records[0]!.details!)).toEqual({ reason: 'account changed during sign-in' });
    },
  );

  it('throttles an address that keeps failing, across accounts', async () => {
    const { creds } = await agencyWithUser();
    const ip = freshIp();
    const rule = RATE_LIMITS.signInFailuresPerAddress;
    await db().rateLimitBucket.create({ data: { key: `${rule.name}:${ip}`, windowStart: new Date(), count: rule.limit } });
    expect(await signInAgencyUser(creds, ip)).toEqual({ ok: false, reason: 'THROTTLED' });
    expect((await signInAgencyUser(creds, freshIp())).ok).toBe(true);
  });

  it('records a flood of throttled attempts from one address by sample: each of the first ten a minute, then each power of ten, with its count', async () => {
    const { creds } = await agencyWithUser();
    const ip = freshIp();
    const rule = RATE_LIMITS.signInFailuresPerAddress;
    await db().rateLimitBucket.create({ data: { key: `${rule.name}:${ip}`, windowStart: new Date(), count: rule.limit } });
    const answers = [];
    for (let i = 0; i < 120; i++) answers.push(await signInAgencyUser({ ...creds, password: i % 2 ? WRONG : PASSWORD }, ip));
    // Every one refused alike, right password or not: nothing was checked.
    expect(new Set(answers.map((answer) => JSON.stringify(answer)))).toEqual(new Set([JSON.stringify({ ok: false, reason: 'THROTTLED' })]));
    const records = await db().auditEvent.findMany({ where: { action: 'SIGN_IN_THROTTLED', ip }, orderBy: { seq: 'asc' } });
    expect(records.map((record) => JSON.parse(record.details!).refusalsThisMinute)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100]);
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });

  it('records successes and failures in an intact audit chain without any secret', async () => {
    const { user, creds } = await agencyWithUser();
    await signInAgencyUser({ ...creds, password: WRONG }, freshIp());
    await signInAgencyUser(creds, freshIp());
    const events = await db().auditEvent.findMany({ where: { targetId: user.id }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => e.action)).toEqual(['SIGN_IN_FAILURE', 'SIGN_IN_SUCCESS']);
    const text = JSON.stringify(events);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(WRONG);
    expect(text).not.toContain(user.passwordHash);
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });
});

describe('vendor sign-in', () => {
  it('[VERIFIER] can sign in with a work e-mail in any case', async () => {
    const account = await createVendorAccount(db(), 'VERIFIER', PASSWORD);
    const result = await signInVendorAccount({ email: account.email.toUpperCase(), password: PASSWORD }, freshIp());
    expect(result.ok).toBe(true);
  });

  it('locks a vendor account after 5 failures like any other', async () => {
    const account = await createVendorAccount(db(), 'OPERATOR', PASSWORD);
    for (let i = 0; i < 5; i++) await signInVendorAccount({ email: account.email, password: WRONG }, freshIp());
    expect(await signInVendorAccount({ email: account.email, password: PASSWORD }, freshIp())).toEqual({ ok: false, reason: 'INVALID' });
    // Its owner is told, and sent to whoever runs the portal rather than to an agency.
    await settleAttemptsLeftToTheRound(db());
    const [mail, ...more] = await db().outboxMessage.findMany({ where: { toAddress: account.email, template: 'account-locked' }, select: { textBody: true } });
    expect(more).toHaveLength(0);
    expect(mail!.textBody).toContain('the colleague who runs the CareNotes password help portal');
  });

  it.runIf(databaseKind(process.env.DATABASE_URL!) === 'postgresql')(
    '[VERIFIER] a sign-in whose vendor account is deactivated while its password is checked writes no success: no session, no last sign-in, no failure counted',
    async () => {
      const account = await createVendorAccount(db(), 'VERIFIER', PASSWORD);
      await db().vendorAccount.update({ where: { id: account.id }, data: { failedSignInCount: 2 } });
      const deactivate = { sql: 'UPDATE "VendorAccount" SET "active" = false, "sessionVersion" = "sessionVersion" + 1 WHERE "id" = $1', params: [account.id] };
      const raced = await whileCompetingTransactionHolds({ holds: { sql: 'SELECT "id" FROM "VendorAccount" WHERE "id" = $1 FOR UPDATE', params: [account.id] }, then: deactivate }, () =>
        signInVendorAccount({ email: account.email, password: PASSWORD }, freshIp()),
      );
      expect(raced).toEqual({ ok: false, reason: 'INVALID' });
      expect(await db().vendorAccount.findUniqueOrThrow({ where: { id: account.id } })).toMatchObject({ active: false, lastSignInAt: null, failedSignInCount: 2 });
      expect(await db().authSession.count({ where: { vendorAccountId: account.id } })).toBe(0);
      const records = await db().auditEvent.findMany({ where: { targetId: account.id }, select: { action: true, details: true } });
      expect(records.map((record) => [record.action, JSON.parse(record.details!)])).toEqual([['SIGN_IN_FAILURE', { reason: 'account changed during sign-in' }]]);
    },
  );
});
