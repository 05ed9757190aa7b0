import { z } from 'zod';
import type { ActionState } from '@/lib/auth/guards';
import { addressLimitRefusesSession, attemptSubjectOf, clearFailures, laneOfSession, markSettled, reserveAttempt, settleReservedAttempt, settleWrongSecret, TOO_MANY_FROM_NETWORK } from '@/lib/auth/password-attempt';
import type { Actor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { auditSubject, ownerOf } from '@/lib/mfa/account';
import { checkFreshSecondFactor, type FreshFactorInput } from '@/lib/mfa/check-fresh-second-factor';
import { ownerWhere } from '@/lib/mfa/policy';
import { openedRecently, sessionOpenedAt, SIGN_IN_AGAIN_TO_ADD } from '@/lib/mfa/recent-sign-in';
import { verifyDummy, verifyPassword } from '@/lib/password/hash';
import { consumeRateLimit, RATE_LIMITS, refundRateLimit } from '@/lib/rate-limit/rate-limit';
import { MAX_TYPED_PASSWORD, PASSWORD_TOO_LONG } from '@/lib/validation/identifiers';

/** The account's password, asked when adding its first factor (never sent back to refill the form). */
// Refused before it is checked, as at sign-in: a longer one was checked, and counted a wrong password on the lock (review r45e F4).
export const currentPasswordField = z.string().max(MAX_TYPED_PASSWORD, PASSWORD_TOO_LONG).optional();

export type AddFactorInput = FreshFactorInput & { currentPassword?: string };

const PASSWORD_MISSING: ActionState = {
  ok: false,
  message: 'Confirm it is you first.',
  fieldErrors: { currentPassword: ['Type your password'] },
};

// Said as at a password change: a right password is never called wrong.
const TOO_MANY_TRIES: ActionState = { ok: false, message: 'Too many attempts. Wait 15 minutes and try again.' };
const ACCOUNT_LOCKED: ActionState = {
  ok: false,
  message: 'Your account is locked after too many wrong passwords. Try again later, or ask your administrator to unlock it.',
};

const WRONG_PASSWORD: ActionState = {
  ok: false,
  message: 'Your password is not right.',
  fieldErrors: { currentPassword: ['Your password is not right. Type it again.'] },
};

/** True when the account held a confirmed factor before this session opened: adding one then asks for it. */
export async function holdsFactorFromBefore(actor: Actor, opened?: Date): Promise<boolean> {
  opened ??= await sessionOpenedAt(actor);
  return (await db().mfaFactor.count({ where: { ...ownerWhere(ownerOf(actor)), confirmedAt: { lt: opened } } })) > 0;
}

/**
 * Whether this session may add a factor now; the refusal to give when not. A factor is a way in
 * that outlives every session (a passkey is a whole sign-in), so a borrowed unlocked screen or a
 * stolen cookie must not plant one beside the owner's: it needs a sign-in within the last minutes
 * and proof from the owner now: the factor the account held before this session opened, or, when it
 * held none, its password (decision 061). `opened` is when the session opened, when the caller read it already.
 */
export async function refusalToAddFactor(actor: Actor, input: AddFactorInput, ip: string, opened?: Date): Promise<ActionState | null> {
  opened ??= await sessionOpenedAt(actor);
  if (!openedRecently(opened)) return SIGN_IN_AGAIN_TO_ADD;
  if (!(await holdsFactorFromBefore(actor, opened))) return refusalOfPassword(actor, input.currentPassword, ip);
  const fresh = await checkFreshSecondFactor(actor, input, ip, 'add a factor');
  return fresh.ok ? null : fresh.refusal;
}

/**
 * The account's password, checked as at sign-in: one attempt on its counter and lock
 * (lib/auth/password-attempt.ts), within the budget the password change and factor checks share, so a
 * borrowed session cannot guess here longer than a sign-in could.
 */
async function refusalOfPassword(actor: Actor, password: string | undefined, ip: string): Promise<ActionState | null> {
  if (!password) return PASSWORD_MISSING;
  const owner = ownerOf(actor);
  if ((await consumeRateLimit(db(), RATE_LIMITS.passwordChangePerUser, owner.id)).limited) return TOO_MANY_TRIES;
  // Counted for the client's address too, as every wrong password is; the right one gives it back (review r49c F2).
  if (await addressLimitRefusesSession(actor, ip)) return { ok: false, message: TOO_MANY_FROM_NETWORK };
  const account =
    owner.kind === 'user'
      ? await db().user.findUnique({ where: { id: owner.id }, select: { passwordHash: true } })
      : await db().vendorAccount.findUnique({ where: { id: owner.id }, select: { passwordHash: true } });
  const failure = { ...auditSubject(actor, ip), action: 'CURRENT_PASSWORD_FAILURE', outcome: 'FAILURE', details: { for: 'add a factor' } } as const;
  const subject = await attemptSubjectOf(owner.kind, owner.id, laneOfSession(actor));
  const reservation = await db().$transaction((tx) => reserveAttempt(tx, subject, { failure, pathway: 'current password' }));
  const verified = reservation.counted && account ? await verifyPassword(account.passwordHash, password) : await verifyDummy(password);
  if (!verified) {
    await settleWrongSecret(
      reservation,
      {
        ...failure,
        details: reservation.counted ? { for: 'add a factor' } : { for: 'add a factor', reason: 'account locked' },
      },
      'current password',
    );
    return reservation.counted ? WRONG_PASSWORD : ACCOUNT_LOCKED;
  }
  await settleReservedAttempt(() =>
    db().$transaction(async (tx) => {
      await markSettled(tx, reservation);
      await clearFailures(tx, owner.kind, owner.id);
      await refundRateLimit(tx, RATE_LIMITS.signInFailuresPerAddress, ip);
    }),
  );
  return null;
}
