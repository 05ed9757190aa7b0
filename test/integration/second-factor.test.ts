import { describe, expect, it } from 'vitest';
import { getUserForAdmin } from '@/lib/admin/get-user-for-admin';
import { issueTemporaryPassword } from '@/lib/admin/issue-temporary-password';
import { listAgencyUsers, userListQuerySchema } from '@/lib/admin/list-agency-users';
import { unlockUser } from '@/lib/admin/unlock-user';
import { updateAgencyPolicy } from '@/lib/admin/update-agency-policy';
import { decideAccess } from '@/lib/auth/access';
import { knowsAccount, rememberAccount } from '@/lib/auth/known-device';
import { noteOwnChange } from '@/lib/auth/own-change';
import { settleAttemptsLeftToTheRound, TOO_MANY_FROM_NETWORK } from '@/lib/auth/password-attempt';
import { resolveSession, SECOND_FACTOR_PENDING_MS, type Actor, type AgencyActor } from '@/lib/auth/session';
import { signInAgencyUser, signInVendorAccount } from '@/lib/auth/sign-in';
import { db } from '@/lib/db/client';
import { databaseKind } from '@/lib/db/kind';
import type { Role } from '@/lib/generated/sqlite/enums';
import { addPasskey } from '@/lib/mfa/add-passkey';
import { checkFreshSecondFactor } from '@/lib/mfa/check-fresh-second-factor';
import { confirmTotpEnrolment, TOTP_ADDED_ALREADY } from '@/lib/mfa/confirm-totp-enrolment';
import { listOwnFactors, type FactorRow } from '@/lib/mfa/list-factors';
import { ADD_FACTOR_WITHIN_MS, SIGN_IN_AGAIN_TO_ADD } from '@/lib/mfa/recent-sign-in';
import { SIGNED_OUT_MEANWHILE } from '@/lib/mfa/account';
import { unseal } from '@/lib/mail/seal';
import { replaceRecoveryCodes } from '@/lib/mfa/recovery-codes';
import { RECOVERY_CODES_MADE_ALREADY, regenerateRecoveryCodes } from '@/lib/mfa/regenerate-recovery-codes';
import { REMOVED_ALREADY, removeFactor } from '@/lib/mfa/remove-factor';
import { unsealFactorSecret } from '@/lib/mfa/secret-box';
import { startPasskeyRegistration } from '@/lib/mfa/start-passkey-registration';
import { startTotpEnrolment } from '@/lib/mfa/start-totp-enrolment';
import { totpCodeFor, totpStep } from '@/lib/mfa/totp';
import { verifySignInSecondFactor } from '@/lib/mfa/verify-sign-in-second-factor';
import { issueResetLink } from '@/lib/password-reset/issue-reset-link';
import { DEFAULT_POLICY } from '@/lib/policy/agency-policy';
import { consumeRateLimit, RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import { addTotpFactor, createAgency, createUser, createVendorAccount, uniqueSuffix } from '@/prisma/factories';
import { TAKE_AUDIT_HEAD, whileCompetingTransactionHolds } from '../support/competing-transaction';
import { formKeyFor } from '../support/form-key-for';

const PASSWORD = 'quiet meadow copper bicycle';
const IP = '127.0.0.1';

let addressesGiven = 0;
/**
 * An address no other test uses, for a test whose outcome hangs on an address's counts: the integration
 * files share one database, and with it each address's 15-minute window of failed sign-ins. A pick from
 * 198.51.100.0-249 at random, filled to its limit by one test, was one time in 25 an address the r43f F1
 * test's stranger also used: that stranger's wrong password was refused unchecked (THROTTLED), counted
 * nowhere, and the account was never locked. A network of this file's own (no other test uses
 * 2001:db8:2fa::/48), one /64 per call: an IPv6 client as the portal knows it (lib/http/client-address.mjs).
 */
const ownAddress = () => `2001:db8:2fa:${(addressesGiven += 1).toString(16)}::/64`;

/** `ip`: where the password is typed from; an address of the test's own (ownAddress) when its counts matter to the test. */
async function passwordSignIn(role: Role = 'PROVIDER_ADMIN', agencyOverrides = {}, ip = IP) {
  const agency = await createAgency(db(), agencyOverrides);
  // Mail is looked up by address (lockMailTo): one no other test's account has, in any file (a clock's millisecond is not).
  const user = await createUser(db(), agency.id, PASSWORD, { role, email: `${role.toLowerCase()}.${uniqueSuffix()}@example.test` });
  const signIn = () => signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: PASSWORD }, ip);
  return { agency, user, signIn };
}

/** The lock mail the status round writes for the lock a test set. */
async function lockMailTo(email: string) {
  await settleAttemptsLeftToTheRound(db());
  const [mail, ...more] = await db().outboxMessage.findMany({ where: { toAddress: email, template: 'account-locked' } });
  expect(more).toEqual([]);
  return mail!.textBody;
}

async function actorOf(sessionId: string): Promise<Actor> {
  const actor = await resolveSession(sessionId);
  if (!actor) throw new Error('no session');
  return actor;
}

async function pendingSession(user: { id: string }, signIn: () => ReturnType<typeof signInAgencyUser>) {
  const result = await signIn();
  if (!result.ok) throw new Error('password sign-in failed');
  expect(result.secondFactorPending).toBe(true);
  return actorOf(result.sessionId);
}

const codeNow = (secret: string, offset = 0) => totpCodeFor(secret, totpStep(new Date()) + offset);

/**
 * A code that is wrong whenever it is sent: none of the steps a check allows (one of drift each way) takes it,
 * even once the step has turned meanwhile (a busy machine). Not only the current step's code avoided.
 */
async function wrongCode(secret: string): Promise<string> {
  const near = new Set(await Promise.all([-2, -1, 0, 1, 2].map((offset) => codeNow(secret, offset))));
  return ['000000', '111111', '222222', '333333', '444444', '555555'].find((code) => !near.has(code))!;
}

