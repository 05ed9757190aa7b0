// Review r54b: two ways a sign-in went on past every limit, each now on a budget of the account's. A right password
// whose account owes its second factor gave its counts back, so whoever knew the password and no factor opened code
// steps (a session and an audit record each) without end (F1). A browser the account signed in from before passes
// the address's limit, so a stolen token checked passwords and wrote records without end, its own lane locked (F2).
import { describe, expect, it } from 'vitest';
import { issueTemporaryPassword } from '@/lib/admin/issue-temporary-password';
import { unlockUser } from '@/lib/admin/unlock-user';
import { resolveSession, type AgencyActor } from '@/lib/auth/session';
import { browserKeyDigest, newBrowserKey } from '@/lib/auth/browser-key.mjs';
import { signInAgencyUser, signInVendorAccount, type KnowsAccount, type SigningBrowser } from '@/lib/auth/sign-in';
import { db } from '@/lib/db/client';
import { newFormKey } from '@/lib/http/form-key';
import { issueResetLink } from '@/lib/password-reset/issue-reset-link';
import { resetPasswordWithLink } from '@/lib/password-reset/reset-password-with-link';
import { argon2VerifiesDone } from '@/lib/password/hash';
import { RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import { unlockVendorAccount } from '@/lib/vendor/unlock-vendor-account';
import { addTotpFactor, createAgency, createUser, createVendorAccount } from '@/prisma/factories';
import { usualBrowserOf } from '../support/usual-browser';

const PASSWORD = 'quiet meadow copper lantern';
const WRONG = 'quiet meadow copper lanterns';
const NEW_PASSWORD = 'amber falcon river tulip';
let ipCounter = 0;
// Addresses of this file's own: the test database is shared with the other files.
const freshIp = () => `10.67.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

async function accountOf(role: 'STAFF' | 'PROVIDER_ADMIN') {
  const agency = await createAgency(db());
  const user = await createUser(db(), agency.id, PASSWORD, { role, email: `${role.toLowerCase()}.${Date.now()}.${++ipCounter}@example.test` });
  if (role === 'PROVIDER_ADMIN') await addTotpFactor(db(), { userId: user.id });
  const signIn = (password: string, ip = freshIp(), knows?: KnowsAccount, browser?: SigningBrowser) =>
    signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password }, ip, knows, browser);
  const usual = usualBrowserOf({ kind: 'user', id: user.id, version: user.sessionVersion });
  return { agency, user, signIn, usual };
}

const sessionsOf = (userId: string) => db().authSession.count({ where: { userId } });
const recordsOf = (userId: string, action: string) => db().auditEvent.count({ where: { targetId: userId, action } });

/** The address's window of sign-in failures, filled to its limit: a stranger there is refused before anything is checked. */
async function spentAddress(): Promise<string> {
  const ip = freshIp();
  const rule = RATE_LIMITS.signInFailuresPerAddress;
  await db().rateLimitBucket.create({ data: { key: `${rule.name}:${ip}`, windowStart: new Date(), count: rule.limit } });
  return ip;
}

describe('code steps a password opens, on the account’s budget (review r54b F1)', () => {
  it('[ATTACKER] who knows an admin’s password and holds no factor opens 30 code steps in a quarter hour, then is told to wait: no session, nothing counted against the owner', async () => {
    const { user, signIn } = await accountOf('PROVIDER_ADMIN');
    const limit = RATE_LIMITS.codeStepsPerAccount.limit;
    for (let i = 0; i < limit; i++) expect(await signIn(PASSWORD)).toMatchObject({ ok: true, secondFactorPending: true });
    expect(await sessionsOf(user.id)).toBe(limit);

    const ip = freshIp();
    const refused = await signIn(PASSWORD, ip);
    expect(refused).toMatchObject({ ok: false, reason: 'ACCOUNT_THROTTLED' });
    expect(refused.ok === false && refused.retryAfterSeconds).toBeGreaterThan(14 * 60);
    expect(await sessionsOf(user.id)).toBe(limit);
    expect(await recordsOf(user.id, 'SIGN_IN_SUCCESS')).toBe(limit);
    // A right password is no failure: not for the account, not for the address.
    expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ failedSignInCount: 0, lockedUntil: null });
    expect(await db().rateLimitBucket.findUnique({ where: { key: `${RATE_LIMITS.signInFailuresPerAddress.name}:${ip}` } })).toMatchObject({ count: 0 });
    // Who does not know the password learns nothing of the budget: a wrong one is refused as any wrong one.
    expect(await signIn(WRONG)).toEqual({ ok: false, reason: 'INVALID' });
  });

  it('[ATTACKER] whose script sends the form again and again with one browser key of its choosing, each copy answered with the code step it opened, spends the budget as well (review r54d F1)', async () => {
    const { user, signIn } = await accountOf('PROVIDER_ADMIN');
    const browser: SigningBrowser = { key: browserKeyDigest(newBrowserKey()), sessionHeld: null };
    const limit = RATE_LIMITS.codeStepsPerAccount.limit;
    const answers = [];
    for (let i = 0; i <= limit; i++) answers.push(await signIn(PASSWORD, freshIp(), undefined, browser));
    expect(answers.slice(0, limit).every((answer) => answer.ok)).toBe(true);
    expect(await sessionsOf(user.id)).toBe(1);
    expect(answers[limit]).toMatchObject({ ok: false, reason: 'ACCOUNT_THROTTLED' });
    expect(await recordsOf(user.id, 'SIGN_IN_SUCCESS')).toBe(limit);
  });

  it('[PROVIDER_ADMIN] the owner’s usual browser has a budget of its own; an admin’s reset forgets the strangers’', async () => {
    const { agency, user, signIn, usual } = await accountOf('PROVIDER_ADMIN');
    const subject = `user:${user.id}`;
    const rule = RATE_LIMITS.codeStepsPerAccount;
    await db().rateLimitBucket.create({ data: { key: `${rule.name}:${subject}`, windowStart: new Date(), count: rule.limit } });
    expect(await signIn(PASSWORD)).toMatchObject({ ok: false, reason: 'ACCOUNT_THROTTLED' });
    expect(await signIn(PASSWORD, freshIp(), usual)).toMatchObject({ ok: true, secondFactorPending: true });
    expect(await db().rateLimitBucket.findUnique({ where: { key: `${rule.name}:${subject}:knownDevice` } })).toMatchObject({ count: 1 });

    const superAdmin = await createUser(db(), agency.id, PASSWORD, { role: 'SUPER_ADMIN', email: `super.${Date.now()}.${++ipCounter}@example.test` });
    const signedIn = await signInAgencyUser({ providerCode: agency.code, loginName: superAdmin.loginName, password: PASSWORD }, freshIp());
    if (!signedIn.ok) throw new Error('super admin sign-in failed');
    const actor = (await resolveSession(signedIn.sessionId)) as AgencyActor;
    const fresh = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    const issued = await issueTemporaryPassword(actor, { userId: user.id, expectedVersion: fresh.sessionVersion }, freshIp());
    if (!issued.ok) throw new Error(issued.message);
    expect(await signIn(issued.value.temporaryPassword)).toMatchObject({ ok: true, secondFactorPending: true });
  });

  it('[STAFF] an account without a second factor spends no such budget: each sign-in is whole', async () => {
    const { user, signIn } = await accountOf('STAFF');
    expect(await signIn(PASSWORD)).toMatchObject({ ok: true, secondFactorPending: false });
    expect(await db().rateLimitBucket.count({ where: { key: { startsWith: `${RATE_LIMITS.codeStepsPerAccount.name}:user:${user.id}` } } })).toBe(0);
  });
});

describe('a known browser past the address’s limit, on the account’s budget (review r54b F2)', () => {
  it('[STAFF] tries on the account’s budget, counted before the check; spent, it is told to wait, no password checked, while a stranger there is throttled as before', async () => {
    const { user, signIn, usual } = await accountOf('STAFF');
    const ip = await spentAddress();
    const rule = RATE_LIMITS.signInAttemptsPerKnownAccount;
    const budget = () => db().rateLimitBucket.findUnique({ where: { key: `${rule.name}:user:${user.id}` } });
    expect(await signIn(WRONG, ip, usual)).toEqual({ ok: false, reason: 'INVALID' });
    expect(await budget()).toMatchObject({ count: 1 });
    expect(await signIn(WRONG, ip)).toEqual({ ok: false, reason: 'THROTTLED' });

    await db().rateLimitBucket.update({ where: { key: `${rule.name}:user:${user.id}` }, data: { count: rule.limit } });
    const verifies = argon2VerifiesDone();
    const refused = await signIn(PASSWORD, ip, usual);
    expect(refused).toMatchObject({ ok: false, reason: 'ACCOUNT_THROTTLED' });
    expect(argon2VerifiesDone()).toBe(verifies);
    expect(await sessionsOf(user.id)).toBe(0);
    // From an address with room, the same browser signs in: the budget is only for going past the address's limit.
    expect(await signIn(PASSWORD, freshIp(), usual)).toMatchObject({ ok: true });
  });

  it('[STAFF] a reset link forgets it: the browser the link was used in, at a spent address, signs in with the new password (review r54g F1)', async () => {
    const { user, signIn } = await accountOf('STAFF');
    const rule = RATE_LIMITS.signInAttemptsPerKnownAccount;
    await db().rateLimitBucket.create({ data: { key: `${rule.name}:user:${user.id}`, windowStart: new Date(), count: rule.limit } });
    const { token } = await db().$transaction((tx) => issueResetLink(tx, { userId: user.id, purpose: 'ADMIN_LINK', lifetimeHours: 24 }));
    const reset = await resetPasswordWithLink(token, NEW_PASSWORD, NEW_PASSWORD, freshIp(), newFormKey());
    if (!reset.ok || !reset.account) throw new Error('reset failed');
    expect(await signIn(NEW_PASSWORD, await spentAddress(), usualBrowserOf(reset.account))).toMatchObject({ ok: true });
  });

  it('[STAFF] a whole sign-in does not forget it: its transaction gives the address its count back after forgetting, and the address’s turn takes the two rows the other way round (a deadlock on PostgreSQL)', async () => {
    const { user, signIn, usual } = await accountOf('STAFF');
    const rule = RATE_LIMITS.signInAttemptsPerKnownAccount;
    await db().rateLimitBucket.create({ data: { key: `${rule.name}:user:${user.id}`, windowStart: new Date(), count: 5 } });
    expect(await signIn(PASSWORD, freshIp(), usual)).toMatchObject({ ok: true });
    expect(await db().rateLimitBucket.findUnique({ where: { key: `${rule.name}:user:${user.id}` } })).toMatchObject({ count: 5 });
  });

  it('[VERIFIER] the operator’s `vendor:unlock` forgets it, as an agency admin’s unlock does (review r54h F1)', async () => {
    const account = await createVendorAccount(db(), 'VERIFIER', PASSWORD);
    const usual = usualBrowserOf({ kind: 'vendor', id: account.id, version: account.sessionVersion });
    const rule = RATE_LIMITS.signInAttemptsPerKnownAccount;
    await db().rateLimitBucket.create({ data: { key: `${rule.name}:vendor:${account.id}`, windowStart: new Date(), count: rule.limit } });
    const ip = await spentAddress();
    const signIn = () => signInVendorAccount({ email: account.email, password: PASSWORD }, ip, usual);
    expect(await signIn()).toMatchObject({ ok: false, reason: 'ACCOUNT_THROTTLED' });
    // No lock to report (the budget is none), and the budget goes all the same.
    expect(await unlockVendorAccount(db(), account.email, 'ops')).toBe('not-locked');
    expect(await signIn()).toMatchObject({ ok: true });
  });

  it('[PROVIDER_ADMIN] an admin’s unlock of the usual browser’s lane forgets it: that browser signs in again at the spent address', async () => {
    const { agency, user, signIn, usual } = await accountOf('STAFF');
    const rule = RATE_LIMITS.signInAttemptsPerKnownAccount;
    await db().rateLimitBucket.create({ data: { key: `${rule.name}:user:${user.id}`, windowStart: new Date(), count: rule.limit } });
    await db().user.update({ where: { id: user.id }, data: { knownDeviceFailedCount: 5, knownDeviceLockedUntil: new Date(Date.now() + 15 * 60_000) } });
    const ip = await spentAddress();
    expect(await signIn(PASSWORD, ip, usual)).toMatchObject({ ok: false, reason: 'ACCOUNT_THROTTLED' });
    const admin = await createUser(db(), agency.id, PASSWORD, { role: 'PROVIDER_ADMIN', email: `unlock.${Date.now()}.${++ipCounter}@example.test` });
    const signedIn = await signInAgencyUser({ providerCode: agency.code, loginName: admin.loginName, password: PASSWORD }, freshIp());
    if (!signedIn.ok) throw new Error('admin sign-in failed');
    expect(await unlockUser((await resolveSession(signedIn.sessionId)) as AgencyActor, { userId: user.id }, freshIp())).toMatchObject({ ok: true });
    expect(await signIn(PASSWORD, ip, usual)).toMatchObject({ ok: true });
  });
});

