import { describe, expect, it } from 'vitest';
import { resolveSession, type Actor } from '@/lib/auth/session';
import { signInAgencyUser } from '@/lib/auth/sign-in';
import { signInWithPasskey } from '@/lib/auth/sign-in-with-passkey';
import { db } from '@/lib/db/client';
import type { Role } from '@/lib/generated/sqlite/enums';
import { addPasskey } from '@/lib/mfa/add-passkey';
import { listOwnFactors } from '@/lib/mfa/list-factors';
import { regenerateRecoveryCodes } from '@/lib/mfa/regenerate-recovery-codes';
import { removeFactor } from '@/lib/mfa/remove-factor';
import { startPasskeyConfirmation, startPasskeySignIn } from '@/lib/mfa/start-passkey-assertion';
import { startPasskeyRegistration } from '@/lib/mfa/start-passkey-registration';
import { PASSKEY_SUSPENDED, PASSKEY_SUSPENDED_MESSAGE } from '@/lib/mfa/suspend-passkey';
import { verifySignInPasskey, verifySignInSecondFactor } from '@/lib/mfa/verify-sign-in-second-factor';
import { relyingParty } from '@/lib/mfa/webauthn';
import { createAgency, createUser } from '@/prisma/factories';
import { assertionResponse, copyOf, newSoftPasskey, registrationResponse, type SoftPasskey } from '@/test/support/soft-authenticator';

// A copy of a passkey (a cloned authenticator) shows itself by the signature counter: WebAuthn's counter only goes
// up, so a rightly signed one that did not is two authenticators holding one key (review r55g F3, decision 046).

const PASSWORD = 'quiet meadow copper bicycle';
const IP = '127.0.0.1';

function ceremony(challenge: string) {
  const rp = relyingParty();
  return { challenge, rpId: rp.id, origin: rp.origin };
}

async function actorOf(sessionId: string): Promise<Actor> {
  const actor = await resolveSession(sessionId);
  if (!actor) throw new Error('no session');
  return actor;
}

/** An account signed in with its password, holding one passkey (`synced`: its counter stays 0) and its recovery codes. */
async function accountWithPasskey(role: Role = 'STAFF', { synced = false } = {}) {
  const agency = await createAgency(db());
  const user = await createUser(db(), agency.id, PASSWORD, { role, email: `${role.toLowerCase()}.${Date.now()}@example.test` });
  const signIn = () => signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: PASSWORD }, IP);
  const first = await signIn();
  if (!first.ok) throw new Error('password sign-in failed');
  const actor = await actorOf(first.sessionId);
  const passkey = newSoftPasskey({ synced });
  const started = await startPasskeyRegistration(actor);
  if (!('options' in started)) throw new Error(started.message);
  const response = registrationResponse(passkey, { ...ceremony(started.options.challenge), userId: started.options.user.id });
  const added = await addPasskey(actor, { name: 'Laptop', passkey: JSON.stringify(response), currentPassword: PASSWORD }, IP);
  if (!added.ok || !added.recoveryCodes) throw new Error('passkey not added');
  const factor = await db().mfaFactor.findFirstOrThrow({ where: { userId: user.id, kind: 'PASSKEY' } });
  return { user, signIn, actor: await actorOf(first.sessionId), passkey, factorId: factor.id, recoveryCodes: added.recoveryCodes };
}

async function passwordless(passkey: SoftPasskey) {
  const options = await startPasskeySignIn(IP);
  return signInWithPasskey('agency', JSON.stringify(assertionResponse(passkey, ceremony(options!.challenge))), IP);
}

/** An assertion over this session's own SECOND_FACTOR challenge (the code step, or a form that asks for a factor). */
async function confirmation(actor: Actor, passkey: SoftPasskey): Promise<string> {
  return JSON.stringify(assertionResponse(passkey, ceremony((await startPasskeyConfirmation(actor)).challenge)));
}

async function alarmsOf(userId: string) {
  const records = await db().auditEvent.findMany({ where: { targetId: userId, action: 'PASSKEY_SUSPENDED' } });
  return records.map((record) => ({ outcome: record.outcome, details: JSON.parse(record.details!) }));
}

const mailsTo = (email: string) => db().outboxMessage.count({ where: { toAddress: email, template: 'passkey-suspended' } });

async function refusalReasons(userId: string, action: string): Promise<string[]> {
  const records = await db().auditEvent.findMany({ where: { targetId: userId, action }, orderBy: { seq: 'asc' } });
  return records.map((record) => JSON.parse(record.details!).reason);
}