describe('second factor at sign-in', () => {
  it('[PROVIDER_ADMIN] with an app reaches only /login/verify until the code, then gets a new full session', async () => {
    const { user, signIn } = await passwordSignIn();
    const secret = await addTotpFactor(db(), { userId: user.id });
    const pending = await pendingSession(user, signIn);
    expect(decideAccess(pending, { principal: 'agency' })).toBe('second-factor-required');
    expect(decideAccess(pending, { principal: 'agency', duringEnrolment: true })).toBe('second-factor-required');
    expect(decideAccess(pending, { principal: 'agency', duringForcedPasswordChange: true })).toBe('second-factor-required');
    expect(decideAccess(pending, { principal: 'agency', duringSecondFactor: true })).toBe('allowed');

    const outcome = await verifySignInSecondFactor(pending, { code: await codeNow(secret) }, IP);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.sessionId).not.toBe(pending.sessionId);
    // The pending session's cookie is worth nothing now.
    expect(await resolveSession(pending.sessionId)).toBeNull();
    const full = await actorOf(outcome.sessionId);
    expect(decideAccess(full, { principal: 'agency', roles: ['PROVIDER_ADMIN'] })).toBe('allowed');
    const audit = await db().auditEvent.findFirstOrThrow({ where: { targetId: user.id, action: 'SIGN_IN_SECOND_FACTOR_SUCCESS' } });
    expect(JSON.parse(audit.details!)).toMatchObject({ factor: 'TOTP' });
  });

  it('[PROVIDER_ADMIN] the right code typed with another script’s digits (a phone keyboard’s) passes, and is no wrong guess', async () => {
    const { user, signIn } = await passwordSignIn();
    const secret = await addTotpFactor(db(), { userId: user.id });
    const code = await codeNow(secret);
    const fullWidth = [...code].map((digit) => String.fromCodePoint(0xff10 + Number(digit))).join('');
    expect(await verifySignInSecondFactor(await pendingSession(user, signIn), { code: fullWidth }, IP)).toMatchObject({ ok: true });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(0);
    // The next step's code, in Arabic-Indic digits (the one just used cannot pass twice).
    const next = [...(await codeNow(secret, 1))].map((digit) => String.fromCodePoint(0x0660 + Number(digit))).join('');
    expect(await verifySignInSecondFactor(await pendingSession(user, signIn), { code: `${next.slice(0, 3)} ${next.slice(3)}` }, IP)).toMatchObject({ ok: true });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(0);
  });

  it('[PROVIDER_ADMIN] the right code with a dash or a pasted invisible character in it passes, and is no wrong guess', async () => {
    const { user, signIn } = await passwordSignIn();
    const secret = await addTotpFactor(db(), { userId: user.id });
    const [code, next] = [await codeNow(secret), await codeNow(secret, 1)];
    expect(await verifySignInSecondFactor(await pendingSession(user, signIn), { code: `${code.slice(0, 3)}-${code.slice(3)}` }, IP)).toMatchObject({ ok: true });
    expect(await verifySignInSecondFactor(await pendingSession(user, signIn), { code: `\u200B${next.slice(0, 3)}\u2060${next.slice(3)}\uFEFF` }, IP)).toMatchObject({ ok: true });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(0);
  });

  it('[PROVIDER_ADMIN] wrong codes count for the address (with its wrong passwords) and in the agency’s spray counts; the right code gives its own back', async () => {
    const { agency, user } = await passwordSignIn();
    // Filled to its limit below, so an address of this test's own: another test's there would be refused unchecked.
    const ip = ownAddress();
    const signIn = () => signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: PASSWORD }, ip);
    const secret = await addTotpFactor(db(), { userId: user.id });
    const pending = await pendingSession(user, signIn);
    for (let i = 0; i < 3; i++) expect(await verifySignInSecondFactor(pending, { code: 'not-a-code-1' }, ip)).toEqual({ ok: false, reason: 'WRONG_CODE' });
    const addressCount = async () => (await db().rateLimitBucket.findUnique({ where: { key: `${RATE_LIMITS.signInFailuresPerAddress.name}:${ip}` } }))?.count;
    expect(await addressCount()).toBe(3);
    const failures = () => db().signInAddressFailure.findMany({ where: { agencyKey: agency.id, ip } });
    expect((await failures()).map((row) => row.attempts)).toEqual([3]);
    expect(await verifySignInSecondFactor(pending, { code: await codeNow(secret) }, ip)).toMatchObject({ ok: true });
    expect(await addressCount()).toBe(3);
    expect(await failures()).toEqual([]);

    // An address over the limit is refused before any code is looked at, even the right one.
    await db().rateLimitBucket.update({ where: { key: `${RATE_LIMITS.signInFailuresPerAddress.name}:${ip}` }, data: { count: RATE_LIMITS.signInFailuresPerAddress.limit } });
    const again = await pendingSession(user, () => signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: PASSWORD }, IP));
    expect(await verifySignInSecondFactor(again, { code: await codeNow(secret, 1) }, ip)).toEqual({ ok: false, reason: 'THROTTLED' });
    expect(await verifySignInSecondFactor(again, { code: await codeNow(secret, 1) }, IP)).toMatchObject({ ok: true });
  });

  it('[PROVIDER_ADMIN] a leaked password typed again between wrong codes erases none of them from the spray counts, nor counts as a sign-in', async () => {
    const { agency, user } = await passwordSignIn();
    const ip = ownAddress();
    const signIn = () => signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: PASSWORD }, ip);
    const secret = await addTotpFactor(db(), { userId: user.id });
    const failures = async () => (await db().signInAddressFailure.findMany({ where: { agencyKey: agency.id, ip } })).map((row) => row.attempts);
    for (let round = 1; round <= 3; round++) {
      const pending = await pendingSession(user, signIn);
      expect(await verifySignInSecondFactor(pending, { code: 'not-a-code-1' }, ip)).toEqual({ ok: false, reason: 'WRONG_CODE' });
      expect(await failures()).toEqual([round]);
    }
    expect(await db().signInFailingAccount.count({ where: { agencyKey: agency.id } })).toBe(1);
    // The password alone is not a sign-in: the last one is when the factor passes, and the record says the factor is owed.
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).lastSignInAt).toBeNull();
    const passwordStep = await db().auditEvent.findFirst({ where: { targetId: user.id, action: 'SIGN_IN_SUCCESS' }, orderBy: { seq: 'desc' } });
    expect(JSON.parse(passwordStep!.details!)).toMatchObject({ secondFactorPending: true });
    expect(await verifySignInSecondFactor(await pendingSession(user, signIn), { code: await codeNow(secret) }, ip)).toMatchObject({ ok: true });
    expect(await failures()).toEqual([]);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).lastSignInAt).not.toBeNull();
  });

  it('[PROVIDER_ADMIN] cannot replay a code within its window, nor win with one code in parallel', async () => {
    const { user, signIn } = await passwordSignIn();
    const secret = await addTotpFactor(db(), { userId: user.id });
    const code = await codeNow(secret);
    const sessions = await Promise.all([1, 2, 3, 4].map(() => pendingSession(user, signIn)));
    const outcomes = await Promise.all(sessions.map((actor) => verifySignInSecondFactor(actor, { code }, IP)));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    const again = await pendingSession(user, signIn);
    expect(await verifySignInSecondFactor(again, { code }, IP)).toEqual({ ok: false, reason: 'WRONG_CODE' });
    // The previous step's code is older than the one used: refused as well.
    expect(await verifySignInSecondFactor(again, { code: await codeNow(secret, -1) }, IP)).toMatchObject({ ok: false });
  });

  it('[PROVIDER_ADMIN] one code step sent twice at once (a double click without JavaScript) signs in once and counts no wrong code (review r41i F1)', async () => {
    const { user, signIn } = await passwordSignIn();
    const secret = await addTotpFactor(db(), { userId: user.id });
    const pending = await pendingSession(user, signIn);
    const code = await codeNow(secret);
    const outcomes = await Promise.all([1, 2, 3].map(() => verifySignInSecondFactor(pending, { code }, IP)));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect(outcomes.filter((outcome) => !outcome.ok)).toEqual([
      { ok: false, reason: 'NOT_PENDING' },
      { ok: false, reason: 'NOT_PENDING' },
    ]);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'SIGN_IN_SECOND_FACTOR_FAILURE' } })).toBe(0);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'SIGN_IN_SECOND_FACTOR_SUCCESS' } })).toBe(1);
    expect(await db().user.findUniqueOrThrow({ where: { id: user.id }, select: { failedSignInCount: true } })).toEqual({ failedSignInCount: 0 });
    const budget = await db().rateLimitBucket.findMany({ where: { key: { startsWith: `${RATE_LIMITS.wrongCodesPerAccount.name}:` }, count: { gt: 0 } } });
    expect(budget.filter((bucket) => bucket.key.includes(user.id))).toEqual([]);
    // A wrong code sent twice is still two tries, each counted: the hold is let go when a step is refused.
    const again = await pendingSession(user, signIn);
    const wrong = code === '000000' ? '111111' : '000000';
    expect(await Promise.all([1, 2].map(() => verifySignInSecondFactor(again, { code: wrong }, IP)))).toEqual([
      { ok: false, reason: 'WRONG_CODE' },
      { ok: false, reason: 'WRONG_CODE' },
    ]);
  });

  it('[PROVIDER_ADMIN] wrong codes lock the account on the password lockout, and the right code then fails', async () => {
    // An address of its own: at the one most tests share, other tests' wrong codes could reach its limit, and these be refused unchecked.
    const ip = ownAddress();
    const { user, signIn } = await passwordSignIn('PROVIDER_ADMIN', { softLockThreshold: 3 }, ip);
    const secret = await addTotpFactor(db(), { userId: user.id });
    const pending = await pendingSession(user, signIn);
    const right = await codeNow(secret);
    const wrong = await wrongCode(secret);
    expect(await verifySignInSecondFactor(pending, { code: wrong }, ip)).toEqual({ ok: false, reason: 'WRONG_CODE' });
    expect(await verifySignInSecondFactor(pending, { code: wrong }, ip)).toEqual({ ok: false, reason: 'WRONG_CODE' });
    expect(await verifySignInSecondFactor(pending, { code: wrong }, ip)).toEqual({ ok: false, reason: 'LOCKED' });
    // The owner is told what the wrong codes prove: whoever typed them knows the password (review r42d F1).
    const told = await lockMailTo(user.email!);
    expect(told).toContain('someone knows your password: it was typed right, then the codes were wrong.');
    expect(told).toContain('ask your provider administrator to reset your password now');
    expect(told).not.toContain('still work');
    const row = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.failedSignInCount).toBe(3);
    expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    // The pending session ended with the lock, and the password is refused while locked.
    expect(await resolveSession(pending.sessionId)).toBeNull();
    expect(await signIn()).toMatchObject({ ok: false });
    expect(await verifySignInSecondFactor(pending, { code: right }, ip)).toMatchObject({ ok: false });
  });

  it('[PROVIDER_ADMIN] wrong codes after the right password, then a wrong password that sets the lock: the mail tells what the codes proved, not a stranger’s guesses (review r43e F1)', async () => {
    const ip = ownAddress();
    const { agency, user, signIn } = await passwordSignIn('PROVIDER_ADMIN', { softLockThreshold: 3 }, ip);
    const secret = await addTotpFactor(db(), { userId: user.id });
    const pending = await pendingSession(user, signIn);
    const wrong = await wrongCode(secret);
    expect(await verifySignInSecondFactor(pending, { code: wrong }, ip)).toEqual({ ok: false, reason: 'WRONG_CODE' });
    expect(await verifySignInSecondFactor(pending, { code: wrong }, ip)).toEqual({ ok: false, reason: 'WRONG_CODE' });
    // The third failure, the one that locks, is a wrong password: alone, it proves nothing more than a guess. Checked, not throttled.
    expect(await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: 'not the password at all' }, ip)).toEqual({ ok: false, reason: 'INVALID' });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    const told = await lockMailTo(user.email!);
    expect(told).toContain('someone knows your password: it was typed right, then the codes were wrong.');
    expect(told).not.toContain('someone may be guessing');
  });

  it('[PROVIDER_ADMIN] a right fresh code gives its count back to the budget of tries; a spent budget says so, not that the code was wrong (review r43g F2)', async () => {
    const { user, signIn } = await passwordSignIn();
    const secret = await addTotpFactor(db(), { userId: user.id });
    const actor = await pendingSession(user, signIn);
    const budget = RATE_LIMITS.passwordChangePerUser;
    for (let i = 1; i < budget.limit; i++) await consumeRateLimit(db(), budget, user.id);
    const spent = async () => (await db().rateLimitBucket.findMany({ where: { key: { startsWith: `${budget.name}:` } } })).find((bucket) => bucket.key.includes(user.id))?.count;
    expect(await spent()).toBe(budget.limit - 1);
    // The last try left, with a right code: it passes and is given back, as many clearings in an incident need.
    expect(await checkFreshSecondFactor(actor, { code: await codeNow(secret) }, IP, 'clear second factors')).toMatchObject({ ok: true });
    expect(await spent()).toBe(budget.limit - 1);
    const wrong = await wrongCode(secret);
    expect(await checkFreshSecondFactor(actor, { code: wrong }, IP, 'clear second factors')).toMatchObject({ ok: false, refusal: { message: 'That code is not right.' } });
    expect(await checkFreshSecondFactor(actor, { code: await codeNow(secret, 1) }, IP, 'clear second factors')).toMatchObject({ ok: false, refusal: { message: 'Too many attempts.' } });
  });

  it('[STAFF] locked by a stranger’s wrong passwords, then refused their own right code while locked: the lock mails still tell of guesses, not of someone signed in (review r43f F1)', async () => {
    const { agency, user, signIn } = await passwordSignIn('STAFF', { softLockThreshold: 3, hardLockThreshold: 10 });
    const secret = await addTotpFactor(db(), { userId: user.id });
    const owner = await pendingSession(user, signIn);
    // Each guess from an address of its own that no other test has filled: every one is checked, and counted.
    const strangerAt = Array.from({ length: 10 }, ownAddress);
    const stranger = async (i: number) => {
      expect(await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: 'a stranger’s guess' }, strangerAt[i - 1]!)).toEqual({ ok: false, reason: 'INVALID' });
      expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(i);
    };
    for (let i = 1; i <= 3; i++) await stranger(i);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    // The owner's own right code, refused unchecked while the stranger's lock stands: it proves nothing.
    expect(await checkFreshSecondFactor(owner, { code: await codeNow(secret) }, IP, 'remove factor')).toMatchObject({
      ok: false,
      refusal: { message: 'Your account is locked for now, after too many wrong passwords or codes.' },
    });
    for (let i = 4; i <= 10; i++) {
      await db().user.update({ where: { id: user.id }, data: { lockedUntil: new Date(Date.now() - 1000) } });
      await stranger(i);
    }
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).hardLockedAt).not.toBeNull();
    await settleAttemptsLeftToTheRound(db());
    const mails = await db().outboxMessage.findMany({ where: { toAddress: user.email!, template: 'account-locked' } });
    expect(mails).toHaveLength(2);
    for (const mail of mails) {
      expect(mail.textBody).toContain('someone may be guessing at your password');
      expect(mail.textBody).not.toContain('signed in to your account');
    }
  });

  it.runIf(databaseKind(process.env.DATABASE_URL!) === 'postgresql')(
    '[PROVIDER_ADMIN] the wrong code that locks takes the session before the audit chain, as the others do: no deadlock',
    async () => {
      const { user, signIn } = await passwordSignIn('PROVIDER_ADMIN', { softLockThreshold: 3 });
      const secret = await addTotpFactor(db(), { userId: user.id });
      const pending = await pendingSession(user, signIn);
      await db().user.update({ where: { id: user.id }, data: { failedSignInCount: 2 } });
      const wrong = (await codeNow(secret)) === '000000' ? '111111' : '000000';
      // A change that holds the session and then audits, as ending a pending session does.
      const outcome = await whileCompetingTransactionHolds(
        { holds: { sql: 'SELECT "id" FROM "AuthSession" WHERE "id" = $1 FOR UPDATE', params: [pending.sessionId] }, then: TAKE_AUDIT_HEAD },
        () => verifySignInSecondFactor(pending, { code: wrong }, IP),
      );
      expect(outcome).toEqual({ ok: false, reason: 'LOCKED' });
      expect(await resolveSession(pending.sessionId)).toBeNull();
    },
  );

  it('[PROVIDER_ADMIN] a right code for a session ended meanwhile (a reset, a disable) opens nothing, and is on the record', async () => {
    const { user, signIn } = await passwordSignIn();
    const secret = await addTotpFactor(db(), { userId: user.id });
    const pending = await pendingSession(user, signIn);
    await db().authSession.update({ where: { id: pending.sessionId }, data: { endedAt: new Date() } });
    expect(await verifySignInSecondFactor(pending, { code: await codeNow(secret) }, IP)).toEqual({ ok: false, reason: 'NOT_PENDING' });
    expect(await db().authSession.count({ where: { userId: user.id, endedAt: null } })).toBe(0);
    const record = await db().auditEvent.findFirstOrThrow({ where: { targetId: user.id, action: 'SIGN_IN_SECOND_FACTOR_FAILURE' } });
    expect(JSON.parse(record.details!)).toEqual({ reason: 'session ended meanwhile', factor: 'TOTP' });
  });

  it('[PROVIDER_ADMIN] knowing the password does not buy more code guesses: signing in again keeps the streak of wrong codes', async () => {
    const { user, signIn } = await passwordSignIn('PROVIDER_ADMIN', { softLockThreshold: 5 });
    const secret = await addTotpFactor(db(), { userId: user.id });
    const wrong = (await codeNow(secret)) === '000000' ? '111111' : '000000';
    const first = await pendingSession(user, signIn);
    // A right password leaves no trace of its own attempt on a clean account.
    expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ failedSignInCount: 0, firstFailedSignInAt: null, lastFailedSignInAt: null });
    for (let guess = 0; guess < 3; guess += 1) expect(await verifySignInSecondFactor(first, { code: wrong }, IP)).toEqual({ ok: false, reason: 'WRONG_CODE' });
    // The right password again: the three wrong codes still count, so the fifth failure locks.
    const second = await pendingSession(user, signIn);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(3);
    expect(await verifySignInSecondFactor(second, { code: wrong }, IP)).toEqual({ ok: false, reason: 'WRONG_CODE' });
    expect(await verifySignInSecondFactor(second, { code: wrong }, IP)).toEqual({ ok: false, reason: 'LOCKED' });
    expect(await signIn()).toMatchObject({ ok: false });
    // Once the lock runs out, the right password still leaves the streak at 5: the next wrong code locks again, for longer.
    await db().user.update({ where: { id: user.id }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    const third = await pendingSession(user, signIn);
    const afterPassword = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(afterPassword).toMatchObject({ failedSignInCount: 5, lockedUntil: null });
    expect(await verifySignInSecondFactor(third, { code: wrong }, IP)).toEqual({ ok: false, reason: 'LOCKED' });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(6);
    // The right code, at last, ends the streak.
    await db().user.update({ where: { id: user.id }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    const fourth = await pendingSession(user, signIn);
    expect(await verifySignInSecondFactor(fourth, { code: await codeNow(secret) }, IP)).toMatchObject({ ok: true });
    expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ failedSignInCount: 0, lockedUntil: null });
  });

  it('[PROVIDER_ADMIN] wrong codes sent at once each meet the budget of 10 an hour', async () => {
    const { user, signIn } = await passwordSignIn('PROVIDER_ADMIN', { softLockThreshold: 20, hardLockThreshold: 100 });
    const secret = await addTotpFactor(db(), { userId: user.id });
    const right = await codeNow(secret);
    const wrong = right === '000000' ? '111111' : '000000';
    const sessions = [];
    for (let i = 0; i < 15; i += 1) sessions.push(await pendingSession(user, signIn));
    await Promise.all(sessions.map((pending) => verifySignInSecondFactor(pending, { code: wrong }, IP)));
    const checked = await db().auditEvent.count({ where: { targetId: user.id, action: 'SIGN_IN_SECOND_FACTOR_FAILURE', outcome: 'FAILURE' } });
    // At most the budget is checked (those past it lock the account, and the rest then meet the lock).
    expect(checked).toBeLessThanOrEqual(10);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 55 * 60_000);
  });

  it('[PROVIDER_ADMIN] a burst of wrong codes meets the lock after five: those it refuses spend none of the budget, so the lock is a minute, not the hour', async () => {
    const { user, signIn } = await passwordSignIn('PROVIDER_ADMIN');
    const secret = await addTotpFactor(db(), { userId: user.id });
    const right = await codeNow(secret);
    const wrong = right === '000000' ? '111111' : '000000';
    const sessions = [];
    for (let i = 0; i < 30; i += 1) sessions.push(await pendingSession(user, signIn));
    // From an address of its own: thirty wrong codes count on its limit, which the other tests' sign-ins share.
    const outcomes = await Promise.all(sessions.map((pending) => verifySignInSecondFactor(pending, { code: wrong }, '10.32.0.1')));
    const checked = await db().auditEvent.count({ where: { targetId: user.id, action: 'SIGN_IN_SECOND_FACTOR_FAILURE', outcome: 'FAILURE' } });
    expect(checked).toBe(5);
    expect(outcomes.filter((outcome) => !outcome.ok && outcome.reason === 'LOCKED')).toHaveLength(26);
    const refusals = await db().auditEvent.findMany({ where: { targetId: user.id, action: 'SIGN_IN_SECOND_FACTOR_FAILURE', outcome: 'DENIED' }, select: { details: true } });
    expect(refusals.map((refusal) => JSON.parse(refusal.details!).reason)).toEqual(Array(25).fill('account locked'));
    // The first soft lock: a minute (decision 009), and the budget holds the five checked.
    const lockedUntil = (await db().user.findUniqueOrThrow({ where: { id: user.id } })).lockedUntil!;
    expect(lockedUntil.getTime()).toBeLessThan(Date.now() + 5 * 60_000);
    const budget = await db().rateLimitBucket.findUniqueOrThrow({ where: { key: `${RATE_LIMITS.wrongCodesPerAccount.name}:user:${user.id}` } });
    expect(budget.count).toBe(5);
  });

  it('[PROVIDER_ADMIN] ten wrong codes lock the account until their hour is over: listed as locked in the console, and an unlock or a temporary password ends it', async () => {
    const { agency, user, signIn } = await passwordSignIn('PROVIDER_ADMIN', { softLockThreshold: 20, hardLockThreshold: 100 });
    const secret = await addTotpFactor(db(), { userId: user.id });
    const right = await codeNow(secret);
    const wrong = right === '000000' ? '111111' : '000000';
    const spendBudget = async () => {
      for (let i = 0; i < 9; i += 1) expect(await verifySignInSecondFactor(await pendingSession(user, signIn), { code: wrong }, IP)).toEqual({ ok: false, reason: 'WRONG_CODE' });
      // The tenth spends the budget: the account's own count (20 would lock) has not locked it.
      expect(await verifySignInSecondFactor(await pendingSession(user, signIn), { code: wrong }, IP)).toEqual({ ok: false, reason: 'LOCKED' });
    };
    await spendBudget();
    expect(await signIn()).toEqual({ ok: false, reason: 'INVALID' });
    const superAdmin = await createUser(db(), agency.id, PASSWORD, { role: 'SUPER_ADMIN' });
    const superSignIn = await signInAgencyUser({ providerCode: agency.code, loginName: superAdmin.loginName, password: PASSWORD }, IP);
    if (!superSignIn.ok) throw new Error('sign-in failed');
    const superActor = (await actorOf(superSignIn.sessionId)) as AgencyActor;
    const lockedUntil = (await getUserForAdmin(superActor, user.id))?.lock.lockedUntil;
    expect(lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 55 * 60_000);
    expect((await listAgencyUsers(superActor, userListQuerySchema.parse({ filter: 'locked' }))).users.map((row) => row.id)).toContain(user.id);

    expect(await unlockUser(superActor, { userId: user.id }, IP)).toEqual({ ok: true, value: undefined });
    expect((await getUserForAdmin(superActor, user.id))?.lock).toMatchObject({ locked: false });
    expect(await verifySignInSecondFactor(await pendingSession(user, signIn), { code: right }, IP)).toMatchObject({ ok: true });

    // Spent again, then a temporary password: the owner signs in with it and the right code.
    await spendBudget();
    const issued = await issueTemporaryPassword(superActor, { userId: user.id, expectedVersion: (await db().user.findUniqueOrThrow({ where: { id: user.id } })).sessionVersion }, IP);
    if (!issued.ok) throw new Error(issued.message);
    const temporary = await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: issued.value.temporaryPassword }, IP);
    if (!temporary.ok) throw new Error('temporary password refused');
    expect(await verifySignInSecondFactor(await actorOf(temporary.sessionId), { code: await codeNow(secret, 1) }, IP)).toMatchObject({ ok: true });
  });

  it('[PROVIDER_ADMIN] strangers with the password who spend the budget of wrong codes lock out strangers only: the owner’s usual browser signs in with its right code, and its own wrong codes meet a budget of their own (review r49c F1)', async () => {
    const ip = ownAddress();
    const { agency, user, signIn } = await passwordSignIn('PROVIDER_ADMIN', { softLockThreshold: 20, hardLockThreshold: 100 }, ip);
    const secret = await addTotpFactor(db(), { userId: user.id });
    const wrong = await wrongCode(secret);
    for (let i = 0; i < 9; i += 1) expect(await verifySignInSecondFactor(await pendingSession(user, signIn), { code: wrong }, ip)).toEqual({ ok: false, reason: 'WRONG_CODE' });
    expect(await verifySignInSecondFactor(await pendingSession(user, signIn), { code: wrong }, ip)).toEqual({ ok: false, reason: 'LOCKED' });
    expect(await signIn()).toEqual({ ok: false, reason: 'INVALID' });
    // The owner's usual browser (it holds the account's known-device token) is not stopped by the strangers' budget.
    const token = rememberAccount(undefined, { kind: 'user', id: user.id, version: user.sessionVersion });
    const fromUsualBrowser = async () => {
      const result = await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: PASSWORD }, ip, (account) => knowsAccount(token, account));
      if (!result.ok) throw new Error(`the usual browser's password was refused: ${result.reason}`);
      return { ...(await actorOf(result.sessionId)), fromKnownBrowser: true } as Actor;
    };
    expect(await verifySignInSecondFactor(await fromUsualBrowser(), { code: await codeNow(secret) }, ip)).toMatchObject({ ok: true });
    // Its wrong codes (a stolen token's) spend a budget of its own, which locks its lane only.
    for (let i = 0; i < 9; i += 1) expect(await verifySignInSecondFactor(await fromUsualBrowser(), { code: wrong }, ip)).toEqual({ ok: false, reason: 'WRONG_CODE' });
    expect(await verifySignInSecondFactor(await fromUsualBrowser(), { code: wrong }, ip)).toEqual({ ok: false, reason: 'LOCKED' });
    const row = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.knownDeviceLockedUntil!.getTime()).toBeGreaterThan(Date.now() + 55 * 60_000);
    // The owner proves the account from a new browser: that ends every lock, the budgets spent with them, so the
    // usual browser's right code is taken again, not refused by a budget left behind a cleared lock (review r49d F5).
    expect(await verifySignInSecondFactor(await pendingSession(user, signIn), { code: await codeNow(secret, 1) }, ip)).toMatchObject({ ok: true });
    const tablet = await addTotpFactor(db(), { userId: user.id }, undefined, 'Tablet');
    expect(await verifySignInSecondFactor(await fromUsualBrowser(), { code: await codeNow(tablet) }, ip)).toMatchObject({ ok: true });
  });

  it('[SUPER_ADMIN] a recovery code signs in once, is mailed, and never again', async () => {
    const { user, signIn } = await passwordSignIn('SUPER_ADMIN');
    const secret = await addTotpFactor(db(), { userId: user.id });
    const first = await pendingSession(user, signIn);
    const made = await regenerateRecoveryCodes(first, { code: await codeNow(secret) }, IP);
    expect(made.recoveryCodes).toHaveLength(10);
    const recovery = made.recoveryCodes![3]!;
    const lowerCaseNoHyphen = recovery.replace('-', '').toLowerCase();
    const second = await pendingSession(user, signIn);
    expect(await verifySignInSecondFactor(second, { code: lowerCaseNoHyphen }, IP)).toMatchObject({ ok: true });
    const third = await pendingSession(user, signIn);
    expect(await verifySignInSecondFactor(third, { code: recovery }, IP)).toEqual({ ok: false, reason: 'WRONG_CODE' });
    expect(await db().outboxMessage.count({ where: { toAddress: user.email!, template: 'second-factor-changed' } })).toBe(2);
  });

  it('[PROVIDER_ADMIN] a session waiting for its code ends after 10 minutes', async () => {
    const { user, signIn } = await passwordSignIn();
    await addTotpFactor(db(), { userId: user.id });
    const pending = await pendingSession(user, signIn);
    expect(await resolveSession(pending.sessionId, new Date(Date.now() + SECOND_FACTOR_PENDING_MS - 5_000))).not.toBeNull();
    expect(await resolveSession(pending.sessionId, new Date(Date.now() + SECOND_FACTOR_PENDING_MS + 1_000))).toBeNull();
  });

  it('[STAFF] without a factor signs in with the password alone', async () => {
    const { signIn } = await passwordSignIn('STAFF');
    const result = await signIn();
    if (!result.ok) throw new Error('sign-in failed');
    expect(result.secondFactorPending).toBe(false);
    expect(decideAccess(await actorOf(result.sessionId), { principal: 'agency' })).toBe('allowed');
  });
});

