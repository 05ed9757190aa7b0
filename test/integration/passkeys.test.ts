import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { clearUserSecondFactors } from '@/lib/admin/clear-user-second-factors';
import { issueTemporaryPassword } from '@/lib/admin/issue-temporary-password';
import { NO_OWN_PASSKEY, updateAgencyPolicy } from '@/lib/admin/update-agency-policy';
import { decideAccess } from '@/lib/auth/access';
import { changeOwnPassword, changePasswordSchema } from '@/lib/auth/change-own-password';
import { resolveSession, type Actor, type AgencyActor } from '@/lib/auth/session';
import { knowsAccount, rememberAccount } from '@/lib/auth/known-device';
import { signInAgencyUser, type KnowsAccount } from '@/lib/auth/sign-in';
import { PASSKEY_REFUSAL_MIN_MS, signInWithPasskey } from '@/lib/auth/sign-in-with-passkey';
import { db } from '@/lib/db/client';
import { databaseKind } from '@/lib/db/kind';
import type { Role } from '@/lib/generated/sqlite/enums';
import { SIGNED_OUT_MEANWHILE } from '@/lib/mfa/account';
import { addPasskey, PASSKEY_ADDED_ALREADY } from '@/lib/mfa/add-passkey';
import { listOwnFactors } from '@/lib/mfa/list-factors';
import { FRESH_PASSKEY_REQUIRED } from '@/lib/mfa/check-fresh-second-factor';
import { sealRecoveryCode } from '@/lib/mfa/recovery-codes';
import { regenerateRecoveryCodes } from '@/lib/mfa/regenerate-recovery-codes';
import { removeFactor } from '@/lib/mfa/remove-factor';
import { startPasskeyConfirmation, startPasskeySignIn } from '@/lib/mfa/start-passkey-assertion';
import { startPasskeyRegistration } from '@/lib/mfa/start-passkey-registration';
import { startTotpEnrolment } from '@/lib/mfa/start-totp-enrolment';
import { totpCodeFor, totpStep } from '@/lib/mfa/totp';
import { verifySignInPasskey, verifySignInSecondFactor } from '@/lib/mfa/verify-sign-in-second-factor';
import { CHALLENGE_TTL_MS, consumeChallenge, issueChallenge, relyingParty } from '@/lib/mfa/webauthn';
import { metricsText } from '@/lib/observability/metrics.mjs';
import { DEFAULT_POLICY } from '@/lib/policy/agency-policy';
import { RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import { addTotpFactor, createAgency, createUser, createVendorAccount } from '@/prisma/factories';
import { assertionResponse, newSoftPasskey, registrationResponse, type SoftPasskey } from '@/test/support/soft-authenticator';
import { whileCompetingTransactionHolds } from '@/test/support/competing-transaction';
import { formKeyFor } from '@/test/support/form-key-for';

const PASSWORD = 'quiet meadow copper bicycle';
const IP = '127.0.0.1';

function ceremony(challenge: string, extra: { userVerified?: boolean; origin?: string } = {}) {
  const rp = relyingParty();
  return { challenge, rpId: rp.id, origin: extra.origin ?? rp.origin, userVerified: extra.userVerified };
}

async function actorOf(sessionId: string): Promise<Actor> {
  const actor = await resolveSession(sessionId);
  if (!actor) throw new Error('no session');
  return actor;
}

async function staffSession(role: Role = 'STAFF', agencyOverrides = {}) {
  const agency = await createAgency(db(), agencyOverrides);
  const user = await createUser(db(), agency.id, PASSWORD, { role, email: `${role.toLowerCase()}.${Date.now()}@example.test` });
  const signIn = () => signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: PASSWORD }, IP);
  const result = await signIn();
  if (!result.ok) throw new Error('password sign-in failed');
  return { agency, user, signIn, actor: await actorOf(result.sessionId) };
}

/**
 * A super admin held to passkeys (requirePasskeyForAdmins) who holds a passkey and an app: `held` is
 * their session as found after the policy came in, `secret` the app's, `passkey` the one to confirm with.
 */
async function superAdminHeldToPasskeys() {
  const { agency, user, actor } = await staffSession('SUPER_ADMIN');
  const passkey = await enrolPasskey(actor);
  const secret = await addTotpFactor(db(), { userId: user.id });
  await db().agency.update({ where: { id: agency.id }, data: { requirePasskeyForAdmins: true } });
  await signedInAgainSince(actor.sessionId);
  const held = await actorOf(actor.sessionId);
  if (held.kind !== 'agency') throw new Error('not an agency session');
  return { agency, user, passkey, secret, held };
}

/**
 * The session as if opened after what the test set up so far: the owner signed in again later. A
 * change to the factors counts only factors held before the session opened (sessionOpenedAt).
 */
async function signedInAgainSince(sessionId: string) {
  await db().authSession.update({ where: { id: sessionId }, data: { createdAt: new Date(Date.now() + 1) } });
}

/** The browser's options for a new passkey, as the security page gets them. */
async function registrationOptions(actor: Actor) {
  const started = await startPasskeyRegistration(actor);
  if (!('options' in started)) throw new Error(`no options: ${started.message}`);
  return started.options;
}

/** Registers a soft passkey for the session's account through the real use cases (`code`: the fresh factor, when the account has one; else the password). */
async function enrolPasskey(session: Actor, name = 'Laptop', code?: string): Promise<SoftPasskey> {
  // The session as this request finds it: an earlier change of factors moved its version.
  const actor = (await resolveSession(session.sessionId)) ?? session;
  const passkey = newSoftPasskey();
  const options = await registrationOptions(actor);
  expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' });
  const response = registrationResponse(passkey, { ...ceremony(options.challenge), userId: options.user.id });
  const added = await addPasskey(actor, { name, passkey: JSON.stringify(response), ...(code ? { code } : { currentPassword: PASSWORD }) }, IP);
  expect(added).toMatchObject({ ok: true });
  return passkey;
}

async function passwordless(passkey: SoftPasskey, kind: 'agency' | 'vendor' = 'agency', extra: { userVerified?: boolean } = {}) {
  const options = await startPasskeySignIn(IP);
  return signInWithPasskey(kind, JSON.stringify(assertionResponse(passkey, ceremony(options!.challenge, extra))), IP);
}

/** A passwordless sign-in from `ip`, by a browser that knows the accounts `knows` says it does. */
async function passwordlessFrom(passkey: SoftPasskey, ip: string, knows?: KnowsAccount) {
  const options = await startPasskeySignIn(ip);
  return signInWithPasskey('agency', JSON.stringify(assertionResponse(passkey, ceremony(options!.challenge))), ip, knows);
}

