// Decision 065: a stranger who paces his guesses into the hard lock locks out strangers, not the
// owner's usual browser. Attempts from a browser holding the account's known-device token count on a
// streak of their own, with the same thresholds, so a stolen token is no way around a lock either.
import { describe, expect, it } from 'vitest';
import { getUserForAdmin } from '@/lib/admin/get-user-for-admin';
import { issueTemporaryPassword } from '@/lib/admin/issue-temporary-password';
import { listAgencyUsers, userListQuerySchema } from '@/lib/admin/list-agency-users';
import { unlockUser } from '@/lib/admin/unlock-user';
import { changeOwnPassword } from '@/lib/auth/change-own-password';
import { openSession, resolveSession, type AgencyActor } from '@/lib/auth/session';
import { signInAgencyUser, signInVendorAccount, type KnowsAccount } from '@/lib/auth/sign-in';
import { db } from '@/lib/db/client';
import { settleAttemptsLeftToTheRound } from '@/lib/auth/password-attempt';
import { regenerateRecoveryCodes } from '@/lib/mfa/regenerate-recovery-codes';
import { startTotpEnrolment } from '@/lib/mfa/start-totp-enrolment';
import { totpCodeFor, totpStep } from '@/lib/mfa/totp';
import { verifySignInSecondFactor } from '@/lib/mfa/verify-sign-in-second-factor';
import { RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import { unlockVendorAccount } from '@/lib/vendor/unlock-vendor-account';
import { issueResetLink } from '@/lib/password-reset/issue-reset-link';
import { resetPasswordWithLink } from '@/lib/password-reset/reset-password-with-link';
import { addTotpFactor, createAgency, createUser, createVendorAccount } from '@/prisma/factories';
import { codeOfAppHeldBefore } from '../support/next-totp-code';
import { usualBrowserOf } from '../support/usual-browser';

const PASSWORD = 'quiet meadow copper lantern';
const WRONG = 'quiet meadow copper lanterns';
const NEW_PASSWORD = 'amber falcon river tulip';
let ipCounter = 0;
// Every guess from an address of its own: no address limit, no spray slowing, only the account's streak.
const freshIp = () => `10.65.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;


/** What pacing does: each soft lock is waited out before the next guess, so every guess is counted. */
async function pacedGuesses(guess: () => Promise<unknown>, count: number, endLock: () => Promise<unknown>) {
  for (let i = 0; i < count; i++) {
    await guess();
    await endLock();
  }
}

async function staff(role: 'STAFF' | 'PROVIDER_ADMIN' = 'STAFF') {
  const agency = await createAgency(db());
  const user = await createUser(db(), agency.id, PASSWORD, { role, email: `${role.toLowerCase()}.${Date.now()}.${ipCounter}@example.test` });
  const signIn = (password: string, knows?: KnowsAccount) => signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password }, freshIp(), knows);
  const usual = usualBrowserOf({ kind: 'user', id: user.id, version: user.sessionVersion });
  const endStrangersLock = () => db().user.update({ where: { id: user.id }, data: { lockedUntil: new Date(Date.now() - 1000) } });
  return { agency, user, signIn, usual, endStrangersLock };
}

const reload = (id: string) => db().user.findUniqueOrThrow({ where: { id } });

/** An admin of `agency`, signed in: their session as the console's use cases see it. */
async function adminOf(agency: { id: string; code: string }, role: 'PROVIDER_ADMIN' | 'SUPER_ADMIN' = 'PROVIDER_ADMIN'): Promise<AgencyActor> {
  const admin = await createUser(db(), agency.id, PASSWORD, { role, email: `admin.${Date.now()}.${++ipCounter}@example.test` });
  const signedIn = await signInAgencyUser({ providerCode: agency.code, loginName: admin.loginName, password: PASSWORD }, freshIp());
  if (!signedIn.ok) throw new Error('admin sign-in failed');
  return (await resolveSession(signedIn.sessionId)) as AgencyActor;
}

/** The temporary password an admin of the agency gives `user` now. */
async function temporaryPasswordGivenTo(user: { id: string; sessionVersion: number }, agency: { id: string; code: string }): Promise<string> {
  const issued = await issueTemporaryPassword(await adminOf(agency, 'SUPER_ADMIN'), { userId: user.id, expectedVersion: user.sessionVersion }, freshIp());
  if (!issued.ok) throw new Error(issued.message);
  return issued.value.temporaryPassword;
}

describe('a stranger’s paced guesses hard-lock strangers out, not the owner’s usual browser', () => {
  it('[STAFF] twenty paced wrong passwords: a new browser is refused the right one, the usual browser signs in, and that ends the lock', async () => {
    const { user, signIn, usual, endStrangersLock } = await staff();
    await pacedGuesses(() => signIn(WRONG), 20, endStrangersLock);
    const locked = await reload(user.id);
    expect(locked.hardLockedAt).not.toBeNull();
    expect(locked.knownDeviceFailedCount).toBe(0);

    expect(await signIn(PASSWORD)).toEqual({ ok: false, reason: 'INVALID' });
    const usualSignIn = await signIn(PASSWORD, usual);
    expect(usualSignIn.ok).toBe(true);
    // Whoever proves the account ends every lock on it, as PRODUCT.md's "a success resets the count".
    const after = await reload(user.id);
    expect(after).toMatchObject({ failedSignInCount: 0, hardLockedAt: null, lockedUntil: null });
    expect((await signIn(PASSWORD)).ok).toBe(true);
    await settleAttemptsLeftToTheRound(db());
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'ACCOUNT_HARD_LOCKED' } })).toBe(1);
  });

  it('[STAFF] the lock mail tells the owner their usual browser still signs in', async () => {
    const { user, signIn, endStrangersLock } = await staff();
    await pacedGuesses(() => signIn(WRONG), 20, endStrangersLock);
    await settleAttemptsLeftToTheRound(db());
    const mails = await db().outboxMessage.findMany({ where: { toAddress: user.email!, template: 'account-locked' }, orderBy: { createdAt: 'asc' } });
    expect(mails).toHaveLength(2);
    expect(mails.at(-1)!.textBody).toMatch(/until an administrator unlocks it/);
    expect(mails.at(-1)!.textBody).toMatch(/where you have signed in to it before, you can still sign in/);
  });

  it('[VERIFIER] a vendor account hard-locked by a stranger still signs in from its usual browser', async () => {
    const account = await createVendorAccount(db(), 'VERIFIER', PASSWORD);
    const signIn = (password: string, knows?: KnowsAccount) => signInVendorAccount({ email: account.email, password }, freshIp(), knows);
    const endStrangersLock = () => db().vendorAccount.update({ where: { id: account.id }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    await pacedGuesses(() => signIn(WRONG), 20, endStrangersLock);
    expect((await db().vendorAccount.findUniqueOrThrow({ where: { id: account.id } })).hardLockedAt).not.toBeNull();
    expect(await signIn(PASSWORD)).toEqual({ ok: false, reason: 'INVALID' });
    const usual = usualBrowserOf({ kind: 'vendor', id: account.id, version: account.sessionVersion });
    expect((await signIn(PASSWORD, usual)).ok).toBe(true);
  });

  it('[PROVIDER_ADMIN] the usual browser passes the password and then its code while strangers are hard-locked out', async () => {
    const { user, signIn, usual, endStrangersLock } = await staff('PROVIDER_ADMIN');
    const secret = await addTotpFactor(db(), { userId: user.id });
    await pacedGuesses(() => signIn(WRONG), 20, endStrangersLock);
    const password = await signIn(PASSWORD, usual);
    if (!password.ok) throw new Error('the usual browser was refused its password');
    expect(password.secondFactorPending).toBe(true);
    // The password alone ends nothing: the stranger's lock stands until the factor passes.
    expect((await reload(user.id)).hardLockedAt).not.toBeNull();
    const pending = (await resolveSession(password.sessionId))!;
    const code = await totpCodeFor(secret, totpStep(new Date()));
    const verified = await verifySignInSecondFactor({ ...pending, fromKnownBrowser: true }, { code }, freshIp());
    expect(verified.ok).toBe(true);
    expect((await reload(user.id)).hardLockedAt).toBeNull();
  });

  it('[PROVIDER_ADMIN] the code step of a new browser meets the strangers’ lock', async () => {
    const { user, signIn, usual, endStrangersLock } = await staff('PROVIDER_ADMIN');
    const secret = await addTotpFactor(db(), { userId: user.id });
    // The password passes in the usual browser; then strangers lock the account before its code.
    const password = await signIn(PASSWORD, usual);
    if (!password.ok) throw new Error('password refused');
    await pacedGuesses(() => signIn(WRONG), 20, endStrangersLock);
    const pending = (await resolveSession(password.sessionId))!;
    const code = await totpCodeFor(secret, totpStep(new Date()));
    // Sent without the browser's token, the same code is refused: it counts on the strangers' streak.
    expect(await verifySignInSecondFactor(pending, { code }, freshIp())).toMatchObject({ ok: false, reason: 'LOCKED' });
  });
});

describe('a reset link is the owner’s proof as a sign-in is (decision 062, session 53 addendum)', () => {
  it('[STAFF] the browser that set a new password with the link signs in with it while strangers hold the account hard-locked; a new browser is refused', async () => {
    const { user, agency, endStrangersLock } = await staff();
    const token = await db().$transaction((tx) => issueResetLink(tx, { userId: user.id, purpose: 'ADMIN_LINK', lifetimeHours: 24 }));
    const reset = await resetPasswordWithLink(token.token, NEW_PASSWORD, NEW_PASSWORD, freshIp());
    expect(reset).toMatchObject({ ok: true, account: { kind: 'user', id: user.id, version: (await reload(user.id)).sessionVersion } });
    const linkBrowser = usualBrowserOf(reset.account!);
    const signIn = (knows?: KnowsAccount) => signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: NEW_PASSWORD }, freshIp(), knows);
    // A stranger paces guesses into the hard lock after the reset.
    const guess = () => signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: WRONG }, freshIp());
    await pacedGuesses(guess, 20, endStrangersLock);
    expect((await reload(user.id)).hardLockedAt).not.toBeNull();

    expect(await signIn()).toEqual({ ok: false, reason: 'INVALID' });
    expect((await signIn(linkBrowser)).ok).toBe(true);
  });

  it('[PROVIDER_ADMIN] with a second factor gets no token from the link: it proves no more than a password, and the token waits for the code step (review r53d F1)', async () => {
    const { user } = await staff('PROVIDER_ADMIN');
    await addTotpFactor(db(), { userId: user.id });
    const token = await db().$transaction((tx) => issueResetLink(tx, { userId: user.id, purpose: 'ADMIN_LINK', lifetimeHours: 24 }));
    const reset = await resetPasswordWithLink(token.token, NEW_PASSWORD, NEW_PASSWORD, freshIp());
    expect(reset.ok).toBe(true);
    expect(reset.account).toBeUndefined();
  });

  it('[STAFF] a refused password gives no token: the link is still unused', async () => {
    const { user } = await staff();
    const token = await db().$transaction((tx) => issueResetLink(tx, { userId: user.id, purpose: 'ADMIN_LINK', lifetimeHours: 24 }));
    const refused = await resetPasswordWithLink(token.token, 'password', 'password', freshIp());
    expect(refused.ok).toBe(false);
    expect(refused.account).toBeUndefined();
  });
});

describe('known devices meet a lock of their own', () => {
  it('[STAFF] five wrong passwords from the usual browser lock it, not a new browser; the count is per lane', async () => {
    const { user, signIn, usual } = await staff();
    for (let i = 0; i < 5; i++) expect(await signIn(`${WRONG} ${i}`, usual)).toEqual({ ok: false, reason: 'INVALID' });
    const locked = await reload(user.id);
    expect(locked).toMatchObject({ knownDeviceFailedCount: 5, failedSignInCount: 0, lockedUntil: null });
    expect(locked.knownDeviceLockedUntil!.getTime()).toBeGreaterThan(Date.now());
    // Locked for known devices: even the right password is not checked there.
    expect(await signIn(PASSWORD, usual)).toEqual({ ok: false, reason: 'INVALID' });
    expect((await reload(user.id)).knownDeviceFailedCount).toBe(5);
    await settleAttemptsLeftToTheRound(db());
    const lock = await db().auditEvent.findFirstOrThrow({ where: { targetId: user.id, action: 'ACCOUNT_LOCKED' } });
    expect(JSON.parse(lock.details!)).toMatchObject({ consecutiveFailures: 5, lane: 'known device' });
    // A new browser is a stranger's lane, which nobody has failed on: the owner gets in there.
    expect((await signIn(PASSWORD)).ok).toBe(true);
    expect(await reload(user.id)).toMatchObject({ knownDeviceFailedCount: 0, knownDeviceLockedUntil: null });
  });

  it('[STAFF] when both lanes are locked, the lock mail says every browser is, not that one still opens the account (r26a F2)', async () => {
    const { user, signIn, usual } = await staff();
    const mails = () => db().outboxMessage.findMany({ where: { toAddress: user.email!, template: 'account-locked' }, orderBy: { createdAt: 'asc' } });
    for (let i = 0; i < 5; i++) await signIn(`${WRONG} ${i}`);
    await settleAttemptsLeftToTheRound(db());
    expect((await mails()).map((mail) => mail.textBody)).toEqual([expect.stringMatching(/where you have signed in to it before, you can still sign in/)]);
    // Then the owner mistypes five times at her usual browser: now nothing opens the account.
    for (let i = 0; i < 5; i++) await signIn(`${WRONG} ${i}`, usual);
    await settleAttemptsLeftToTheRound(db());
    const [, second] = await mails();
    expect(second!.textBody).toMatch(/Every browser is locked out of your account for now/);
    expect(second!.textBody).not.toMatch(/is not\.|can still sign in/);
    expect(await signIn(PASSWORD, usual)).toEqual({ ok: false, reason: 'INVALID' });
    expect(await signIn(PASSWORD)).toEqual({ ok: false, reason: 'INVALID' });
  });

  it('[STAFF] a stolen token paced into the hard lock is stopped for good, like a stranger', async () => {
    const { user, signIn, usual } = await staff();
    const endKnownLock = () => db().user.update({ where: { id: user.id }, data: { knownDeviceLockedUntil: new Date(Date.now() - 1000) } });
    await pacedGuesses(() => signIn(WRONG, usual), 20, endKnownLock);
    expect((await reload(user.id)).knownDeviceHardLockedAt).not.toBeNull();
    expect(await signIn(PASSWORD, usual)).toEqual({ ok: false, reason: 'INVALID' });
    await settleAttemptsLeftToTheRound(db());
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'ACCOUNT_HARD_LOCKED' } })).toBe(1);
  });

  it('[STAFF] parallel guesses from a known device get at most the threshold of checks', async () => {
    const { user, signIn, usual } = await staff();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => signIn(`${WRONG} ${i}`, usual)));
    expect(results.every((r) => !r.ok)).toBe(true);
    expect((await reload(user.id)).knownDeviceFailedCount).toBe(5);
    const checked = await db().auditEvent.count({ where: { targetId: user.id, action: 'SIGN_IN_FAILURE', details: { contains: 'wrong password' } } });
    expect(checked).toBe(5);
  });

  it('[STAFF] a token for another account, or from before a password reset, is a stranger’s attempt', async () => {
    const { user, signIn, endStrangersLock } = await staff();
    const other = await staff();
    await pacedGuesses(() => signIn(WRONG), 20, endStrangersLock);
    expect(await signIn(PASSWORD, other.usual)).toEqual({ ok: false, reason: 'INVALID' });
    const stale = usualBrowserOf({ kind: 'user', id: user.id, version: user.sessionVersion - 1 });
    expect(await signIn(PASSWORD, stale)).toEqual({ ok: false, reason: 'INVALID' });
    expect((await reload(user.id)).knownDeviceFailedCount).toBe(0);
  });
});

describe('a lock in either lane is a lock to those who end locks', () => {
  it('[PROVIDER_ADMIN] sees a lock of the usual browser’s lane, finds it among the locked, and the unlock ends it, audited as such', async () => {
    const { user, agency, signIn, usual } = await staff();
    const adminActor = await adminOf(agency);
    for (let i = 0; i < 5; i++) await signIn(`${WRONG} ${i}`, usual);

    const seen = (await getUserForAdmin(adminActor, user.id))!;
    expect(seen.lock).toMatchObject({ locked: true, hard: false, failures: 5 });
    expect(seen.lock.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    const locked = await listAgencyUsers(adminActor, userListQuerySchema.parse({ filter: 'locked' }));
    expect(locked.users.map((row) => [row.id, row.locked])).toEqual([[user.id, true]]);

    expect(await unlockUser(adminActor, { userId: user.id }, freshIp())).toMatchObject({ ok: true });
    expect(await reload(user.id)).toMatchObject({ knownDeviceFailedCount: 0, knownDeviceLockedUntil: null });
    const unlocked = await db().auditEvent.findFirstOrThrow({ where: { targetId: user.id, action: 'ADMIN_ACCOUNT_UNLOCKED' } });
    expect(JSON.parse(unlocked.details!)).toMatchObject({ failuresCleared: 5, wasHardLocked: false });
    expect((await signIn(PASSWORD, usual)).ok).toBe(true);
  });

  it('[VENDOR] `vendor:unlock` tells and ends a hard lock of the usual browser’s lane', async () => {
    const account = await createVendorAccount(db(), 'VERIFIER', PASSWORD);
    await db().vendorAccount.update({ where: { id: account.id }, data: { knownDeviceFailedCount: 20, knownDeviceHardLockedAt: new Date() } });
    expect(await unlockVendorAccount(db(), account.email, 'ops')).toBe('unlocked');
    expect(await db().vendorAccount.findUniqueOrThrow({ where: { id: account.id } })).toMatchObject({ knownDeviceFailedCount: 0, knownDeviceHardLockedAt: null });
    const record = await db().auditEvent.findFirstOrThrow({ where: { targetId: account.id, action: 'VENDOR_ACCOUNT_UNLOCKED' } });
    expect(JSON.parse(record.details!)).toMatchObject({ hardLocked: true, failedSignIns: 20 });
  });
});

// Review r45d F2: the forms of a signed-in session count on the lane of the browser presenting it, as sign-in would.
describe('a signed-in owner’s forms, while strangers hold the account locked', () => {
  /** The owner signed in from the usual browser; then strangers lock their lane (five wrong passwords). */
  async function signedInThenLockedByStrangers() {
    const who = await staff();
    const session = await who.signIn(PASSWORD, who.usual);
    if (!session.ok) throw new Error('the usual browser was refused');
    for (let i = 0; i < 5; i++) await who.signIn(`${WRONG} ${i}`);
    expect((await reload(who.user.id)).lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    const actor = (await resolveSession(session.sessionId)) as AgencyActor;
    // The owner's browser presents its known-device token with the session; a thief holding the cookie alone does not.
    return { ...who, owner: { ...actor, fromKnownBrowser: true }, cookieAlone: { ...actor, fromKnownBrowser: false } };
  }
  const NEW_PASSWORD = 'lantern copper meadow quietly';
  const changeTo = (actor: AgencyActor, currentPassword = PASSWORD) => changeOwnPassword(actor, { currentPassword, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, freshIp());

  it('[STAFF] changes the password from the usual browser; the session cookie alone meets the strangers’ lock', async () => {
    const { user, owner, cookieAlone } = await signedInThenLockedByStrangers();
    expect(await changeTo(cookieAlone)).toMatchObject({ ok: false, message: expect.stringMatching(/^Your account is locked/) });
    expect(await changeTo(owner)).toMatchObject({ ok: true });
    expect((await reload(user.id)).passwordHash).not.toBe(user.passwordHash);
  });

  it('[ATTACKER] a thief with the session cookie alone guesses the current password on the strangers’ lane: the owner’s browsers stay open', async () => {
    const who = await staff();
    const session = await who.signIn(PASSWORD, who.usual);
    if (!session.ok) throw new Error('the usual browser was refused');
    const actor = (await resolveSession(session.sessionId)) as AgencyActor;
    for (let i = 0; i < 5; i++) await changeTo({ ...actor, fromKnownBrowser: false }, `${WRONG} ${i}`);
    expect(await reload(who.user.id)).toMatchObject({ failedSignInCount: 5, knownDeviceFailedCount: 0, knownDeviceLockedUntil: null });
    expect((await who.signIn(PASSWORD, who.usual)).ok).toBe(true);
  });

  it('[STAFF] behind an address a spray has spent, changes the password from the usual browser; the cookie alone is told to wait (review r46a F2)', async () => {
    const { user, owner, cookieAlone } = await signedInThenLockedByStrangers();
    const ip = freshIp();
    const rule = RATE_LIMITS.signInFailuresPerAddress;
    await db().rateLimitBucket.create({ data: { key: `${rule.name}:${ip}`, count: rule.limit + 5, windowStart: new Date() } });
    const changeFrom = (actor: AgencyActor) => changeOwnPassword(actor, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, ip);
    expect(await changeFrom(cookieAlone)).toEqual({ ok: false, message: 'Too many failed attempts from your network. Wait 15 minutes and try again.' });
    expect(await changeFrom(owner)).toMatchObject({ ok: true });
    expect((await reload(user.id)).passwordHash).not.toBe(user.passwordHash);
  });

  it('[STAFF] the usual browser’s wrong current password counts on its own lane, not the strangers’', async () => {
    const { user, owner } = await signedInThenLockedByStrangers();
    expect(await changeTo(owner, WRONG)).toMatchObject({ ok: false, fieldErrors: { currentPassword: [expect.stringMatching(/not right/)] } });
    expect(await reload(user.id)).toMatchObject({ failedSignInCount: 5, knownDeviceFailedCount: 1 });
  });

  it('[STAFF] confirms a step-up with a fresh code from the usual browser; the cookie alone is told the account is locked, its code unchecked', async () => {
    const { user, owner, cookieAlone } = await signedInThenLockedByStrangers();
    const code = await codeOfAppHeldBefore({ userId: user.id });
    expect(await regenerateRecoveryCodes(cookieAlone, { code }, freshIp())).toMatchObject({ ok: false, message: expect.stringMatching(/^Your account is locked/) });
    expect(await regenerateRecoveryCodes(owner, { code }, freshIp())).toMatchObject({ ok: true });
  });

  it('[STAFF] gives the password to add a first factor from the usual browser; the cookie alone meets the lock', async () => {
    const { owner, cookieAlone } = await signedInThenLockedByStrangers();
    expect(await startTotpEnrolment(cookieAlone, { name: 'Phone', currentPassword: PASSWORD }, freshIp())).toMatchObject({ ok: false, message: expect.stringMatching(/^Your account is locked/) });
    expect(await startTotpEnrolment(owner, { name: 'Phone', currentPassword: PASSWORD }, freshIp())).toEqual({ ok: true });
  });
});

/** The mail the owner gets when a stranger's five quick guesses lock the account. */
async function lockMailAfterFiveGuesses(user: { email: string | null }, signIn: (password: string) => Promise<unknown>) {
  for (let i = 0; i < 5; i++) await signIn(`${WRONG} ${i}`);
  await settleAttemptsLeftToTheRound(db());
  return db().outboxMessage.findFirstOrThrow({ where: { toAddress: user.email!, template: 'account-locked' } });
}

describe('an admin’s temporary password is no guess a lock must stop (review r52d F1)', () => {
  it('[STAFF] locked and locked again by a stranger after an admin’s reset, signs in with the temporary password from a new browser; the stranger’s guesses meanwhile count for nothing', async () => {
    const { user, agency, signIn, endStrangersLock } = await staff();
    const temporaryPassword = await temporaryPasswordGivenTo(user, agency);

    // Quick guesses stop at the soft lock, uncounted past it, as on any account: no hard lock without pacing (review r52f F1).
    for (let i = 0; i < 20; i++) await signIn(`${WRONG} ${i}`);
    expect(await reload(user.id)).toMatchObject({ failedSignInCount: 5, hardLockedAt: null });
    // The stranger paces guesses into the hard lock, as fast as anyone could unlock it.
    await endStrangersLock();
    await pacedGuesses(() => signIn(WRONG), 15, endStrangersLock);
    const hardLockedAt = (await reload(user.id)).hardLockedAt;
    expect(hardLockedAt).not.toBeNull();
    // Guesses while locked are checked, uncounted: no lock set again, no record or mail to the owner for each (review r52e F1).
    await settleAttemptsLeftToTheRound(db());
    const lockMails = () => db().outboxMessage.count({ where: { toAddress: user.email!, template: 'account-locked' } });
    const mailsBefore = await lockMails();
    for (let i = 0; i < 5; i++) await signIn(`${WRONG} ${i}`);
    expect(await signIn(temporaryPassword.toLowerCase())).toEqual({ ok: false, reason: 'INVALID' });
    await settleAttemptsLeftToTheRound(db());
    expect(await lockMails()).toBe(mailsBefore);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'ACCOUNT_HARD_LOCKED' } })).toBe(1);
    expect(await reload(user.id)).toMatchObject({ hardLockedAt, failedSignInCount: 20 });

    const opened = await signIn(temporaryPassword);
    expect(opened.ok).toBe(true);
    expect(await reload(user.id)).toMatchObject({ hardLockedAt: null, lockedUntil: null, failedSignInCount: 0, temporaryPasswordUsedAt: expect.any(Date) });
  });

  it('[PROVIDER_ADMIN] with a second factor, the temporary password passes the strangers’ lock, which stands until the factor passes: a right password alone ends no lock (review r52e F2, r52f F2)', async () => {
    const { user, agency, signIn, endStrangersLock } = await staff('PROVIDER_ADMIN');
    const secret = await addTotpFactor(db(), { userId: user.id });
    const temporaryPassword = await temporaryPasswordGivenTo(user, agency);
    // Soft-locked one guess short of the hard lock: the right temporary password, uncounted, sets and ends nothing.
    await pacedGuesses(() => signIn(WRONG), 18, endStrangersLock);
    await signIn(WRONG);
    const locked = await reload(user.id);
    expect(locked).toMatchObject({ hardLockedAt: null, lockedUntil: expect.any(Date), failedSignInCount: 19 });
    const opened = await signIn(temporaryPassword);
    if (!opened.ok) throw new Error('the temporary password was refused');
    expect(opened.secondFactorPending).toBe(true);
    expect(await reload(user.id)).toMatchObject({ hardLockedAt: null, lockedUntil: locked.lockedUntil, failedSignInCount: 19 });
    // At the code step, the strangers' lock stands for a new browser, as for any password.
    const pending = (await resolveSession(opened.sessionId))!;
    expect(await verifySignInSecondFactor(pending, { code: await totpCodeFor(secret, totpStep(new Date())) }, freshIp())).toMatchObject({ ok: false, reason: 'LOCKED' });
  });

  it('[STAFF] the lock mail sends the owner to the temporary password, not to a browser known to the account, which the reset ended (review r53b F2)', async () => {
    const { user, agency, signIn } = await staff();
    await temporaryPasswordGivenTo(user, agency);
    const mail = await lockMailAfterFiveGuesses(user, signIn);
    expect(mail.textBody).toContain('The temporary password your administrator gave you still opens your account from any browser');
    expect(mail.textBody).not.toContain('where you have signed in to it before');
  });

  it('[STAFF] who signed in since the reset (a passkey needs no password) is sent to that browser again, not told no browser can finish (review r53d F2)', async () => {
    const { user, agency, signIn } = await staff();
    await addTotpFactor(db(), { userId: user.id });
    await temporaryPasswordGivenTo(user, agency);
    // A passwordless passkey sign-in completes without the temporary password, and its browser is known again: its
    // session, at the account's present version, is what says so (openSession, as signInWithPasskey opens it).
    const { sessionVersion } = await reload(user.id);
    await db().$transaction((tx) => openSession(tx, { kind: 'user', id: user.id }, sessionVersion, freshIp(), false, null));
    const mail = await lockMailAfterFiveGuesses(user, signIn);
    expect(mail.textBody).toContain('where you have signed in to it before, you can still sign in');
    expect(mail.textBody).not.toContain('temporary password');
  });

  it('[ATTACKER] who overheard the temporary password sends it from three browsers at once while strangers hold the account locked: it opens one session, once', async () => {
    const { user, agency, signIn, endStrangersLock } = await staff();
    const temporaryPassword = await temporaryPasswordGivenTo(user, agency);
    await pacedGuesses(() => signIn(WRONG), 20, endStrangersLock);
    expect((await reload(user.id)).hardLockedAt).not.toBeNull();

    const results = await Promise.all([1, 2, 3].map(() => signIn(temporaryPassword)));
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok)).toEqual([
      { ok: false, reason: 'TEMPORARY_PASSWORD_USED' },
      { ok: false, reason: 'TEMPORARY_PASSWORD_USED' },
    ]);
    expect(await db().authSession.count({ where: { userId: user.id } })).toBe(1);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'SIGN_IN_SUCCESS' } })).toBe(1);
  });

  it('[STAFF] once the temporary password is used, or past its end, a lock stops its sign-in as any other, before its password is checked', async () => {
    const { user, signIn } = await staff();
    for (const ended of [{ temporaryPasswordUsedAt: new Date() }, { temporaryPasswordExpiresAt: new Date(Date.now() - 1000) }]) {
      await db().user.update({
        where: { id: user.id },
        data: { mustChangePassword: true, temporaryPasswordIssuedAt: new Date(), temporaryPasswordExpiresAt: new Date(Date.now() + 3_600_000), temporaryPasswordUsedAt: null, hardLockedAt: new Date(), ...ended },
      });
      expect(await signIn(PASSWORD)).toEqual({ ok: false, reason: 'INVALID' });
      await settleAttemptsLeftToTheRound(db());
      const refused = await db().auditEvent.findFirstOrThrow({ where: { targetId: user.id, action: 'SIGN_IN_FAILURE' }, orderBy: { seq: 'desc' } });
      expect(JSON.parse(refused.details!)).toMatchObject({ reason: 'account locked' });
    }
  });
});