describe('temporary password with a second factor (decision 058)', () => {
  const TEMPORARY = 'TEMPPASSWORD2345';

  async function adminWithTemporaryPassword(factors = 1) {
    const agency = await createAgency(db());
    const user = await createUser(db(), agency.id, TEMPORARY, { role: 'PROVIDER_ADMIN' }, { expiresAt: new Date(Date.now() + 3600_000) });
    const secrets = [];
    for (let i = 0; i < factors; i += 1) secrets.push(await addTotpFactor(db(), { userId: user.id }, undefined, `App ${i + 1}`));
    const signIn = (password = TEMPORARY) => signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password }, IP);
    const claimedAt = async () => (await db().user.findUniqueOrThrow({ where: { id: user.id } })).temporaryPasswordUsedAt;
    return { user, secrets, signIn, claimedAt };
  }

  it('[ATTACKER with only the temporary password] passing the password step claims nothing: the person then signs in with it and the code', async () => {
    const { user, secrets, signIn, claimedAt } = await adminWithTemporaryPassword();
    const attacker = await pendingSession(user, signIn);
    expect(await verifySignInSecondFactor(attacker, { code: 'not-a-code-1' }, IP)).toEqual({ ok: false, reason: 'WRONG_CODE' });
    expect(await claimedAt()).toBeNull();

    const own = await verifySignInSecondFactor(await pendingSession(user, signIn), { code: await codeNow(secrets[0]!) }, IP);
    if (!own.ok) throw new Error(`code refused: ${own.reason}`);
    expect(await claimedAt()).not.toBeNull();
    expect(decideAccess(await actorOf(own.sessionId), { principal: 'agency' })).toBe('password-change-required');
    // Claimed now: the password step refuses it, as before, and so does the code step of a session opened before.
    expect(await signIn()).toEqual({ ok: false, reason: 'TEMPORARY_PASSWORD_USED' });
    expect(await verifySignInSecondFactor(attacker, { code: await codeNow(secrets[0]!, 1) }, IP)).toEqual({ ok: false, reason: 'TEMPORARY_PASSWORD_USED' });
    expect(await resolveSession(attacker.sessionId)).toBeNull();
    const refusals = await db().auditEvent.findMany({ where: { targetId: user.id, action: 'SIGN_IN_FAILURE' }, orderBy: { seq: 'asc' } });
    expect(refusals.map((event) => JSON.parse(event.details!))).toEqual([
      { reason: 'temporary password already used' },
      { reason: 'temporary password already used', factor: 'TOTP' },
    ]);
    // Refused for what they are, not counted as wrong secrets; and while a code is owed such a refusal
    // gives back only its own attempt: a wrong password before it stays counted (review r36d F7).
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(0);
    expect(await signIn('not the password')).toEqual({ ok: false, reason: 'INVALID' });
    expect(await signIn()).toEqual({ ok: false, reason: 'TEMPORARY_PASSWORD_USED' });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(1);
  });

  it('[PROVIDER_ADMIN] code steps of sessions opened with one temporary password, sent at once: one completes, the others end refused', async () => {
    const { user, secrets, signIn, claimedAt } = await adminWithTemporaryPassword(3);
    const sessions = await Promise.all(secrets.map(() => pendingSession(user, signIn)));
    expect(await claimedAt()).toBeNull();
    // Each with a code of its own app, so that each code passes and only the claim decides.
    const codes = await Promise.all(secrets.map((secret) => codeNow(secret)));
    const outcomes = await Promise.all(sessions.map((pending, i) => verifySignInSecondFactor(pending, { code: codes[i]! }, IP)));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect(outcomes.filter((outcome) => !outcome.ok)).toEqual([
      { ok: false, reason: 'TEMPORARY_PASSWORD_USED' },
      { ok: false, reason: 'TEMPORARY_PASSWORD_USED' },
    ]);
    expect(await claimedAt()).not.toBeNull();
    expect(await db().authSession.count({ where: { userId: user.id, endedAt: null } })).toBe(1);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'SIGN_IN_SECOND_FACTOR_SUCCESS' } })).toBe(1);
  });

  it('[PROVIDER_ADMIN] a code step whose temporary password a reset link ended meanwhile is refused before it opens anything (review r36d F3)', async () => {
    const { user, secrets, signIn, claimedAt } = await adminWithTemporaryPassword();
    const pending = await pendingSession(user, signIn);
    await db().$transaction((tx) => issueResetLink(tx, { userId: user.id, purpose: 'ADMIN_LINK', lifetimeHours: 1 }));
    expect(await verifySignInSecondFactor(pending, { code: await codeNow(secrets[0]!) }, IP)).toEqual({ ok: false, reason: 'TEMPORARY_PASSWORD_EXPIRED' });
    expect(await claimedAt()).toBeNull();
    expect(await db().authSession.count({ where: { userId: user.id, endedAt: null } })).toBe(0);
    // The link the admin sent is still the way in: a sign-in that got this far did not end it.
    expect(await db().passwordResetToken.count({ where: { userId: user.id, usedAt: null, expiresAt: { gt: new Date() } } })).toBe(1);
    expect(await signIn()).toEqual({ ok: false, reason: 'TEMPORARY_PASSWORD_EXPIRED' });
    const refusals = await db().auditEvent.findMany({ where: { targetId: user.id, action: 'SIGN_IN_FAILURE' }, orderBy: { seq: 'asc' } });
    expect(refusals.map((event) => JSON.parse(event.details!))).toEqual([{ reason: 'temporary password expired', factor: 'TOTP' }, { reason: 'temporary password expired' }]);
  });

  it('[ATTACKER with the temporary password and a stolen recovery code] losing the claim still tells the owner the code was spent (review r36d F6)', async () => {
    const { user, secrets, signIn } = await adminWithTemporaryPassword();
    await db().user.update({ where: { id: user.id }, data: { email: `owner.${user.id}@agency.example` } });
    const [recovery] = await db().$transaction((tx) => replaceRecoveryCodes(tx, { kind: 'user', id: user.id }));
    const attacker = await pendingSession(user, signIn);
    const own = await verifySignInSecondFactor(await pendingSession(user, signIn), { code: await codeNow(secrets[0]!) }, IP);
    expect(own.ok).toBe(true);
    expect(await verifySignInSecondFactor(attacker, { code: recovery! }, IP)).toEqual({ ok: false, reason: 'TEMPORARY_PASSWORD_USED' });
    const told = await db().outboxMessage.findMany({ where: { toAddress: `owner.${user.id}@agency.example`, template: 'second-factor-changed' } });
    expect(told.map((mail) => unseal(mail.textBody))).toEqual([expect.stringContaining('recovery code used in a sign-in that did not go through')]);
  });

  it('[ATTACKER with an ended temporary password] the refusal gives back only its own attempt: the streak of wrong passwords stays (review r36d F5)', async () => {
    const { user, signIn } = await adminWithTemporaryPassword();
    expect(await signIn('not the password')).toEqual({ ok: false, reason: 'INVALID' });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(1);
    await db().user.update({ where: { id: user.id }, data: { temporaryPasswordExpiresAt: new Date(Date.now() - 1000) } });
    expect(await signIn()).toEqual({ ok: false, reason: 'TEMPORARY_PASSWORD_EXPIRED' });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(1);
  });

  it('[STAFF] without a factor still claims the temporary password at the password step', async () => {
    const agency = await createAgency(db());
    const user = await createUser(db(), agency.id, TEMPORARY, {}, { expiresAt: new Date(Date.now() + 3600_000) });
    const result = await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: TEMPORARY }, IP);
    expect(result).toMatchObject({ ok: true, secondFactorPending: false });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).temporaryPasswordUsedAt).not.toBeNull();
  });
});