/** The browser that has signed in as the user before: its known-device token, for the account as it is now. */
async function usualBrowserOf(userId: string): Promise<KnowsAccount> {
  const { sessionVersion } = await db().user.findUniqueOrThrow({ where: { id: userId } });
  const browser = rememberAccount(undefined, { kind: 'user', id: userId, version: sessionVersion });
  return (account) => knowsAccount(browser, account);
}

/** The process's portal_sign_ins_total for agency passkey sign-ins with this outcome (0 before the first). */
async function passkeySignIns(outcome: string): Promise<number> {
  const series = `portal_sign_ins_total{audience="agency",step="passkey",outcome="${outcome}"} `;
  const line = (await metricsText()).text.split('\n').find((row) => row.startsWith(series));
  return line === undefined ? 0 : Number(line.slice(series.length));
}

describe('passkeys', () => {
  it('[STAFF] adds a passkey (audited, mailed, recovery codes) and then signs in with it and no password: a full session', async () => {
    const { user, actor } = await staffSession('STAFF');
    const passkey = newSoftPasskey();
    const options = await registrationOptions(actor);
    const added = await addPasskey(
      actor,
      { name: 'Laptop', passkey: JSON.stringify(registrationResponse(passkey, { ...ceremony(options.challenge), userId: options.user.id })), currentPassword: PASSWORD },
      IP,
    );
    expect(added).toMatchObject({ ok: true });
    expect(added.recoveryCodes).toHaveLength(10);
    const factors = (await listOwnFactors(actor)).factors;
    expect(factors).toMatchObject([{ kind: 'PASSKEY', name: 'Laptop', lastUsedAt: null }]);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'SECOND_FACTOR_ADDED' } })).toBe(1);
    expect(await db().outboxMessage.count({ where: { toAddress: user.email!, template: 'second-factor-changed' } })).toBe(1);

    const result = await passwordless(passkey);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // A complete sign-in: nothing owed at /login/verify.
    const session = await db().authSession.findUniqueOrThrow({ where: { id: result.sessionId } });
    expect(session.secondFactorPending).toBe(false);
    expect(decideAccess(await actorOf(result.sessionId), { principal: 'agency' })).toBe('allowed');
    const audit = await db().auditEvent.findFirstOrThrow({ where: { targetId: user.id, action: 'SIGN_IN_SUCCESS' }, orderBy: { createdAt: 'desc' } });
    expect(JSON.parse(audit.details!)).toMatchObject({ factor: 'PASSKEY', passwordless: true });
    expect((await listOwnFactors(actor)).factors[0]!.lastUsedAt).not.toBeNull();
  });

  it('[ATTACKER with the password] a session held to enrolment is signed out when the owner adds a passkey elsewhere', async () => {
    const { signIn, actor } = await staffSession('PROVIDER_ADMIN');
    const attacker = await signIn();
    if (!attacker.ok) throw new Error('sign-in failed');
    await enrolPasskey(actor);
    expect(await resolveSession(attacker.sessionId)).toBeNull();
    expect(decideAccess(await actorOf(actor.sessionId), { principal: 'agency', roles: ['PROVIDER_ADMIN'] })).toBe('allowed');
  });

  it('[STAFF] a passkey added from a tab whose session another tab\'s factor change moved on is refused as changed meanwhile, and not kept', async () => {
    const { user, actor } = await staffSession('STAFF');
    const staleTab = (await resolveSession(actor.sessionId))!;
    await enrolPasskey(actor, 'Other tab');
    const options = await registrationOptions(staleTab);
    const answer = registrationResponse(newSoftPasskey(), { ...ceremony(options.challenge), userId: options.user.id });
    expect(await addPasskey(staleTab, { name: 'Stale tab', passkey: JSON.stringify(answer), currentPassword: PASSWORD }, IP)).toEqual(SIGNED_OUT_MEANWHILE);
    expect((await db().mfaFactor.findMany({ where: { userId: user.id }, select: { name: true } })).map((f) => f.name)).toEqual(['Other tab']);
  });

  it('[STAFF] copies of one “Add a passkey” rendering sent at the same moment add it once; the other waits and says so, and no wrong password is counted', async () => {
    const { user, actor } = await staffSession('STAFF');
    const options = await registrationOptions(actor);
    const response = registrationResponse(newSoftPasskey(), { ...ceremony(options.challenge), userId: options.user.id });
    const sent = { name: 'Laptop', passkey: JSON.stringify(response), currentPassword: PASSWORD, formKey: formKeyFor(actor) };
    const answers = await Promise.all([0, 1].map(async () => addPasskey(await actorOf(actor.sessionId), sent, IP)));
    const added = answers.filter((answer) => answer.recoveryCodes !== undefined);
    expect(added).toHaveLength(1);
    expect(answers.filter((answer) => answer !== added[0])).toEqual([PASSKEY_ADDED_ALREADY]);
    expect(await db().mfaFactor.count({ where: { userId: user.id } })).toBe(1);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'SECOND_FACTOR_ADDED' } })).toBe(1);
    expect(await db().outboxMessage.count({ where: { toAddress: user.email!, template: 'second-factor-changed' } })).toBe(1);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(0);
    expect(await db().auditEvent.count({ where: { targetId: user.id, outcome: { not: 'SUCCESS' } } })).toBe(0);
  });

  it('[STAFF] at an address past its limit, a passkey signs in only from a browser that has signed in as its account before (decision 062)', async () => {
    const { user, actor } = await staffSession('STAFF');
    const passkey = await enrolPasskey(actor);
    const ip = `10.231.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;
    const rule = RATE_LIMITS.signInFailuresPerAddress;
    await db().rateLimitBucket.upsert({ where: { key: `${rule.name}:${ip}` }, create: { key: `${rule.name}:${ip}`, count: rule.limit + 5, windowStart: new Date() }, update: { count: rule.limit + 5, windowStart: new Date() } });
    expect(await passwordlessFrom(passkey, ip)).toEqual({ ok: false, reason: 'THROTTLED' });
    expect(await passwordlessFrom(passkey, ip, await usualBrowserOf(user.id))).toMatchObject({ ok: true });
  });

  it('[STAFF] at an address strangers flooded with passkey challenges, a browser that has signed in as an account before still gets one, on a budget of that account’s (review r42b F1)', async () => {
    const { user } = await staffSession('STAFF');
    const ip = `10.232.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;
    const fill = (key: string, count: number) => db().rateLimitBucket.upsert({ where: { key }, create: { key, count, windowStart: new Date() }, update: { count, windowStart: new Date() } });
    const { passkeySignInChallengesPerAddress: perAddress, passkeySignInChallengesPerKnownAccount: perAccount } = RATE_LIMITS;
    await fill(`${perAddress.name}:${ip}`, perAddress.limit);
    const { sessionVersion } = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    const known = { kind: 'user', id: user.id, version: sessionVersion } as const;
    expect(await startPasskeySignIn(ip)).toBeNull();
    expect(await startPasskeySignIn(ip, known)).toMatchObject({ challenge: expect.any(String) });
    // Its own budget bounds the challenge rows a cookie can make past the address's limit.
    await fill(`${perAccount.name}:user:${user.id}`, perAccount.limit);
    expect(await startPasskeySignIn(ip, known)).toBeNull();
  });

  it('[STAFF] while strangers have hard-locked the account, its passkey signs in only from a browser that has signed in as it before (decision 065)', async () => {
    const { user, actor } = await staffSession('STAFF');
    const passkey = await enrolPasskey(actor);
    await db().user.update({ where: { id: user.id }, data: { hardLockedAt: new Date(), failedSignInCount: 20 } });
    expect(await passwordlessFrom(passkey, IP)).toEqual({ ok: false, reason: 'INVALID' });
    expect(await passwordlessFrom(passkey, IP, await usualBrowserOf(user.id))).toMatchObject({ ok: true });
    expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ hardLockedAt: null, failedSignInCount: 0 });
  });

  it('[SUPER_ADMIN] a passwordless sign-in ends a four-eyes link waiting in the mailbox, which would clear the passkey; an admin’s own link stays', async () => {
    const { user, actor } = await staffSession('SUPER_ADMIN');
    const passkey = await enrolPasskey(actor);
    const link = (purpose: 'SUPER_ADMIN_REQUEST' | 'ADMIN_LINK') =>
      db().passwordResetToken.create({ data: { userId: user.id, purpose, tokenHash: `${purpose}-${randomUUID()}`, expiresAt: new Date(Date.now() + 3600_000) } });
    const fourEyes = await link('SUPER_ADMIN_REQUEST');
    expect((await passwordless(passkey)).ok).toBe(true);
    const after = await db().passwordResetToken.findUniqueOrThrow({ where: { id: fourEyes.id } });
    expect(after.expiresAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await db().outboxMessage.count({ where: { toAddress: user.email!, template: 'four-eyes-link-ended' } })).toBe(1);
    const own = await link('ADMIN_LINK');
    expect((await passwordless(passkey)).ok).toBe(true);
    expect((await db().passwordResetToken.findUniqueOrThrow({ where: { id: own.id } })).expiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  it.runIf(databaseKind(process.env.DATABASE_URL!) === 'postgresql')(
    '[STAFF] a passwordless sign-in whose account an admin disables while the signature is checked writes no success and counts no failure (review r37b F3)',
    async () => {
      const { user, actor } = await staffSession('STAFF');
      const passkey = await enrolPasskey(actor);
      const before = await db().user.findUniqueOrThrow({ where: { id: user.id } });
      const sessions = await db().authSession.count({ where: { userId: user.id } });
      const disable = { sql: `UPDATE "User" SET "status" = 'DISABLED', "sessionVersion" = "sessionVersion" + 1 WHERE "id" = $1`, params: [user.id] };
      const raced = await whileCompetingTransactionHolds({ holds: { sql: 'SELECT "id" FROM "User" WHERE "id" = $1 FOR UPDATE', params: [user.id] }, then: disable }, () =>
        passwordless(passkey),
      );
      expect(raced).toEqual({ ok: false, reason: 'INVALID' });
      expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ status: 'DISABLED', lastSignInAt: before.lastSignInAt, failedSignInCount: 0 });
      expect(await db().authSession.count({ where: { userId: user.id } })).toBe(sessions);
      const last = await db().auditEvent.findFirstOrThrow({ where: { targetId: user.id }, orderBy: { seq: 'desc' } });
      expect({ action: last.action, details: JSON.parse(last.details!) }).toEqual({ action: 'SIGN_IN_FAILURE', details: { reason: 'account changed during sign-in', factor: 'PASSKEY' } });
    },
  );

  it('[STAFF] a passwordless sign-in counts once as a passkey success in portal_sign_ins_total; a replay counts as invalid', async () => {
    const { actor } = await staffSession('STAFF');
    const passkey = await enrolPasskey(actor);
    const options = await startPasskeySignIn(IP);
    const answer = JSON.stringify(assertionResponse(passkey, ceremony(options!.challenge)));
    const [success, invalid] = [await passkeySignIns('success'), await passkeySignIns('invalid')];

    expect((await signInWithPasskey('agency', answer, IP)).ok).toBe(true);
    expect(await passkeySignIns('success')).toBe(success + 1);
    expect(await passkeySignIns('invalid')).toBe(invalid);

    expect((await signInWithPasskey('agency', answer, IP)).ok).toBe(false);
    expect(await passkeySignIns('success')).toBe(success + 1);
    expect(await passkeySignIns('invalid')).toBe(invalid + 1);
  });

  it('[PROVIDER_ADMIN] with a passkey signs in without a password and without /login/verify, though admins must have a factor', async () => {
    const { actor } = await staffSession('PROVIDER_ADMIN');
    expect(decideAccess(actor, { principal: 'agency' })).toBe('enrolment-required');
    const passkey = await enrolPasskey(actor);
    expect(decideAccess(await actorOf(actor.sessionId), { principal: 'agency', roles: ['PROVIDER_ADMIN'] })).toBe('allowed');
    const result = await passwordless(passkey);
    if (!result.ok) throw new Error('passkey sign-in failed');
    expect(decideAccess(await actorOf(result.sessionId), { principal: 'agency', roles: ['PROVIDER_ADMIN'] })).toBe('allowed');
  });

  it('[anonymous] cannot replay an assertion, nor win twice with one challenge in parallel', async () => {
    const { actor } = await staffSession('STAFF');
    const passkey = await enrolPasskey(actor);
    const options = await startPasskeySignIn(IP);
    const first = JSON.stringify(assertionResponse(passkey, ceremony(options!.challenge)));
    const second = JSON.stringify(assertionResponse(passkey, ceremony(options!.challenge)));
    const outcomes = await Promise.all([first, second, first, second].map((text) => signInWithPasskey('agency', text, IP)));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect(await signInWithPasskey('agency', first, IP)).toEqual({ ok: false, reason: 'INVALID' });
  });

  it('[anonymous] an unknown passkey is refused no sooner than a live account’s wrong one: the time tells nothing of which passkeys name a live account', async () => {
    const { actor } = await staffSession('STAFF');
    const enrolled = await enrolPasskey(actor);
    const stranger = newSoftPasskey();
    // A live account's passkey whose signature is another key's, and a passkey no one has.
    const forged = { ...stranger, credentialId: enrolled.credentialId };
    for (const passkey of [stranger, forged]) {
      const options = await startPasskeySignIn(IP);
      const began = performance.now();
      expect(await signInWithPasskey('agency', JSON.stringify(assertionResponse(passkey, ceremony(options!.challenge))), IP)).toEqual({ ok: false, reason: 'INVALID' });
      expect(performance.now() - began).toBeGreaterThanOrEqual(PASSKEY_REFUSAL_MIN_MS);
    }
  });

  it('[anonymous] a challenge is single use, expires, and belongs to its purpose and session', async () => {
    const challenge = await issueChallenge('SECOND_FACTOR', 'session-a');
    expect(await consumeChallenge(challenge, 'SIGN_IN', null)).toBe(false);
    expect(await consumeChallenge(challenge, 'SECOND_FACTOR', 'session-b')).toBe(false);
    const parallel = await Promise.all([1, 2, 3, 4].map(() => consumeChallenge(challenge, 'SECOND_FACTOR', 'session-a')));
    expect(parallel.filter(Boolean)).toHaveLength(1);
    const old = await issueChallenge('SIGN_IN', null, new Date(Date.now() - CHALLENGE_TTL_MS - 1000));
    expect(await consumeChallenge(old, 'SIGN_IN', null)).toBe(false);
  });

  it('[anonymous] a signed answer naming a challenge of another shape, a NUL in it above all, is refused like a wrong one, never a 500 (review r40c F1)', async () => {
    const { actor } = await staffSession('STAFF');
    const passkey = await enrolPasskey(actor);
    const issued = (await startPasskeySignIn(IP))!.challenge;
    for (const challenge of [`${issued.slice(0, 20)}\u0000${issued.slice(21)}`, '\u0000', `${issued}=`, issued.slice(1), `${issued} `]) {
      const answer = JSON.stringify(assertionResponse(passkey, ceremony(challenge)));
      expect(await signInWithPasskey('agency', answer, IP), JSON.stringify(challenge)).toEqual({ ok: false, reason: 'INVALID' });
    }
    // The challenge issued is still there for the right answer.
    expect((await signInWithPasskey('agency', JSON.stringify(assertionResponse(passkey, ceremony(issued))), IP)).ok).toBe(true);
  });

  it('[STAFF] a session asking for challenges again and again holds one per purpose: the newest', async () => {
    const sessionId = `session-${randomUUID()}`;
    const asked = [];
    for (let i = 0; i < 20; i += 1) asked.push(await issueChallenge('SECOND_FACTOR', sessionId));
    const registration = await issueChallenge('REGISTRATION', sessionId);
    expect(await db().webAuthnChallenge.count({ where: { sessionId } })).toBe(2);
    expect(await consumeChallenge(asked[0]!, 'SECOND_FACTOR', sessionId)).toBe(false);
    expect(await consumeChallenge(asked.at(-1)!, 'SECOND_FACTOR', sessionId)).toBe(true);
    expect(await consumeChallenge(registration, 'REGISTRATION', sessionId)).toBe(true);
  });

  it('[STAFF] an assertion without user verification, or for another origin, is refused and counted on the account', async () => {
    const { user, actor } = await staffSession('STAFF');
    const passkey = await enrolPasskey(actor);
    expect(await passwordless(passkey, 'agency', { userVerified: false })).toEqual({ ok: false, reason: 'INVALID' });
    const options = await startPasskeySignIn(IP);
    const phished = assertionResponse(passkey, ceremony(options!.challenge, { origin: 'https://carenotes-help.example' }));
    expect(await signInWithPasskey('agency', JSON.stringify(phished), IP)).toEqual({ ok: false, reason: 'INVALID' });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(2);
  });

  it('[STAFF] a disabled or locked account is refused with the same answer, and a lock is not counted', async () => {
    const disabled = await staffSession('STAFF');
    const passkey = await enrolPasskey(disabled.actor);
    await db().user.update({ where: { id: disabled.user.id }, data: { status: 'DISABLED' } });
    expect(await passwordless(passkey)).toEqual({ ok: false, reason: 'INVALID' });

    const locked = await staffSession('STAFF');
    const lockedKey = await enrolPasskey(locked.actor);
    await db().user.update({ where: { id: locked.user.id }, data: { lockedUntil: new Date(Date.now() + 60_000), failedSignInCount: 5 } });
    expect(await passwordless(lockedKey)).toEqual({ ok: false, reason: 'INVALID' });
    expect((await db().user.findUniqueOrThrow({ where: { id: locked.user.id } })).failedSignInCount).toBe(5);
    const audits = await db().auditEvent.findMany({ where: { targetId: { in: [disabled.user.id, locked.user.id] }, action: 'SIGN_IN_FAILURE' } });
    expect(audits.map((audit) => JSON.parse(audit.details!).reason).sort()).toEqual(['account disabled', 'account locked']);
  });

  it('[VERIFIER] a vendor passkey signs in at the vendor page only; [STAFF] a staff passkey not at the vendor page', async () => {
    const account = await createVendorAccount(db(), 'VERIFIER', PASSWORD);
    const { signInVendorAccount } = await import('@/lib/auth/sign-in');
    const signedIn = await signInVendorAccount({ email: account.email, password: PASSWORD }, IP);
    if (!signedIn.ok) throw new Error('sign-in failed');
    const vendorKey = await enrolPasskey(await actorOf(signedIn.sessionId));
    expect(await passwordless(vendorKey, 'agency')).toEqual({ ok: false, reason: 'INVALID' });
    expect((await passwordless(vendorKey, 'vendor')).ok).toBe(true);
    const { actor } = await staffSession('STAFF');
    const staffKey = await enrolPasskey(actor);
    expect(await passwordless(staffKey, 'vendor')).toEqual({ ok: false, reason: 'INVALID' });
  });

  it('[PROVIDER_ADMIN] a passkey completes a pending session at /login/verify; another account\u2019s passkey does not', async () => {
    const { user, signIn, actor } = await staffSession('PROVIDER_ADMIN');
    const passkey = await enrolPasskey(actor);
    const other = await staffSession('PROVIDER_ADMIN');
    const otherKey = await enrolPasskey(other.actor);

    const result = await signIn();
    if (!result.ok) throw new Error('password sign-in failed');
    expect(result.secondFactorPending).toBe(true);
    const pending = await actorOf(result.sessionId);
    const options = await startPasskeyConfirmation(pending);
    expect(options.allowCredentials?.map((credential) => credential.id)).toEqual([passkey.credentialId.toString('base64url')]);
    // Someone else's passkey, even over this session's own challenge, is no factor of this account.
    const foreign = await verifySignInPasskey(pending, { passkey: JSON.stringify(assertionResponse(otherKey, ceremony(options.challenge))) }, IP);
    expect(foreign).toEqual({ ok: false, reason: 'PASSKEY_REFUSED' });
    const again = await startPasskeyConfirmation(pending);
    const outcome = await verifySignInPasskey(pending, { passkey: JSON.stringify(assertionResponse(passkey, ceremony(again.challenge))) }, IP);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(decideAccess(await actorOf(outcome.sessionId), { principal: 'agency', roles: ['PROVIDER_ADMIN'] })).toBe('allowed');
    const audit = await db().auditEvent.findFirstOrThrow({ where: { targetId: user.id, action: 'SIGN_IN_SECOND_FACTOR_SUCCESS' } });
    expect(JSON.parse(audit.details!)).toMatchObject({ factor: 'PASSKEY' });
  });

  it('[PROVIDER_ADMIN] an assertion made for another session cannot finish this one', async () => {
    const { signIn, actor } = await staffSession('PROVIDER_ADMIN');
    const passkey = await enrolPasskey(actor);
    const sessions = await Promise.all([signIn(), signIn()]);
    const [a, b] = await Promise.all(
      sessions.map(async (result) => {
        if (!result.ok) throw new Error('password sign-in failed');
        expect(result.secondFactorPending).toBe(true);
        return actorOf(result.sessionId);
      }),
    );
    const options = await startPasskeyConfirmation(a!);
    const answer = JSON.stringify(assertionResponse(passkey, ceremony(options.challenge)));
    expect(await verifySignInPasskey(b!, { passkey: answer }, IP)).toMatchObject({ ok: false });
  });

  it('[SUPER_ADMIN] "require passkeys for admins" sends an admin without one to enrol, and the app code alone no longer finishes /login/verify', async () => {
    const { agency, user, signIn } = await staffSession('SUPER_ADMIN');
    const secret = await addTotpFactor(db(), { userId: user.id });
    const full = await signIn();
    if (!full.ok) throw new Error('password sign-in failed');
    expect(full.secondFactorPending).toBe(true);
    const verified = await verifySignInSecondFactor(await actorOf(full.sessionId), { code: await totpCodeFor(secret, totpStep(new Date())) }, IP);
    if (!verified.ok) throw new Error('verify failed');
    const admin = (await actorOf(verified.sessionId)) as AgencyActor;
    expect(decideAccess(admin, { principal: 'agency', roles: ['SUPER_ADMIN'] })).toBe('allowed');
    // Not by a super admin without a passkey: no admin might be able to turn it off again.
    expect(await updateAgencyPolicy(admin, { ...DEFAULT_POLICY, requirePasskeyForAdmins: 'on' }, IP)).toMatchObject({ ok: false, fieldErrors: { requirePasskeyForAdmins: [NO_OWN_PASSKEY] } });
    expect((await db().agency.findUniqueOrThrow({ where: { id: agency.id } })).requirePasskeyForAdmins).toBe(false);
    // Another super admin, with a passkey, turns it on.
    const other = await createUser(db(), agency.id, PASSWORD, { role: 'SUPER_ADMIN', email: `other.${Date.now()}@example.test` });
    const otherSignIn = await signInAgencyUser({ providerCode: agency.code, loginName: other.loginName, password: PASSWORD }, IP);
    if (!otherSignIn.ok) throw new Error('password sign-in failed');
    const otherActor = await actorOf(otherSignIn.sessionId);
    await enrolPasskey(otherActor);
    expect((await updateAgencyPolicy(otherActor as AgencyActor, { ...DEFAULT_POLICY, requirePasskeyForAdmins: 'on' }, IP)).ok).toBe(true);
    expect((await db().agency.findUniqueOrThrow({ where: { id: agency.id } })).requirePasskeyForAdmins).toBe(true);

    // Open sessions are held to it on their next request: enrolment only.
    const held = await actorOf(verified.sessionId);
    expect(decideAccess(held, { principal: 'agency', roles: ['SUPER_ADMIN'] })).toBe('enrolment-required');
    expect(decideAccess(held, { principal: 'agency', duringEnrolment: true })).toBe('allowed');
    // The app, held from before this session, confirms it is them (the sign-in used this step's code).
    const passkey = await enrolPasskey(held, 'Laptop', await totpCodeFor(secret, totpStep(new Date()) + 1));
    expect(decideAccess(await actorOf(verified.sessionId), { principal: 'agency', roles: ['SUPER_ADMIN'] })).toBe('allowed');

    // The next sign-in: the app code is not enough, the passkey is.
    const next = await signIn();
    if (!next.ok) throw new Error('password sign-in failed');
    expect(next.secondFactorPending).toBe(true);
    const pending = await actorOf(next.sessionId);
    const appCode = await totpCodeFor(secret, totpStep(new Date()) + 1);
    expect(await verifySignInSecondFactor(pending, { code: appCode }, IP)).toEqual({ ok: false, reason: 'PASSKEY_REQUIRED' });
    // Nor in digits of another script, spaced, as typedCode reads any code (full-width, Arabic-Indic, Devanagari, mathematical bold).
    for (const zero of [0xff10, 0x0660, 0x0966, 0x1d7ce]) {
      const spelled = [...appCode].map((digit) => String.fromCodePoint(zero + Number(digit))).join(' ');
      expect(await verifySignInSecondFactor(pending, { code: spelled }, IP), spelled).toEqual({ ok: false, reason: 'PASSKEY_REQUIRED' });
    }
    const options = await startPasskeyConfirmation(pending);
    expect((await verifySignInPasskey(pending, { passkey: JSON.stringify(assertionResponse(passkey, ceremony(options.challenge))) }, IP)).ok).toBe(true);
    // Nor can the admin remove their only passkey while the policy stands.
    const factors = (await listOwnFactors(held)).factors;
    const key = factors.find((factor) => factor.kind === 'PASSKEY')!;
    expect(await removeFactor(await actorOf(verified.sessionId), { factorId: key.id, code: await totpCodeFor(secret, totpStep(new Date()) + 1) }, IP)).toMatchObject({
      ok: false,
      message: expect.stringContaining('keep a passkey'),
    });
  });

  it('[SUPER_ADMIN] held to passkeys, confirms a change to the factors with the passkey: an app code is not enough there either', async () => {
    const { user, passkey, secret, held } = await superAdminHeldToPasskeys();
    const app = (await db().mfaFactor.findFirstOrThrow({ where: { userId: user.id, kind: 'TOTP' } })).id;
    const appCode = await totpCodeFor(secret, totpStep(new Date()));
    expect(await removeFactor(held, { factorId: app, code: appCode }, IP)).toEqual(FRESH_PASSKEY_REQUIRED);
    expect(await regenerateRecoveryCodes(held, { code: appCode }, IP)).toEqual(FRESH_PASSKEY_REQUIRED);
    // Refused before anything was checked: no guess counted, and the app stays.
    expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ failedSignInCount: 0 });
    expect(await db().mfaFactor.count({ where: { id: app } })).toBe(1);
    const options = await startPasskeyConfirmation(held);
    expect(await removeFactor(held, { factorId: app, passkey: JSON.stringify(assertionResponse(passkey, ceremony(options.challenge))) }, IP)).toMatchObject({ ok: true });
    expect(await db().mfaFactor.count({ where: { id: app } })).toBe(0);
  });

  it('[SUPER_ADMIN] held to passkeys, clears another admin’s factors with the passkey: an app code is refused there, before it is checked', async () => {
    const { agency, user, passkey, secret, held } = await superAdminHeldToPasskeys();
    const target = await createUser(db(), agency.id, PASSWORD, { role: 'PROVIDER_ADMIN', email: `cleared.${Date.now()}@example.test` });
    await addTotpFactor(db(), { userId: target.id });
    const input = { userId: target.id, expectedVersion: target.sessionVersion };
    const appCode = await totpCodeFor(secret, totpStep(new Date()));
    expect(await clearUserSecondFactors(held, { ...input, code: appCode }, IP)).toEqual({ ...FRESH_PASSKEY_REQUIRED, askAgain: true });
    expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ failedSignInCount: 0 });
    // Not checked: the app's code is not spent (a code checked and right would be).
    expect((await db().mfaFactor.findFirstOrThrow({ where: { userId: user.id, kind: 'TOTP' } })).lastUsedStep).toBeNull();
    // Counted nowhere, but on the record, with whose factors it was for (review r44d F2).
    const refused = await db().auditEvent.findMany({ where: { actorId: user.id, action: 'FRESH_FACTOR_REFUSED' } });
    expect(refused.map((record) => [record.outcome, JSON.parse(record.details!)])).toEqual([
      ['DENIED', expect.objectContaining({ for: 'clear second factors', aboutUserId: target.id, reason: 'app code where a passkey is required' })],
    ]);
    expect(await db().mfaFactor.count({ where: { userId: target.id } })).toBe(1);
    const options = await startPasskeyConfirmation(held);
    const cleared = await clearUserSecondFactors(held, { ...input, passkey: JSON.stringify(assertionResponse(passkey, ceremony(options.challenge))) }, IP);
    expect(cleared).toMatchObject({ ok: true, value: { temporaryPassword: expect.any(String) } });
    expect(await db().mfaFactor.count({ where: { userId: target.id } })).toBe(0);
  });

  it('[ATTACKER with a borrowed session] cannot add a first factor without the account’s password: wrong ones count and lock as at sign-in', async () => {
    const { user, actor } = await staffSession('STAFF', { softLockThreshold: 3 });
    const registration = async () => {
      const options = await registrationOptions(actor);
      return JSON.stringify(registrationResponse(newSoftPasskey(), { ...ceremony(options.challenge), userId: options.user.id }));
    };
    const asksForPassword = { ok: false, fieldErrors: { currentPassword: [expect.any(String)] } };
    // Within minutes of the owner's sign-in, the cookie alone plants nothing: a passkey is a whole way in.
    expect(await addPasskey(actor, { name: 'Planted', passkey: await registration() }, IP)).toMatchObject(asksForPassword);
    expect(await startTotpEnrolment(actor, { name: 'Planted' }, IP)).toMatchObject(asksForPassword);
    expect(await addPasskey(actor, { name: 'Planted', passkey: await registration(), code: '123456' }, IP)).toMatchObject(asksForPassword);
    expect(await startTotpEnrolment(actor, { name: 'Planted', currentPassword: 'Password1234' }, IP)).toMatchObject({ ok: false, message: 'Your password is not right.' });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(1);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'CURRENT_PASSWORD_FAILURE' } })).toBe(1);
    // The owner's password, typed by the owner: the streak is cleared.
    expect(await startTotpEnrolment(actor, { name: 'Phone', currentPassword: PASSWORD }, IP)).toEqual({ ok: true });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(0);
    // Guessing locks the account as sign-in would; locked, even the right password adds nothing.
    for (const guess of ['Welcome2026!', 'Summer2026!!', 'Autumn2026!!']) {
      expect(await addPasskey(actor, { name: 'Planted', passkey: await registration(), currentPassword: guess }, IP)).toMatchObject({ ok: false });
    }
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    expect(await addPasskey(actor, { name: 'Planted', passkey: await registration(), currentPassword: PASSWORD }, IP)).toMatchObject({
      ok: false,
      message: expect.stringContaining('locked'),
    });
    expect(await db().mfaFactor.count({ where: { userId: user.id, confirmedAt: { not: null } } })).toBe(0);
  });

  it('[ATTACKER with a borrowed session] cannot add a passkey beside the owner’s app without a code from it; one added with it still proves nothing in that session', async () => {
    const { user, actor } = await staffSession('STAFF');
    const secret = await addTotpFactor(db(), { userId: user.id });
    await signedInAgainSince(actor.sessionId);
    const app = (await db().mfaFactor.findFirstOrThrow({ where: { userId: user.id, kind: 'TOTP' } })).id;
    const registration = async () => {
      const options = await registrationOptions(actor);
      return JSON.stringify(registrationResponse(newSoftPasskey(), { ...ceremony(options.challenge), userId: options.user.id }));
    };
    // Within minutes of the owner's sign-in, the borrower tries to plant a passkey of their own.
    expect(await addPasskey(actor, { name: 'Borrower', passkey: await registration() }, IP)).toMatchObject({ ok: false, fieldErrors: { code: [expect.any(String)] } });
    expect(await addPasskey(actor, { name: 'Borrower', passkey: await registration(), code: '000000' }, IP)).toMatchObject({ ok: false });
    expect(await startTotpEnrolment(actor, { name: 'Borrower' }, IP)).toMatchObject({ ok: false });
    expect(await db().mfaFactor.count({ where: { userId: user.id } })).toBe(1);
    // A recovery code made in this session is no proof either (adding a factor could have made it).
    await db().recoveryCode.create({ data: { userId: user.id, codeHash: sealRecoveryCode({ kind: 'user', id: user.id }, 'ABCDE-FGHJK') } });
    expect(await startTotpEnrolment(actor, { name: 'Borrower', code: 'ABCDE-FGHJK' }, IP)).toMatchObject({ ok: false });
    expect(await db().mfaFactor.count({ where: { userId: user.id } })).toBe(1);

    // The owner adds one with the app's code; in this same session it then stands for nothing more.
    const added = await enrolPasskey(actor, 'New laptop', await totpCodeFor(secret, totpStep(new Date())));
    // The app's next code starts adding another app too.
    expect(await startTotpEnrolment(actor, { name: 'Tablet', code: await totpCodeFor(secret, totpStep(new Date()) + 1) }, IP)).toEqual({ ok: true });
    const proof = async () => JSON.stringify(assertionResponse(added, ceremony((await startPasskeyConfirmation(actor)).challenge)));
    expect(await removeFactor(actor, { factorId: app, passkey: await proof() }, IP)).toMatchObject({ ok: false });
    expect(await regenerateRecoveryCodes(actor, { passkey: await proof() }, IP)).toMatchObject({ ok: false });
    const passwordBefore = (await db().user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash;
    const stranger = 'borrowed screen quiet harbour';
    expect(await changeOwnPassword(actor as AgencyActor, { currentPassword: '', passkey: await proof(), newPassword: stranger, confirmPassword: stranger }, IP)).toMatchObject({ ok: false });
    expect(await db().mfaFactor.count({ where: { id: app } })).toBe(1);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(passwordBefore);
  });

  it('[STAFF with passkeys only] a passkey refused at “Add a passkey” spends no recovery code: the passkey is checked before the proof (review r41i F3, r41j F4)', async () => {
    const { user, actor } = await staffSession('STAFF');
    const laptop = await enrolPasskey(actor, 'Laptop');
    await db().recoveryCode.deleteMany({ where: { userId: user.id } });
    const recovery = await db().recoveryCode.create({ data: { userId: user.id, codeHash: sealRecoveryCode({ kind: 'user', id: user.id }, 'MNPQR-STVWX') } });
    await signedInAgainSince(actor.sessionId);
    const now = await actorOf(actor.sessionId);
    const options = await registrationOptions(now);
    // Made for a challenge this session was never given (one replaced from another tab, or past its time).
    const refused = JSON.stringify(registrationResponse(newSoftPasskey(), { ...ceremony('A'.repeat(43)), userId: options.user.id }));
    expect(await addPasskey(now, { name: 'Phone', passkey: refused, code: 'MNPQR-STVWX' }, IP)).toMatchObject({ ok: false, message: expect.stringContaining('not added') });
    expect(await db().recoveryCode.count({ where: { userId: user.id, usedAt: null } })).toBe(1);
    // The passkey the account keeps already, offered again by the browser.
    const again = await registrationOptions(now);
    const kept = JSON.stringify(registrationResponse(laptop, { ...ceremony(again.challenge), userId: again.user.id }));
    expect(await addPasskey(now, { name: 'Laptop again', passkey: kept, code: 'MNPQR-STVWX' }, IP)).toEqual({ ok: false, message: 'That passkey is already on your account.' });
    expect(await db().recoveryCode.count({ where: { userId: user.id, usedAt: null } })).toBe(1);
    // Another account's passkey is not added, and the answer does not say it is anyone's (review r42d F3).
    const other = await staffSession('STAFF');
    const theirs = await enrolPasskey(other.actor, 'Theirs');
    const offered = await registrationOptions(now);
    const answer = await addPasskey(now, { name: 'Theirs', passkey: JSON.stringify(registrationResponse(theirs, { ...ceremony(offered.challenge), userId: offered.user.id })), code: 'MNPQR-STVWX' }, IP);
    expect(answer).toEqual({ ok: false, message: expect.stringContaining('not added') });
    expect(await db().recoveryCode.count({ where: { userId: user.id, usedAt: null } })).toBe(1);
    // The same code then adds a good one, once.
    const fresh = await registrationOptions(now);
    const good = JSON.stringify(registrationResponse(newSoftPasskey(), { ...ceremony(fresh.challenge), userId: fresh.user.id }));
    expect(await addPasskey(now, { name: 'Phone', passkey: good, code: 'MNPQR-STVWX' }, IP)).toMatchObject({ ok: true });
    expect(await db().recoveryCode.findFirst({ where: { id: recovery.id, usedAt: null } })).toBeNull();
  });

  it('[STAFF] removing a passkey asks for a fresh factor, which a passkey held before this sign-in can give', async () => {
    const { user, actor } = await staffSession('STAFF');
    const keep = await enrolPasskey(actor, 'Laptop');
    await enrolPasskey(actor, 'Old phone');
    await signedInAgainSince(actor.sessionId);
    // The session as the next request finds it (each addition moved its version).
    const now = await actorOf(actor.sessionId);
    const oldPhone = (await listOwnFactors(now)).factors.find((factor) => factor.name === 'Old phone')!;
    expect(await removeFactor(now, { factorId: oldPhone.id }, IP)).toMatchObject({ ok: false, fieldErrors: { code: [expect.any(String)] } });
    expect(await removeFactor(now, { factorId: oldPhone.id, code: '123456' }, IP)).toMatchObject({ ok: false });
    // An assertion over a sign-in challenge (not this session's) is no fresh factor.
    const signInOptions = await startPasskeySignIn(IP);
    expect(await removeFactor(now, { factorId: oldPhone.id, passkey: JSON.stringify(assertionResponse(keep, ceremony(signInOptions!.challenge))) }, IP)).toMatchObject({ ok: false });
    const options = await startPasskeyConfirmation(now);
    expect(await removeFactor(now, { factorId: oldPhone.id, passkey: JSON.stringify(assertionResponse(keep, ceremony(options.challenge))) }, IP)).toMatchObject({ ok: true });
    expect((await listOwnFactors(actor)).factors.map((factor) => factor.name)).toEqual(['Laptop']);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'SECOND_FACTOR_REMOVED' } })).toBe(1);
  });

  it('[STAFF] a registration is kept once: a replayed answer, one without user verification, or one for another session is refused', async () => {
    const { user, actor } = await staffSession('STAFF');
    const other = await staffSession('STAFF');
    const passkey = newSoftPasskey();
    const options = await registrationOptions(actor);
    const answer = JSON.stringify(registrationResponse(passkey, { ...ceremony(options.challenge), userId: options.user.id }));
    expect(await addPasskey(other.actor, { name: 'Stolen', passkey: answer, currentPassword: PASSWORD }, IP)).toMatchObject({ ok: false, message: expect.stringContaining('not added') });
    const noUv = await registrationOptions(actor);
    const unverified = JSON.stringify(registrationResponse(newSoftPasskey(), { ...ceremony(noUv.challenge, { userVerified: false }), userId: noUv.user.id }));
    expect(await addPasskey(actor, { name: 'No PIN', passkey: unverified, currentPassword: PASSWORD }, IP)).toMatchObject({ ok: false, message: expect.stringContaining('not added') });
    const fresh = await registrationOptions(actor);
    const good = JSON.stringify(registrationResponse(passkey, { ...ceremony(fresh.challenge), userId: fresh.user.id }));
    const adding = { name: 'Laptop', passkey: good, currentPassword: PASSWORD };
    const both = await Promise.all([addPasskey(actor, adding, IP), addPasskey(actor, adding, IP)]);
    expect(both.filter((result) => result.ok)).toHaveLength(1);
    expect(await db().mfaFactor.count({ where: { userId: user.id, kind: 'PASSKEY' } })).toBe(1);
    expect(await db().mfaFactor.count({ where: { userId: other.user.id } })).toBe(0);
  });
  it('[STAFF with a pending temporary password] after a passkey sign-in, proves it is them at the forced change with a passkey instead of the password they never saw', async () => {
    const { agency, user, actor } = await staffSession('STAFF');
    const passkey = await enrolPasskey(actor);
    const admin = await createUser(db(), agency.id, PASSWORD, { role: 'PROVIDER_ADMIN', email: null });
    const adminSignIn = await signInAgencyUser({ providerCode: agency.code, loginName: admin.loginName, password: PASSWORD }, IP);
    if (!adminSignIn.ok) throw new Error('admin sign-in failed');
    const current = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    const reset = await issueTemporaryPassword((await actorOf(adminSignIn.sessionId)) as AgencyActor, { userId: user.id, expectedVersion: current.sessionVersion }, IP);
    expect(reset.ok).toBe(true);

    const signedIn = await passwordless(passkey);
    if (!signedIn.ok) throw new Error('passkey sign-in failed');
    const held = (await actorOf(signedIn.sessionId)) as AgencyActor;
    expect(decideAccess(held, { principal: 'agency' })).toBe('password-change-required');
    const NEW = 'violet harbour engine meadow';
    const withPasskey = (answer: unknown) =>
      changeOwnPassword(held, { currentPassword: '', passkey: JSON.stringify(answer), newPassword: NEW, confirmPassword: NEW }, IP);

    // Neither proof: refused by the schema, on the current-password field.
    const neither = changePasswordSchema.safeParse({ currentPassword: '', passkey: '', newPassword: NEW, confirmPassword: NEW });
    expect(neither.success).toBe(false);
    expect(neither.error?.issues.map((issue) => issue.path.join('.'))).toContain('currentPassword');
    // An answer to a sign-in challenge, or to another session's, or from another account's passkey: refused and counted.
    const signInChallenge = (await startPasskeySignIn(IP))!.challenge;
    expect(await withPasskey(assertionResponse(passkey, ceremony(signInChallenge)))).toMatchObject({ ok: false, fieldErrors: { currentPassword: [expect.stringMatching(/passkey was not accepted/)] } });
    const other = await staffSession('STAFF');
    const otherPasskey = await enrolPasskey(other.actor);
    expect(await withPasskey(assertionResponse(otherPasskey, ceremony((await startPasskeyConfirmation(held)).challenge)))).toMatchObject({ ok: false });
    expect(await withPasskey(assertionResponse(passkey, ceremony((await startPasskeyConfirmation(other.actor)).challenge)))).toMatchObject({ ok: false });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(3);

    // The right passkey for this session, sent twice at once: one change, the replay refused.
    const answer = assertionResponse(passkey, ceremony((await startPasskeyConfirmation(held)).challenge));
    const results = await Promise.all([withPasskey(answer), withPasskey(answer)]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    const after = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    // The streak of three is over. The replay is a refused passkey like any other: settled after the
    // change, it starts a new streak of one; before it, the change ends that one too (which comes
    // first is the database's turn, not the test's).
    expect(after.mustChangePassword).toBe(false);
    expect(after.failedSignInCount).toBeLessThanOrEqual(1);
    const changed = await db().auditEvent.findFirstOrThrow({ where: { targetId: user.id, action: 'PASSWORD_CHANGED' }, orderBy: { seq: 'desc' } });
    expect(JSON.parse(changed.details!)).toMatchObject({ fromTemporaryPassword: true, proof: 'passkey' });
    expect(decideAccess(await actorOf(signedIn.sessionId), { principal: 'agency' })).toBe('allowed');
    const withNewPassword = await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: NEW }, IP);
    expect(withNewPassword.ok).toBe(true);
  });
});