describe('a copy of a passkey', () => {
  it('[STAFF] whose copy signed in first: the owner’s passkey, its counter behind, is refused and suspended, recorded with both counters and mailed once; then neither copy signs in, and no try counts on the lock', async () => {
    const { user, passkey, factorId } = await accountWithPasskey();
    // The owner's own sign-ins, the counter going up each time, work as before.
    for (let i = 0; i < 2; i += 1) expect(await passwordless(passkey)).toMatchObject({ ok: true });
    expect((await db().mfaFactor.findUniqueOrThrow({ where: { id: factorId } })).signCount).toBe(2n);

    // Someone copied the key; their copy signs in three times, its counter now ahead of the owner's.
    const copy = copyOf(passkey);
    for (let i = 0; i < 3; i += 1) expect(await passwordless(copy)).toMatchObject({ ok: true });
    expect((await db().mfaFactor.findUniqueOrThrow({ where: { id: factorId } })).signCount).toBe(5n);

    // The owner's next two tries, at the same moment (a double press): both refused, one alarm, one mail.
    const both = await Promise.all([passwordless(passkey), passwordless(passkey)]);
    expect(both).toEqual([
      { ok: false, reason: 'INVALID' },
      { ok: false, reason: 'INVALID' },
    ]);
    const factor = await db().mfaFactor.findUniqueOrThrow({ where: { id: factorId } });
    expect(factor.suspendedAt).not.toBeNull();
    expect(factor.signCount).toBe(5n);
    const alarms = await alarmsOf(user.id);
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toEqual({
      outcome: 'DENIED',
      details: { reason: 'passkey counter went back: a copy of it may exist', factorId, storedCounter: 5, signedCounter: expect.any(Number) },
    });
    expect([3, 4]).toContain(alarms[0]!.details.signedCounter);
    expect(await mailsTo(user.email!)).toBe(1);

    // Suspended: the owner's passkey and the copy, whose counter still goes up, are both refused; no second mail.
    expect(await passwordless(passkey)).toEqual({ ok: false, reason: 'INVALID' });
    expect(await passwordless(copy)).toEqual({ ok: false, reason: 'INVALID' });
    expect(await alarmsOf(user.id)).toHaveLength(1);
    expect(await mailsTo(user.email!)).toBe(1);
    expect(await refusalReasons(user.id, 'SIGN_IN_FAILURE')).toEqual([PASSKEY_SUSPENDED, PASSKEY_SUSPENDED, PASSKEY_SUSPENDED, PASSKEY_SUSPENDED]);
    // A rightly signed key is no guess: nothing counted on the account's lock, and no lock mail.
    expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ failedSignInCount: 0, lockedUntil: null });
    expect(await db().outboxMessage.count({ where: { toAddress: user.email!, template: 'account-locked' } })).toBe(0);
  });

  it('[anonymous] an assertion for a live passkey with a low counter but a wrong signature raises no alarm: refused and counted as any wrong passkey; the key’s own low counter does', async () => {
    const { user, passkey, factorId } = await accountWithPasskey();
    for (let i = 0; i < 3; i += 1) expect(await passwordless(passkey)).toMatchObject({ ok: true });
    // Someone who knows the passkey's id, not its key, signs a counter of 1 with a key of their own.
    const forged = { ...copyOf(passkey), privateKey: newSoftPasskey().privateKey, counter: 0 };
    expect(await passwordless(forged)).toEqual({ ok: false, reason: 'INVALID' });
    expect((await db().mfaFactor.findUniqueOrThrow({ where: { id: factorId } })).suspendedAt).toBeNull();
    expect(await alarmsOf(user.id)).toEqual([]);
    expect(await mailsTo(user.email!)).toBe(0);
    expect(await refusalReasons(user.id, 'SIGN_IN_FAILURE')).toEqual(['passkey refused']);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(1);
    // The owner still signs in.
    expect(await passwordless(passkey)).toMatchObject({ ok: true });

    // The same low counter, signed with the passkey's own key (a copy made when it stood at 0): the alarm.
    const copy = { ...copyOf(passkey), counter: 0 };
    expect(await passwordless(copy)).toEqual({ ok: false, reason: 'INVALID' });
    expect((await db().mfaFactor.findUniqueOrThrow({ where: { id: factorId } })).suspendedAt).not.toBeNull();
    expect(await alarmsOf(user.id)).toMatchObject([{ details: { storedCounter: 4, signedCounter: 1 } }]);
    expect(await mailsTo(user.email!)).toBe(1);
  });

  it('[STAFF] a synced passkey, whose counter stays 0, signs in again and again and is never taken for a copy; a counting one that falls back to 0 is', async () => {
    const synced = await accountWithPasskey('STAFF', { synced: true });
    for (let i = 0; i < 3; i += 1) expect(await passwordless(synced.passkey)).toMatchObject({ ok: true });
    const stored = await db().mfaFactor.findUniqueOrThrow({ where: { id: synced.factorId } });
    expect(stored).toMatchObject({ signCount: 0n, suspendedAt: null });
    expect(await alarmsOf(synced.user.id)).toEqual([]);

    // An authenticator that counted (to 2) and now says 0: WebAuthn's sign of a copy too.
    const counting = await accountWithPasskey();
    for (let i = 0; i < 2; i += 1) expect(await passwordless(counting.passkey)).toMatchObject({ ok: true });
    expect(await passwordless({ ...counting.passkey, synced: true, counter: 0 })).toEqual({ ok: false, reason: 'INVALID' });
    expect(await alarmsOf(counting.user.id)).toMatchObject([{ details: { storedCounter: 2, signedCounter: 0 } }]);
  });

  it('[PROVIDER_ADMIN] at /login/verify, a passkey a copy ran ahead of is refused as suspended, said so, counted nowhere; a recovery code finishes, and the security page shows it suspended until it is replaced', async () => {
    const { user, signIn, passkey, factorId, recoveryCodes } = await accountWithPasskey('PROVIDER_ADMIN');
    const pendingSession = async () => {
      const result = await signIn();
      if (!result.ok || !result.secondFactorPending) throw new Error('no pending session');
      return actorOf(result.sessionId);
    };
    // The owner's passkey finishes the code step, the counter going up, as before.
    const first = await pendingSession();
    expect(await verifySignInPasskey(first, { passkey: await confirmation(first, passkey) }, IP)).toMatchObject({ ok: true });

    const copy = copyOf(passkey);
    for (let i = 0; i < 2; i += 1) {
      const pending = await pendingSession();
      expect(await verifySignInPasskey(pending, { passkey: await confirmation(pending, copy) }, IP)).toMatchObject({ ok: true });
    }
    const pending = await pendingSession();
    expect(await verifySignInPasskey(pending, { passkey: await confirmation(pending, passkey) }, IP)).toEqual({ ok: false, reason: 'PASSKEY_SUSPENDED' });
    expect(await alarmsOf(user.id)).toMatchObject([{ details: { factorId, storedCounter: 3, signedCounter: 2 } }]);
    expect(await mailsTo(user.email!)).toBe(1);
    expect(await refusalReasons(user.id, 'SIGN_IN_SECOND_FACTOR_FAILURE')).toEqual([PASSKEY_SUSPENDED]);
    // Not a guess: nothing counted on the account's lock.
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(0);
    // The copy is refused too, and the pending session is still there for another factor.
    expect(await verifySignInPasskey(pending, { passkey: await confirmation(pending, copy) }, IP)).toEqual({ ok: false, reason: 'PASSKEY_SUSPENDED' });
    expect(await mailsTo(user.email!)).toBe(1);
    const signedIn = await verifySignInSecondFactor(pending, { code: recoveryCodes[0]! }, IP);
    if (!signedIn.ok) throw new Error(`recovery code refused: ${signedIn.reason}`);
    const owner = await actorOf(signedIn.sessionId);

    // Its owner sees it suspended; it is offered to no passkey confirmation, and a new passkey may be made on the same device.
    expect((await listOwnFactors(owner)).factors).toMatchObject([{ id: factorId, suspendedAt: expect.any(Date) }]);
    expect((await startPasskeyConfirmation(owner)).allowCredentials).toEqual([]);
    const registration = await startPasskeyRegistration(owner);
    if (!('options' in registration)) throw new Error(registration.message);
    expect(registration.options.excludeCredentials).toEqual([]);

    // A form that asks for a factor refuses it the same way, says why, and counts it nowhere.
    const refused = await regenerateRecoveryCodes(owner, { passkey: await confirmation(owner, passkey) }, IP);
    expect(refused).toMatchObject({ ok: false, message: PASSKEY_SUSPENDED_MESSAGE });
    expect(await refusalReasons(user.id, 'SECOND_FACTOR_FAILURE')).toEqual([PASSKEY_SUSPENDED]);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(0);
    // Replaced as the mail and the page say: a new passkey (confirmed with a recovery code), then the suspended one removed.
    const replacement = newSoftPasskey();
    const answer = registrationResponse(replacement, { ...ceremony(registration.options.challenge), userId: registration.options.user.id });
    expect(await addPasskey(owner, { name: 'New laptop', passkey: JSON.stringify(answer), code: recoveryCodes[1]! }, IP)).toMatchObject({ ok: true });
    const afterAdding = await actorOf(owner.sessionId);
    expect(await removeFactor(afterAdding, { factorId, code: recoveryCodes[2]! }, IP)).toMatchObject({ ok: true });
    expect((await listOwnFactors(afterAdding)).factors).toMatchObject([{ name: 'New laptop', suspendedAt: null }]);
    expect(await passwordless(replacement)).toMatchObject({ ok: true });
    expect(await alarmsOf(user.id)).toHaveLength(1);
  });
});
