import { z } from 'zod';
import type { ActionState } from '@/lib/auth/guards';
import { attemptSubjectOf, clearFailures, reserveAttempt, settleReservedAttempt, settleWrongSecret } from '@/lib/auth/password-attempt';
import type { Actor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { auditSubject, ownerOf } from '@/lib/mfa/account';
import { proveSecondFactor, type UsedFactor } from '@/lib/mfa/consume-second-factor';
import { webAuthnResponseField } from '@/lib/mfa/webauthn';
import { consumeRateLimit, RATE_LIMITS } from '@/lib/rate-limit/rate-limit';

/** A fresh factor, as the forms that change factors post it: a typed code, or a passkey's answer (the other left empty). */
export const freshFactorFields = {
  code: z.string().trim().max(40, 'That code is too long').optional(),
  passkey: webAuthnResponseField.optional().or(z.literal('')),
};

export type FreshFactorInput = { code?: string; passkey?: string };

export const FRESH_FACTOR_MISSING: ActionState = {
  ok: false,
  message: 'Confirm it is you first.',
  fieldErrors: { code: ['Enter a code from your app or a recovery code, or use a passkey'] },
};

/**
 * Changes to the factors themselves ask for a factor now, not only the session's sign-in, so a
 * borrowed unlocked screen cannot swap the factors. Each try is one attempt on the account's
 * counter and lock, as at sign-in (lib/auth/password-attempt.ts), and the guesses also share the
 * password-change budget. Null when neither a code nor a passkey was given.
 */
export async function checkFreshSecondFactor(actor: Actor, input: FreshFactorInput, ip: string, what: string): Promise<UsedFactor | null> {
  const proof = input.passkey ? { passkey: input.passkey } : input.code ? { code: input.code } : null;
  if (!proof) return null;
  const owner = ownerOf(actor);
  if ((await consumeRateLimit(db(), RATE_LIMITS.passwordChangePerUser, owner.id)).limited) return { ok: false };
  const audit = auditSubject(actor, ip);
  const reservation = await db().$transaction(async (tx) => reserveAttempt(tx, await attemptSubjectOf(owner.kind, owner.id)));
  const used: UsedFactor = reservation.counted ? await proveSecondFactor(owner, proof, actor.sessionId) : { ok: false };
  if (!used.ok) {
    await settleWrongSecret(
      reservation,
      {
        ...audit,
        action: 'SECOND_FACTOR_FAILURE',
        outcome: 'FAILURE',
        details: reservation.counted ? { for: what, consecutiveFailures: reservation.failureCount } : { for: what, reason: 'account locked' },
      },
      'second factor',
    );
    return used;
  }
  await settleReservedAttempt(() => db().$transaction((tx) => clearFailures(tx, owner.kind, owner.id)));
  return used;
}