describe('mandatory enrolment', () => {
  it('[PROVIDER_ADMIN] without a factor is sent to enrol before anything else, then enrols with an app', async () => {
    const { user, signIn } = await passwordSignIn();
    const result = await signIn();
    if (!result.ok) throw new Error('sign-in failed');
    expect(result.secondFactorPending).toBe(false);
    const actor = await actorOf(result.sessionId);
    expect(decideAccess(actor, { principal: 'agency' })).toBe('enrolment-required');
    expect(decideAccess(actor, { principal: 'agency', roles: ['PROVIDER_ADMIN'] })).toBe('enrolment-required');
    expect(decideAccess(actor, { principal: 'agency', duringEnrolment: true })).toBe('allowed');

    await startTotpEnrolment(actor, { name: 'Work phone', currentPassword: PASSWORD }, IP);
    // An unconfirmed app is no factor yet.
    expect(decideAccess(await actorOf(result.sessionId), { principal: 'agency' })).toBe('enrolment-required');
    const pending = await db().mfaFactor.findFirstOrThrow({ where: { userId: user.id, confirmedAt: null } });
    const secret = unsealFactorSecret(pending.secret!);
    expect((await listOwnFactors(actor)).enrolment?.secretText.replace(/ /g, '')).toBe(secret);
    expect(await confirmTotpEnrolment(actor, { code: '000000' === (await codeNow(secret)) ? '111111' : '000000' }, IP)).toMatchObject({ ok: false });
    const confirmed = await confirmTotpEnrolment(actor, { code: await codeNow(secret) }, IP);
    expect(confirmed).toMatchObject({ ok: true });
    expect(confirmed.recoveryCodes).toHaveLength(10);
    expect(new Set(confirmed.recoveryCodes).size).toBe(10);
    expect(decideAccess(await actorOf(result.sessionId), { principal: 'agency' })).toBe('allowed');
    // Only hashes are stored.
    const stored = await db().recoveryCode.findMany({ where: { userId: user.id } });
    expect(stored.map((row) => row.codeHash)).not.toContain(confirmed.recoveryCodes![0]);
    expect(JSON.stringify(await db().auditEvent.findMany({ where: { targetId: user.id } }))).not.toContain(secret);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'SECOND_FACTOR_ADDED' } })).toBe(1);
  });

  it('[ATTACKER with the password] a session held to enrolment is signed out when the owner enrols elsewhere: it never becomes a full one', async () => {
    const { signIn } = await passwordSignIn();
    const attacker = await signIn();
    const owner = await signIn();
    if (!attacker.ok || !owner.ok) throw new Error('sign-in failed');
    expect(decideAccess(await actorOf(attacker.sessionId), { principal: 'agency', roles: ['PROVIDER_ADMIN'] })).toBe('enrolment-required');
    const actor = await actorOf(owner.sessionId);
    await startTotpEnrolment(actor, { name: 'New phone', currentPassword: PASSWORD }, IP);
    const secret = unsealFactorSecret((await db().mfaFactor.findFirstOrThrow({ where: { enrolmentSessionId: owner.sessionId } })).secret!);
    expect(await confirmTotpEnrolment(actor, { code: await codeNow(secret) }, IP)).toMatchObject({ ok: true, message: expect.stringContaining('signed out everywhere else') });
    expect(await resolveSession(attacker.sessionId)).toBeNull();
    expect(decideAccess(await actorOf(owner.sessionId), { principal: 'agency', roles: ['PROVIDER_ADMIN'] })).toBe('allowed');
  });

  it('[ATTACKER with the password] the browser he signed in from stops being known to the account once the owner enrols (r26a F1)', async () => {
    const { user, signIn } = await passwordSignIn();
    const attacker = await signIn();
    const owner = await signIn();
    if (!attacker.ok || !owner.ok) throw new Error('sign-in failed');
    // What his browser holds: the account, as of his sign-in (known-device.ts).
    const cookie = rememberAccount(undefined, attacker.account);
    const asItIsNow = async () => ({ kind: 'user' as const, id: user.id, version: (await db().user.findUniqueOrThrow({ where: { id: user.id } })).sessionVersion });
    expect(knowsAccount(cookie, await asItIsNow())).toBe(true);
    const actor = await actorOf(owner.sessionId);
    await startTotpEnrolment(actor, { name: 'New phone', currentPassword: PASSWORD }, IP);
    const secret = unsealFactorSecret((await db().mfaFactor.findFirstOrThrow({ where: { enrolmentSessionId: owner.sessionId } })).secret!);
    expect(await confirmTotpEnrolment(actor, { code: await codeNow(secret) }, IP)).toMatchObject({ ok: true });
    // Past the address's limit, and on the usual browsers' lockout lane, his attempts are a stranger's again.
    expect(knowsAccount(cookie, await asItIsNow())).toBe(false);
    // The owner's own session goes on (its version moved with the account's).
    expect(decideAccess(await actorOf(owner.sessionId), { principal: 'agency', roles: ['PROVIDER_ADMIN'] })).toBe('allowed');
  });

  it('[ATTACKER with the password] a vendor session held to enrolment is signed out when the owner enrols elsewhere', async () => {
    const account = await createVendorAccount(db(), 'OPERATOR', PASSWORD);
    const signIn = () => signInVendorAccount({ email: account.email, password: PASSWORD }, IP);
    const attacker = await signIn();
    const owner = await signIn();
    if (!attacker.ok || !owner.ok) throw new Error('sign-in failed');
    const actor = await actorOf(owner.sessionId);
    await startTotpEnrolment(actor, { name: 'New phone', currentPassword: PASSWORD }, IP);
    const secret = unsealFactorSecret((await db().mfaFactor.findFirstOrThrow({ where: { enrolmentSessionId: owner.sessionId } })).secret!);
    expect(await confirmTotpEnrolment(actor, { code: await codeNow(secret) }, IP)).toMatchObject({ ok: true });
    expect(await resolveSession(attacker.sessionId)).toBeNull();
    expect(decideAccess(await actorOf(owner.sessionId), { principal: 'vendor', roles: ['OPERATOR'] })).toBe('allowed');
    // The owner is told at the account's address, as vendor staff: the team that runs the portal helps, no agency admin.
    const [told, ...more] = await db().outboxMessage.findMany({ where: { toAddress: account.email, template: 'second-factor-changed' } });
    expect(more).toEqual([]);
    expect(told!.textBody).toContain('tell the team that runs CareNotes password help now');
    expect(told!.textBody).not.toMatch(/administrator/i);
  });

  it('[STAFF] of an agency that requires a factor for all staff must enrol; elsewhere not', async () => {
    const strict = await passwordSignIn('STAFF', {});
    const before = await strict.signIn();
    if (!before.ok) throw new Error('sign-in failed');
    expect(decideAccess(await actorOf(before.sessionId), { principal: 'agency' })).toBe('allowed');
    const owner = await createUser(db(), strict.agency.id, PASSWORD, { role: 'SUPER_ADMIN' });
    const ownerSignIn = await signInAgencyUser({ providerCode: strict.agency.code, loginName: owner.loginName, password: PASSWORD }, IP);
    if (!ownerSignIn.ok) throw new Error('sign-in failed');
    const saved = await updateAgencyPolicy(
      (await actorOf(ownerSignIn.sessionId)) as AgencyActor,
      { ...DEFAULT_POLICY, requireSecondFactorForAllStaff: 'on' },
      IP,
    );
    expect(saved.ok).toBe(true);
    // Sessions already open are held to it on their next request, as new ones are.
    expect(decideAccess(await actorOf(before.sessionId), { principal: 'agency' })).toBe('enrolment-required');
    const result = await strict.signIn();
    if (!result.ok) throw new Error('sign-in failed');
    expect(decideAccess(await actorOf(result.sessionId), { principal: 'agency' })).toBe('enrolment-required');
  });

  it('[VERIFIER] without a factor must enrol; a vendor factor sends the sign-in to verify', async () => {
    const account = await createVendorAccount(db(), 'VERIFIER', PASSWORD);
    const first = await signInVendorAccount({ email: account.email, password: PASSWORD }, IP);
    if (!first.ok) throw new Error('sign-in failed');
    expect(decideAccess(await actorOf(first.sessionId), { principal: 'vendor' })).toBe('enrolment-required');
    await addTotpFactor(db(), { vendorAccountId: account.id });
    const second = await signInVendorAccount({ email: account.email, password: PASSWORD }, IP);
    if (!second.ok) throw new Error('sign-in failed');
    expect(second.secondFactorPending).toBe(true);
    expect(decideAccess(await actorOf(second.sessionId), { principal: 'vendor' })).toBe('second-factor-required');
  });

  it('[STAFF] an app one session starts adding is shown to and confirmed by that session alone: an older cookie never reads its secret', async () => {
    const { user, signIn } = await passwordSignIn('STAFF');
    const sessions = await Promise.all([signIn(), signIn()]);
    const [stolen, owner] = (await Promise.all(
      sessions.map((result) => {
        if (!result.ok) throw new Error('sign-in failed');
        return actorOf(result.sessionId);
      }),
    )) as [Actor, Actor];
    // The stolen cookie is too old to add a factor; the owner, freshly signed in, starts an app.
    await db().authSession.update({ where: { id: stolen.sessionId }, data: { createdAt: new Date(Date.now() - ADD_FACTOR_WITHIN_MS - 1_000) } });
    expect(await startTotpEnrolment(owner, { name: 'Phone', currentPassword: PASSWORD }, IP)).toEqual({ ok: true });
    const secret = unsealFactorSecret((await db().mfaFactor.findFirstOrThrow({ where: { userId: user.id, confirmedAt: null } })).secret!);
    expect((await listOwnFactors(stolen)).enrolment).toBeNull();
    expect((await listOwnFactors(owner)).enrolment?.secretText.replace(/ /g, '')).toBe(secret);
    // Another fresh session of the account neither sees it nor confirms it (it would need the code anyway).
    const third = await signIn();
    if (!third.ok) throw new Error('sign-in failed');
    const other = await actorOf(third.sessionId);
    expect((await listOwnFactors(other)).enrolment).toBeNull();
    expect(await confirmTotpEnrolment(other, { code: await codeNow(secret) }, IP)).toEqual({ ok: false, message: 'Start again: add an authenticator app.' });
    // Once the starting session is too old, it no longer shows the secret either.
    await db().authSession.update({ where: { id: owner.sessionId }, data: { createdAt: new Date(Date.now() - ADD_FACTOR_WITHIN_MS - 1_000) } });
    expect((await listOwnFactors(owner)).enrolment).toBeNull();
    expect(await db().mfaFactor.count({ where: { userId: user.id, confirmedAt: { not: null } } })).toBe(0);
  });

  it('[STAFF] a session opened more than 10 minutes ago cannot add a factor: a stolen cookie adds no way in', async () => {
    const { user, signIn } = await passwordSignIn('STAFF');
    const result = await signIn();
    if (!result.ok) throw new Error('sign-in failed');
    const actor = await actorOf(result.sessionId);
    const openedAt = (createdAt: Date) => db().authSession.update({ where: { id: actor.sessionId }, data: { createdAt } });
    const tooLongAgo = () => new Date(Date.now() - ADD_FACTOR_WITHIN_MS - 1_000);

    await openedAt(tooLongAgo());
    expect(await startTotpEnrolment(actor, { name: 'Phone', currentPassword: PASSWORD }, IP)).toEqual(SIGN_IN_AGAIN_TO_ADD);
    expect(await startPasskeyRegistration(actor)).toEqual(SIGN_IN_AGAIN_TO_ADD);
    expect(await addPasskey(actor, { name: 'Key', passkey: '{"id":"x"}' }, IP)).toEqual(SIGN_IN_AGAIN_TO_ADD);
    expect(await db().mfaFactor.count({ where: { userId: user.id } })).toBe(0);

    // Started in time, an app cannot be confirmed once the time is up.
    await openedAt(new Date());
    expect(await startTotpEnrolment(actor, { name: 'Phone', currentPassword: PASSWORD }, IP)).toEqual({ ok: true });
    const pending = await db().mfaFactor.findFirstOrThrow({ where: { userId: user.id, confirmedAt: null } });
    await openedAt(tooLongAgo());
    expect(await confirmTotpEnrolment(actor, { code: await codeNow(unsealFactorSecret(pending.secret!)) }, IP)).toEqual(SIGN_IN_AGAIN_TO_ADD);
    // Nor once the session has ended (an administrator cleared the factors meanwhile, say).
    await openedAt(new Date());
    await db().authSession.update({ where: { id: actor.sessionId }, data: { endedAt: new Date() } });
    expect(await confirmTotpEnrolment(actor, { code: await codeNow(unsealFactorSecret(pending.secret!)) }, IP)).toEqual(SIGNED_OUT_MEANWHILE);
    await db().authSession.update({ where: { id: actor.sessionId }, data: { endedAt: null } });
    expect(await confirmTotpEnrolment(actor, { code: await codeNow(unsealFactorSecret(pending.secret!)) }, IP)).toMatchObject({ ok: true });
    expect(await db().mfaFactor.count({ where: { userId: user.id, confirmedAt: { not: null } } })).toBe(1);
  });

  /** An admin with two apps ("Phone", "Tablet"), fully signed in with the phone's code. */
  async function adminWithPhoneAndTablet() {
    const { user, signIn } = await passwordSignIn();
    const secret = await addTotpFactor(db(), { userId: user.id }, undefined, 'Phone');
    const spareSecret = await addTotpFactor(db(), { userId: user.id }, undefined, 'Tablet');
    const pending = await pendingSession(user, signIn);
    const outcome = await verifySignInSecondFactor(pending, { code: await codeNow(secret) }, IP);
    if (!outcome.ok) throw new Error('verify failed');
    const actor = await actorOf(outcome.sessionId);
    const [phone, tablet] = (await listOwnFactors(actor)).factors as [FactorRow, FactorRow];
    return { user, secret, spareSecret, actor, phone, tablet, signIn };
  }

  /** An admin signed in with the password alone, whose first authenticator app is waiting for its code. */
  async function appBeingAdded() {
    const { user, signIn } = await passwordSignIn();
    const result = await signIn();
    if (!result.ok) throw new Error('sign-in failed');
    const actor = await actorOf(result.sessionId);
    await startTotpEnrolment(actor, { name: 'Work phone', currentPassword: PASSWORD }, IP);
    const secret = unsealFactorSecret((await db().mfaFactor.findFirstOrThrow({ where: { userId: user.id, confirmedAt: null } })).secret!);
    return { user, actor, secret };
  }

  it('[PROVIDER_ADMIN] a wrong fresh code, or a wrong password asked before adding a first factor, counts for the address; past its limit nothing is checked; the right one gives it back (review r49c F2)', async () => {
    const ip = ownAddress();
    const rule = RATE_LIMITS.signInFailuresPerAddress;
    const key = `${rule.name}:${ip}`;
    const addressCount = async () => (await db().rateLimitBucket.findUnique({ where: { key } }))?.count ?? 0;
    const { user, secret, actor } = await adminWithPhoneAndTablet();
    expect(await regenerateRecoveryCodes(actor, { code: await wrongCode(secret) }, ip)).toMatchObject({ ok: false, message: 'That code is not right.' });
    expect(await addressCount()).toBe(1);
    await db().rateLimitBucket.update({ where: { key }, data: { count: rule.limit } });
    // The sign-in used this step's code: the next step's is the right one now.
    const triesOfTheAccount = async () => (await db().rateLimitBucket.findUnique({ where: { key: `${RATE_LIMITS.passwordChangePerUser.name}:${user.id}` } }))?.count ?? 0;
    const triesBefore = await triesOfTheAccount();
    expect(await regenerateRecoveryCodes(actor, { code: await codeNow(secret, 1) }, ip)).toEqual({ ok: false, message: TOO_MANY_FROM_NETWORK });
    // Refused unchecked for the address, it is no wrong try of the account's: its own budget gets it back (review r49d F8).
    expect(await triesOfTheAccount()).toBe(triesBefore);
    await db().rateLimitBucket.update({ where: { key }, data: { count: 1 } });
    expect(await regenerateRecoveryCodes(actor, { code: await codeNow(secret, 1) }, ip)).toMatchObject({ ok: true });
    expect(await addressCount()).toBe(1);

    // The password asked of a session adding its account's first factor.
    const { signIn } = await passwordSignIn();
    const result = await signIn();
    if (!result.ok) throw new Error('sign-in failed');
    const firstFactor = await actorOf(result.sessionId);
    expect(await startTotpEnrolment(firstFactor, { name: 'Phone', currentPassword: 'not the password' }, ip)).toMatchObject({ ok: false, message: 'Your password is not right.' });
    expect(await addressCount()).toBe(2);
    await db().rateLimitBucket.update({ where: { key }, data: { count: rule.limit } });
    expect(await startTotpEnrolment(firstFactor, { name: 'Phone', currentPassword: PASSWORD }, ip)).toEqual({ ok: false, message: TOO_MANY_FROM_NETWORK });
    await db().rateLimitBucket.update({ where: { key }, data: { count: 2 } });
    expect(await startTotpEnrolment(firstFactor, { name: 'Phone', currentPassword: PASSWORD }, ip)).toEqual({ ok: true });
    expect(await addressCount()).toBe(2);
  });

  it('[PROVIDER_ADMIN] cannot remove the last factor, and removing another asks for a fresh code', async () => {
    const { user, secret, spareSecret, actor, phone, tablet } = await adminWithPhoneAndTablet();
    expect(await removeFactor(actor, { factorId: tablet.id, code: '12345' }, IP)).toMatchObject({ ok: false });
    expect(await removeFactor(actor, { factorId: tablet.id, code: await codeNow(spareSecret) }, IP)).toMatchObject({ ok: true });
    expect(await removeFactor(actor, { factorId: phone.id, code: await codeNow(secret, 1) }, IP)).toMatchObject({ ok: false });
    expect(await db().mfaFactor.count({ where: { userId: user.id } })).toBe(1);
  });

  it('[PROVIDER_ADMIN] new recovery codes, or a factor removed, sign the account out everywhere else; the session that did it goes on', async () => {
    const { user, secret, spareSecret, actor, tablet, signIn } = await adminWithPhoneAndTablet();
    const signedInWith = async (code: string) => {
      const outcome = await verifySignInSecondFactor(await pendingSession(user, signIn), { code }, IP);
      if (!outcome.ok) throw new Error('verify failed');
      return outcome.sessionId;
    };
    const elsewhere = await signedInWith(await codeNow(spareSecret));
    const made = await regenerateRecoveryCodes(actor, { code: await codeNow(secret, 1) }, IP);
    expect(made).toMatchObject({ ok: true });
    expect(await resolveSession(elsewhere)).toBeNull();
    // Someone signed in with one of the new codes; the owner then removes the tablet, with a factor
    // held before this session opened (a code made in it does not count: a borrowed session could make them).
    const withACode = await signedInWith(made.recoveryCodes![0]!);
    // The owner's session as their next request finds it (the new codes moved its version).
    const owner = await actorOf(actor.sessionId);
    expect(await removeFactor(owner, { factorId: tablet.id, code: made.recoveryCodes![1]! }, IP)).toMatchObject({ ok: false });
    expect(await removeFactor(owner, { factorId: tablet.id, code: await codeNow(spareSecret, 1) }, IP)).toMatchObject({ ok: true });
    expect(await resolveSession(withACode)).toBeNull();
    expect(await resolveSession(actor.sessionId)).not.toBeNull();
    const records = await db().auditEvent.findMany({ where: { targetId: user.id, action: { in: ['RECOVERY_CODES_REPLACED', 'SECOND_FACTOR_REMOVED'] } }, orderBy: { seq: 'asc' } });
    expect(records.map((record) => [record.action, JSON.parse(record.details!).otherSessionsEnded])).toEqual([
      ['RECOVERY_CODES_REPLACED', 1],
      ['SECOND_FACTOR_REMOVED', 1],
    ]);
  });

  it('[PROVIDER_ADMIN] new recovery codes asked in two sessions at once: one is made, and the other session, signed out by it, changes nothing (review r34f F1)', async () => {
    const { user, secret, spareSecret, actor, signIn } = await adminWithPhoneAndTablet();
    const second = await verifySignInSecondFactor(await pendingSession(user, signIn), { code: await codeNow(spareSecret) }, IP);
    if (!second.ok) throw new Error('verify failed');
    const other = await actorOf(second.sessionId);
    const results = await Promise.all([
      regenerateRecoveryCodes(actor, { code: await codeNow(secret, 1) }, IP),
      regenerateRecoveryCodes(other, { code: await codeNow(spareSecret, 1) }, IP),
    ]);
    const made = results.filter((result) => result.ok);
    expect(made).toHaveLength(1);
    expect(results.find((result) => !result.ok)).toEqual(SIGNED_OUT_MEANWHILE);
    // The codes shown are the account's: one of them finishes a sign-in.
    expect(await db().recoveryCode.count({ where: { userId: user.id, usedAt: null } })).toBe(10);
    expect(await verifySignInSecondFactor(await pendingSession(user, signIn), { code: made[0]!.recoveryCodes![3]! }, IP)).toMatchObject({ ok: true });
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'RECOVERY_CODES_REPLACED' } })).toBe(1);
  });

  it('[PROVIDER_ADMIN] new recovery codes asked in two tabs of one session at once, with two proofs: one is made, the other changes nothing (review r34h L1)', async () => {
    const { user, secret, spareSecret, actor, signIn } = await adminWithPhoneAndTablet();
    const results = await Promise.all([
      regenerateRecoveryCodes(actor, { code: await codeNow(secret, 1) }, IP),
      regenerateRecoveryCodes(actor, { code: await codeNow(spareSecret) }, IP),
    ]);
    const made = results.filter((result) => result.ok);
    expect(made).toHaveLength(1);
    expect(results.find((result) => !result.ok)).toEqual(SIGNED_OUT_MEANWHILE);
    expect(await verifySignInSecondFactor(await pendingSession(user, signIn), { code: made[0]!.recoveryCodes![5]! }, IP)).toMatchObject({ ok: true });
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'RECOVERY_CODES_REPLACED' } })).toBe(1);
  });

  it('[PROVIDER_ADMIN] wrong codes to change the factors count on the account’s lock, as at sign-in; a right one ends the streak', async () => {
    const { user, secret, actor } = await adminWithPhoneAndTablet();
    await db().agency.update({ where: { id: actor.kind === 'agency' ? actor.agencyId : '' }, data: { softLockThreshold: 3 } });
    const wrong = await wrongCode(secret);
    expect(await regenerateRecoveryCodes(actor, { code: wrong }, IP)).toMatchObject({ ok: false });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(1);
    const made = await regenerateRecoveryCodes(actor, { code: await codeNow(secret, 1) }, IP);
    expect(made).toMatchObject({ ok: true });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(0);
    for (let guess = 0; guess < 3; guess += 1) expect(await regenerateRecoveryCodes(actor, { code: wrong }, IP)).toMatchObject({ ok: false });
    const locked = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(locked.failedSignInCount).toBe(3);
    expect(locked.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    // Guesses from a signed-in session: the owner is told someone is inside the account, never that nobody signed in (review r42d F1).
    const told = await lockMailTo(user.email!);
    expect(told).toContain('The wrong tries came from a browser signed in to your account. If it was not you, someone is signed in as you');
    expect(told).not.toContain('Nobody signed in');
    // Locked: nothing more is checked, not even a right recovery code (still unused after), and nothing more is counted.
    const unused = await db().recoveryCode.count({ where: { userId: user.id, usedAt: null } });
    // And it is told so, not that its right code was wrong (review r43f F3).
    expect(await regenerateRecoveryCodes(actor, { code: made.recoveryCodes![0]! }, IP)).toMatchObject({
      ok: false,
      message: 'Your account is locked for now, after too many wrong passwords or codes.',
    });
    expect(await db().recoveryCode.count({ where: { userId: user.id, usedAt: null } })).toBe(unused);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(3);
    const audits = await db().auditEvent.findMany({ where: { targetId: user.id, action: { in: ['SECOND_FACTOR_FAILURE', 'ACCOUNT_LOCKED'] } }, orderBy: { seq: 'asc' } });
    expect(audits.filter((event) => event.action === 'SECOND_FACTOR_FAILURE')).toHaveLength(5);
  });

  it('[PROVIDER_ADMIN] removing both factors at once, each confirmed with the other, leaves one', async () => {
    const { user, secret, spareSecret, actor, phone, tablet } = await adminWithPhoneAndTablet();
    const results = await Promise.all([
      removeFactor(actor, { factorId: phone.id, code: await codeNow(spareSecret) }, IP),
      removeFactor(actor, { factorId: tablet.id, code: await codeNow(secret, 1) }, IP),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    // The other is refused: its session's factors changed on its way (r34h L1), or by the last-factor rule,
    // or, when the first removal is done before its code is checked, because its code belongs to the
    // factor just removed: either way it changes nothing.
    expect([SIGNED_OUT_MEANWHILE.message, 'Your account must keep a second factor. Add another one before you remove this one.', 'That code is not right.']).toContain(
      results.find((result) => !result.ok)?.message,
    );
    expect(await db().mfaFactor.count({ where: { userId: user.id, confirmedAt: { not: null } } })).toBe(1);
  });

  it('[PROVIDER_ADMIN] the same “new recovery codes” form sent again (a reload of its answer without JavaScript) counts no wrong code, makes nothing and says the codes were made already (review r38b F1)', async () => {
    const { user, secret, spareSecret, actor } = await adminWithPhoneAndTablet();
    const sent = { code: await codeNow(secret, 1), formKey: formKeyFor(actor) };
    const made = await regenerateRecoveryCodes(actor, sent, IP);
    expect(made).toMatchObject({ ok: true });
    expect(made.recoveryCodes).toHaveLength(10);
    // Five reloads locked the account: each sent the used code again.
    for (let reload = 0; reload < 5; reload += 1) {
      const again = await regenerateRecoveryCodes(await actorOf(actor.sessionId), sent, IP);
      expect(again).toEqual(RECOVERY_CODES_MADE_ALREADY);
      expect(again.recoveryCodes).toBeUndefined();
    }
    const row = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.failedSignInCount).toBe(0);
    expect(row.lockedUntil).toBeNull();
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: { in: ['SECOND_FACTOR_FAILURE', 'ACCOUNT_LOCKED'] } } })).toBe(0);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'RECOVERY_CODES_REPLACED' } })).toBe(1);
    // The codes shown the first time are the account's.
    expect(await db().recoveryCode.count({ where: { userId: user.id, usedAt: null } })).toBe(10);
    // A new rendering of the form, with a fresh code, makes new codes again.
    const remade = await regenerateRecoveryCodes(await actorOf(actor.sessionId), { code: await codeNow(spareSecret), formKey: formKeyFor(actor) }, IP);
    expect(remade).toMatchObject({ ok: true });
    expect(remade.recoveryCodes).toHaveLength(10);
  });

  it('[PROVIDER_ADMIN] the same “Confirm” of a new app sent again (a reload of its answer without JavaScript) says the app was added already, not “Start again”, and adds nothing (review r38b F1)', async () => {
    const { user, actor, secret } = await appBeingAdded();
    const sent = { code: await codeNow(secret), formKey: formKeyFor(actor) };
    const confirmed = await confirmTotpEnrolment(actor, sent, IP);
    expect(confirmed).toMatchObject({ ok: true });
    expect(confirmed.recoveryCodes).toHaveLength(10);
    const again = await confirmTotpEnrolment(await actorOf(actor.sessionId), sent, IP);
    expect(again).toEqual(TOTP_ADDED_ALREADY);
    expect(again.recoveryCodes).toBeUndefined();
    expect(await db().mfaFactor.count({ where: { userId: user.id, confirmedAt: { not: null } } })).toBe(1);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'SECOND_FACTOR_ADDED' } })).toBe(1);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'SECOND_FACTOR_FAILURE' } })).toBe(0);
    expect(await db().recoveryCode.count({ where: { userId: user.id, usedAt: null } })).toBe(10);
  });

  it('[PROVIDER_ADMIN] copies of one “new recovery codes” rendering sent at the same moment make the codes once; the others wait for it and say so, and no wrong code is counted (review r38e F1)', async () => {
    const { user, secret, actor } = await adminWithPhoneAndTablet();
    const sent = { code: await codeNow(secret, 1), formKey: formKeyFor(actor) };
    const answers = await Promise.all(Array.from({ length: 6 }, async () => regenerateRecoveryCodes(await actorOf(actor.sessionId), sent, IP)));
    const made = answers.filter((answer) => answer.recoveryCodes !== undefined);
    expect(made).toHaveLength(1);
    expect(answers.filter((answer) => answer !== made[0])).toEqual(Array.from({ length: 5 }, () => RECOVERY_CODES_MADE_ALREADY));
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(0);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'SECOND_FACTOR_FAILURE' } })).toBe(0);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'RECOVERY_CODES_REPLACED' } })).toBe(1);
    expect(await db().recoveryCode.count({ where: { userId: user.id, usedAt: null } })).toBe(10);
  });

  it('[PROVIDER_ADMIN] copies of one rendering with a wrong code sent at once are each refused as wrong, never “made already”; the rendering stays free for the right code', async () => {
    const { user, secret, actor } = await adminWithPhoneAndTablet();
    const formKey = formKeyFor(actor);
    const wrong = String((Number(await codeNow(secret, 1)) + 1) % 1_000_000).padStart(6, '0');
    const answers = await Promise.all([0, 1, 2].map(async () => regenerateRecoveryCodes(await actorOf(actor.sessionId), { code: wrong, formKey }, IP)));
    expect(answers.map((answer) => answer.message)).toEqual(['That code is not right.', 'That code is not right.', 'That code is not right.']);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'SECOND_FACTOR_FAILURE' } })).toBe(3);
    // Each refusal freed the key at once (a copy behind it did not wait for a hold to lapse).
    expect(await db().sentForm.count({ where: { key: { endsWith: formKey } } })).toBe(0);
    const made = await regenerateRecoveryCodes(await actorOf(actor.sessionId), { code: await codeNow(secret, 1), formKey }, IP);
    expect(made).toMatchObject({ ok: true });
    expect(made.recoveryCodes).toHaveLength(10);
  });

  it('[PROVIDER_ADMIN] a rendering whose first copy stopped half-way (its instance died) is taken over once its hold has lapsed', async () => {
    const { user, secret, actor } = await adminWithPhoneAndTablet();
    const formKey = formKeyFor(actor);
    await db().sentForm.create({ data: { key: `regenerate-recovery-codes:${formKey}`, claimedBy: `user:${user.id}`, underWayUntil: new Date(Date.now() - 1) } });
    const made = await regenerateRecoveryCodes(actor, { code: await codeNow(secret, 1), formKey }, IP);
    expect(made).toMatchObject({ ok: true });
    expect(made.recoveryCodes).toHaveLength(10);
    expect(await regenerateRecoveryCodes(await actorOf(actor.sessionId), { code: await codeNow(secret, 1), formKey }, IP)).toEqual(RECOVERY_CODES_MADE_ALREADY);
  });

  it('[PROVIDER_ADMIN] a rendering’s key sent by another account is refused as stale, counts nothing and never says “made already” (review r38e F2)', async () => {
    const first = await adminWithPhoneAndTablet();
    const sent = { code: await codeNow(first.secret, 1), formKey: formKeyFor(first.actor) };
    expect(await regenerateRecoveryCodes(first.actor, sent, IP)).toMatchObject({ ok: true });
    const other = await adminWithPhoneAndTablet();
    const answer = await regenerateRecoveryCodes(other.actor, { code: '000000', formKey: sent.formKey }, IP);
    expect(answer).toEqual({ ok: false, message: 'Reload the page and send the form again.' });
    expect(await db().auditEvent.count({ where: { targetId: other.user.id, action: { in: ['SECOND_FACTOR_FAILURE', 'RECOVERY_CODES_REPLACED'] } } })).toBe(0);
  });

  it('[PROVIDER_ADMIN] copies of one “Remove” sent at once remove the factor once; the others wait and say it was removed, and no wrong code is counted (review r39a F1)', async () => {
    const { user, spareSecret, actor, tablet } = await adminWithPhoneAndTablet();
    const sent = { factorId: tablet.id, code: await codeNow(spareSecret), formKey: formKeyFor(actor) };
    const answers = await Promise.all([0, 1, 2].map(async () => removeFactor(await actorOf(actor.sessionId), sent, IP)));
    expect(answers.filter((answer) => answer.message?.endsWith('has been removed, and you were signed out everywhere else.'))).toHaveLength(1);
    expect(answers.filter((answer) => answer === REMOVED_ALREADY)).toHaveLength(2);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'SECOND_FACTOR_FAILURE' } })).toBe(0);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'SECOND_FACTOR_REMOVED' } })).toBe(1);
    expect(await db().mfaFactor.count({ where: { userId: user.id } })).toBe(1);
  });

  it('[PROVIDER_ADMIN] a “Remove” key used for one factor and sent again naming another is that factor’s own form: checked and refused on its own, never “removed already” (review r50a F1)', async () => {
    const { user, secret, spareSecret, actor, tablet, phone } = await adminWithPhoneAndTablet();
    const formKey = formKeyFor(actor);
    expect(await removeFactor(await actorOf(actor.sessionId), { factorId: tablet.id, code: await codeNow(spareSecret), formKey }, IP)).toMatchObject({ ok: true });
    // The last factor of an admin: refused for what it is, with nothing removed.
    const again = await removeFactor(await actorOf(actor.sessionId), { factorId: phone.id, code: await codeNow(secret, 1), formKey }, IP);
    expect(again).toMatchObject({ ok: false });
    expect(again).not.toEqual(REMOVED_ALREADY);
    expect(await db().mfaFactor.findMany({ where: { userId: user.id }, select: { id: true } })).toEqual([{ id: phone.id }]);
  });

  /** Copies of one rendering sent at once, each in an action of its own: what each answered, and what each was told its session moved to. */
  async function copiesAtOnce<T>(copies: number, send: () => Promise<T>) {
    const moves: unknown[] = [];
    const answers = await Promise.all(Array.from({ length: copies }, () => noteOwnChange(send, async (moved) => void moves.push(moved))));
    return { answers, moves };
  }

  it('[PROVIDER_ADMIN] every copy of one “Remove”, “New recovery codes” or “Confirm” is told of the move the first made, from the version it was read at (review r46d F2)', async () => {
    /** What the first copy's own change noted, and what each copy that waited for it was told: the same move, and where from. */
    const expectMoves = async (moves: unknown[], sessionId: string, from: number) => {
      const { sessionVersion } = await db().authSession.findUniqueOrThrow({ where: { id: sessionId } });
      expect(sessionVersion).toBeGreaterThan(from);
      expect(moves).toHaveLength(3);
      expect(moves).toEqual(
        expect.arrayContaining([{ sessionId, version: sessionVersion }, { sessionId, version: sessionVersion, from }, { sessionId, version: sessionVersion, from }]),
      );
      expect(moves.filter((moved) => (moved as { from?: number }).from === from)).toHaveLength(2);
    };

    const removing = await adminWithPhoneAndTablet();
    const removal = { factorId: removing.tablet.id, code: await codeNow(removing.spareSecret), formKey: formKeyFor(removing.actor) };
    const removed = await copiesAtOnce(3, async () => removeFactor(await actorOf(removing.actor.sessionId), removal, IP));
    expect(removed.answers.filter((answer) => answer === REMOVED_ALREADY)).toHaveLength(2);
    await expectMoves(removed.moves, removing.actor.sessionId, removing.actor.resolvedAtVersion!);

    const replacing = await adminWithPhoneAndTablet();
    const replacement = { code: await codeNow(replacing.secret, 1), formKey: formKeyFor(replacing.actor) };
    const replaced = await copiesAtOnce(3, async () => regenerateRecoveryCodes(await actorOf(replacing.actor.sessionId), replacement, IP));
    expect(replaced.answers.filter((answer) => answer === RECOVERY_CODES_MADE_ALREADY)).toHaveLength(2);
    await expectMoves(replaced.moves, replacing.actor.sessionId, replacing.actor.resolvedAtVersion!);

    const adding = await appBeingAdded();
    const confirmation = { code: await codeNow(adding.secret), formKey: formKeyFor(adding.actor) };
    const added = await copiesAtOnce(3, async () => confirmTotpEnrolment(await actorOf(adding.actor.sessionId), confirmation, IP));
    expect(added.answers.filter((answer) => answer === TOTP_ADDED_ALREADY)).toHaveLength(2);
    await expectMoves(added.moves, adding.actor.sessionId, adding.actor.resolvedAtVersion!);
  });

  it('[PROVIDER_ADMIN] copies of one “Add an authenticator app”, confirmed with a code, sent at once start one app; none is told its code is wrong (review r39a F1)', async () => {
    const { user, spareSecret, actor } = await adminWithPhoneAndTablet();
    const sent = { name: 'Laptop', code: await codeNow(spareSecret), formKey: formKeyFor(actor) };
    const answers = await Promise.all([0, 1, 2].map(async () => startTotpEnrolment(await actorOf(actor.sessionId), sent, IP)));
    expect(answers).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'SECOND_FACTOR_FAILURE' } })).toBe(0);
    expect(await db().mfaFactor.count({ where: { userId: user.id, confirmedAt: null } })).toBe(1);
  });

  it('[PROVIDER_ADMIN] copies of one “Confirm” of a new app sent at once add it once; the others say it was added, never “Start again” (review r38e F1)', async () => {
    const { user, actor, secret } = await appBeingAdded();
    const sent = { code: await codeNow(secret), formKey: formKeyFor(actor) };
    const answers = await Promise.all(Array.from({ length: 4 }, async () => confirmTotpEnrolment(await actorOf(actor.sessionId), sent, IP)));
    const added = answers.filter((answer) => answer.recoveryCodes !== undefined);
    expect(added).toHaveLength(1);
    expect(answers.filter((answer) => answer !== added[0])).toEqual([TOTP_ADDED_ALREADY, TOTP_ADDED_ALREADY, TOTP_ADDED_ALREADY]);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'SECOND_FACTOR_ADDED' } })).toBe(1);
  });
});
