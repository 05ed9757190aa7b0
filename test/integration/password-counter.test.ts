// PRODUCT.md, "Under attack": failures are counted per account on every pathway that checks a password.
// Guesses spread over sign-in and the change-password form meet the same counter and the same lock.
import { describe, expect, it } from 'vitest';
import { changeOwnPassword } from '@/lib/auth/change-own-password';
import {
  clearFailures,
  giveBackAttempt,
  markSettled,
  reserveAttempt,
  settleAttemptsLeftToTheRound,
} from '@/lib/auth/password-attempt';
import { resolveSession, type AgencyActor } from '@/lib/auth/session';
import { signInAgencyUser } from '@/lib/auth/sign-in';
import { db } from '@/lib/db/client';
import { createAgency, createUser } from '@/prisma/factories';

const PASSWORD = 'quiet meadow copper lantern';
const WRONG = 'quiet meadow copper lanterns';
const NEW_PASSWORD = 'violet harbour stone kettle';
let ipCounter = 0;
const freshIp = () => `10.77.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

async function signedInStaff() {
  const agency = await createAgency(db());
  const user = await createUser(db(), agency.id, PASSWORD);
  const creds = { providerCode: agency.code, loginName: user.loginName, password: PASSWORD };
  const result = await signInAgencyUser(creds, freshIp());
  if (!result.ok) throw new Error('sign-in failed');
  const actor = (await resolveSession(result.sessionId)) as AgencyActor;
  return { user, actor, creds };
}

const guessCurrent = (actor: AgencyActor, currentPassword: string) =>
  changeOwnPassword(actor, { currentPassword, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, freshIp());
const reload = (id: string) => db().user.findUniqueOrThrow({ where: { id } });

describe('one failure counter for every pathway that checks a password', () => {
  it('[STAFF] guesses through sign-in and then the change form meet the sign-in lock', async () => {
    const { user, actor, creds } = await signedInStaff();
    for (let i = 0; i < 3; i++) await signInAgencyUser({ ...creds, password: WRONG }, freshIp());
    for (let i = 0; i < 2; i++) expect((await guessCurrent(actor, WRONG)).fieldErrors?.currentPassword).toBeDefined();
    const locked = await reload(user.id);
    expect(locked.failedSignInCount).toBe(5);
    expect(locked.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    // Locked: the right password is refused on both pathways, and nothing changes.
    expect(await signInAgencyUser(creds, freshIp())).toEqual({ ok: false, reason: 'INVALID' });
    const change = await guessCurrent(actor, PASSWORD);
    expect(change.ok).toBe(false);
    expect(change.message).toMatch(/locked/);
    expect((await reload(user.id)).passwordHash).toBe(user.passwordHash);
    expect((await reload(user.id)).failedSignInCount).toBe(5);
  });

  it('[STAFF] with a stolen session cannot keep guessing through the change form once it locks; sign-in is locked too', async () => {
    const { user, actor, creds } = await signedInStaff();
    for (let i = 0; i < 5; i++) await guessCurrent(actor, `${WRONG} ${i}`);
    expect(await signInAgencyUser(creds, freshIp())).toEqual({ ok: false, reason: 'INVALID' });
    const checked = await db().auditEvent.count({
      where: { targetId: user.id, action: 'PASSWORD_CHANGE_FAILURE', details: { contains: 'wrong current password' } },
    });
    expect(checked).toBe(5);
    // The lock's record is the status round's.
    await settleAttemptsLeftToTheRound(db());
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'ACCOUNT_LOCKED' } })).toBe(1);
  });

  it('[STAFF] parallel guesses through the change form get at most the threshold of checks', async () => {
    const { user, actor } = await signedInStaff();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => guessCurrent(actor, `${WRONG} ${i}`)));
    expect(results.every((r) => !r.ok)).toBe(true);
    expect((await reload(user.id)).failedSignInCount).toBe(5);
    const checked = await db().auditEvent.count({
      where: { targetId: user.id, action: 'PASSWORD_CHANGE_FAILURE', details: { contains: 'wrong current password' } },
    });
    expect(checked).toBe(5);
  });

  it('[STAFF] parallel guesses over both pathways at once still stop at the threshold', async () => {
    const { user, actor, creds } = await signedInStaff();
    await Promise.all([
      ...Array.from({ length: 6 }, (_, i) => guessCurrent(actor, `${WRONG} ${i}`)),
      ...Array.from({ length: 6 }, () => signInAgencyUser({ ...creds, password: WRONG }, freshIp())),
    ]);
    expect((await reload(user.id)).failedSignInCount).toBe(5);
    const checked = await db().auditEvent.count({
      where: {
        targetId: user.id,
        OR: [
          { action: 'PASSWORD_CHANGE_FAILURE', details: { contains: 'wrong current password' } },
          { action: 'SIGN_IN_FAILURE', details: { contains: 'wrong password' } },
        ],
      },
    });
    expect(checked).toBe(5);
  });

  it('[STAFF] the right current password ends a streak begun at sign-in', async () => {
    const { user, actor, creds } = await signedInStaff();
    for (let i = 0; i < 4; i++) await signInAgencyUser({ ...creds, password: WRONG }, freshIp());
    expect((await reload(user.id)).failedSignInCount).toBe(4);
    expect((await guessCurrent(actor, PASSWORD)).ok).toBe(true);
    expect((await reload(user.id)).failedSignInCount).toBe(0);
  });
});

describe('a stronger hash after sign-in', () => {
  it('[STAFF] is stored only over the hash that was verified: a reset landed meanwhile is never undone', async () => {
    const { rehashIfUnchanged } = await import('@/lib/auth/password-attempt');
    const { user } = await signedInStaff();
    // Another hash than the one the sign-in verified: what an administrator's reset leaves.
    const reset = `${user.passwordHash}-reset`;
    await db().user.update({ where: { id: user.id }, data: { passwordHash: reset } });
    await db().$transaction((tx) => rehashIfUnchanged(tx, 'user', user.id, user.passwordHash, 'stronger'));
    expect((await reload(user.id)).passwordHash).toBe(reset);
    await db().$transaction((tx) => rehashIfUnchanged(tx, 'user', user.id, reset, 'stronger'));
    expect((await reload(user.id)).passwordHash).toBe('stronger');
  });

  it('giving back a right password’s attempt never takes the count below zero, when the streak was cleared meanwhile', async () => {
    const { user } = await signedInStaff();
    const subject = { kind: 'user' as const, id: user.id, policy: { softLockThreshold: 5, hardLockThreshold: 20 } };
    const failure = { actorType: 'USER', actorId: user.id, action: 'SIGN_IN_FAILURE', outcome: 'FAILURE' } as const;
    const reservation = await db().$transaction((tx) => reserveAttempt(tx, subject, { failure, pathway: 'sign-in' }));
    expect(reservation).toMatchObject({ counted: true, failureCount: 1 });
    // The factor passed in another tab, or an admin unlocked, before this attempt was settled.
    await db().$transaction((tx) => clearFailures(tx, 'user', user.id));
    await db().$transaction(async (tx) => {
      await markSettled(tx, reservation);
      await giveBackAttempt(tx, 'user', user.id, reservation);
    });
    expect(await reload(user.id)).toMatchObject({ failedSignInCount: 0, firstFailedSignInAt: null, lastFailedSignInAt: null });
  });
});