describe.skipIf(databaseKind(process.env.DATABASE_URL!) !== 'postgresql')('turning on "require passkeys for admins" while its author removes their passkey (PostgreSQL)', () => {
  it('[SUPER_ADMIN] the save waits for the removal, then sees no passkey and changes nothing', async () => {
    const { agency, user, actor } = await staffSession('SUPER_ADMIN');
    await enrolPasskey(actor);
    const [passkey] = await db().mfaFactor.findMany({ where: { userId: user.id, kind: 'PASSKEY' } });
    // The removal as removeFactor makes it: the account's row first (lockFactorOwner), then the delete.
    const removal = {
      holds: { sql: 'SELECT "id" FROM "User" WHERE "id" = $1 FOR UPDATE', params: [user.id] },
      then: { sql: 'DELETE FROM "MfaFactor" WHERE "id" = $1', params: [passkey!.id] },
    };
    const saved = await whileCompetingTransactionHolds(removal, () => updateAgencyPolicy(actor as AgencyActor, { ...DEFAULT_POLICY, requirePasskeyForAdmins: 'on' }, IP));
    expect(saved).toMatchObject({ ok: false, fieldErrors: { requirePasskeyForAdmins: [NO_OWN_PASSKEY] } });
    expect((await db().agency.findUniqueOrThrow({ where: { id: agency.id } })).requirePasskeyForAdmins).toBe(false);
  });
});
