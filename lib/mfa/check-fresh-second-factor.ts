import { z } from 'zod';
import type { ActionState } from '@/lib/auth/guards';
import { floodSampler } from '@/lib/audit/flood-sampler';
import { recordAudit, recordAuditAlone } from '@/lib/audit/record';
import { addressLimitRefusesSession, attemptSubjectOf, clearFailures, laneOfSession, markSettled, reserveAttempt, settleReservedAttempt, settleRightSecret, settleWrongSecret, TOO_MANY_FROM_NETWORK } from '@/lib/auth/password-attempt';
import type { Actor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { enqueueMail } from '@/lib/mail/outbox';
import { secondFactorChangedMail } from '@/lib/mail/templates/second-factor-changed';
import { accountContact, auditSubject, lockFactorOwner, ownerOf } from '@/lib/mfa/account';
import { isAppCode, matchSecondFactor, spendFactor, type MatchedFactor, type SecondFactorProof, type UsedFactor } from '@/lib/mfa/consume-second-factor';
import { appCodesRefused } from '@/lib/mfa/passkey-policy';
import { sessionOpenedAt } from '@/lib/mfa/recent-sign-in';
import { PASSKEY_SUSPENDED, PASSKEY_SUSPENDED_MESSAGE } from '@/lib/mfa/suspend-passkey';
import { webAuthnResponseField } from '@/lib/mfa/webauthn';
import { consumeRateLimit, RATE_LIMITS, refundRateLimit } from '@/lib/rate-limit/rate-limit';

/** A fresh factor, as the forms that change factors post it: a typed code, or a passkey's answer (the other left empty). */
export const freshFactorFields = {
  code: z.string().trim().max(40, 'That code is too long').optional(),
  passkey: webAuthnResponseField.optional().or(z.literal('')),
};

export type FreshFactorInput = { code?: string; passkey?: string };

const FRESH_FACTOR_MISSING: ActionState = {
  ok: false,
  message: 'Confirm it is you first.',
  fieldErrors: { code: ['Enter a code from your app or a recovery code, or use a passkey'] },
};

const WRONG_FRESH_FACTOR: ActionState = {
  ok: false,
  message: 'That code is not right.',
  fieldErrors: { code: ['That code is not right, or it was already used. A sign-in method added since you signed in does not count here.'] },
};

// Said to the account's own session, so it tells nobody else anything: its right code was not even checked (review r43f F3).
const LOCKED_NOW: ActionState = {
  ok: false,
  message: 'Your account is locked for now, after too many wrong passwords or codes.',
  fieldErrors: { code: ['Nothing can be checked until the lock ends. Try again later, or ask to have your account unlocked.'] },
};

const TOO_MANY_TRIES: ActionState = {
  ok: false,
  message: 'Too many attempts.',
  fieldErrors: { code: ['Too many wrong codes just now. Wait 15 minutes and try again.'] },
};

const TOO_MANY_FROM_ADDRESS: ActionState = { ok: false, message: TOO_MANY_FROM_NETWORK };

const SUSPENDED_PASSKEY: ActionState = { ok: false, message: PASSKEY_SUSPENDED_MESSAGE, fieldErrors: { code: ['Enter a recovery code (or a code from your app, where your agency accepts one), or use another passkey'] } };

export const FRESH_PASSKEY_REQUIRED: ActionState = {
  ok: false,
  message: 'Your agency requires administrators to confirm it is them with a passkey.',
  fieldErrors: { code: ['Use your passkey, or a recovery code if you lost it'] },
};

/** The factor that confirmed it, or the answer to give when none did. */
export type FreshFactor = Extract<UsedFactor, { ok: true }> | { ok: false; refusal: ActionState };

/** Nothing changed: the acting admin's fresh factor was missing or wrong, and is asked for again beside the question. */
export type FreshFactorRefused = { ok: false; message: string; fieldErrors?: Record<string, string[] | undefined>; askAgain: true };

/** A console action's answer to a fresh factor that did not confirm it (lib/admin/permissions.ts, needsFreshFactor). */
export function askAgain({ refusal }: Extract<FreshFactor, { ok: false }>): FreshFactorRefused {
  return { ok: false, message: refusal.message ?? 'Confirm it is you first.', fieldErrors: refusal.fieldErrors, askAgain: true };
}

/**
 * Changes to the factors themselves ask for a factor now, one the account held before this session
 * opened (sessionOpenedAt), not only the session's sign-in, so a borrowed unlocked screen cannot
 * swap the factors. Each try is one attempt on the account's
 * counter and lock, as at sign-in (lib/auth/password-attempt.ts), and the guesses also share the
 * password-change budget. The factor must be one that would finish this account's sign-in: not an
 * app code for an admin held to passkeys.
 */
export async function checkFreshSecondFactor(actor: Actor, input: FreshFactorInput, ip: string, what: string, about?: { userId: string }): Promise<FreshFactor> {
  const proof: SecondFactorProof | null = input.passkey ? { passkey: input.passkey } : input.code ? { code: input.code } : null;
  if (!proof) return { ok: false, refusal: FRESH_FACTOR_MISSING };
  const audit = auditSubject(actor, ip);
  // Each record names the action and, for one on another's account (a clearing), whose (review r44d F2).
  const purpose = { for: what, ...(about ? { aboutUserId: about.userId } : {}) };
  const owner = ownerOf(actor);
  // Refused before any code is checked, so counted nowhere; on the record all the same, sampled as the gate's refusals are.
  const refuseUnchecked = async (refusal: ActionState, reason: string): Promise<FreshFactor> => {
    const refusalsThisMinute = uncheckedRefusalsToRecord(`${owner.kind}:${owner.id}`, { scope: actor.kind === 'agency' ? actor.agencyId : 'vendor' });
    if (refusalsThisMinute !== null) {
      await recordAuditAlone(db(), { ...audit, action: 'FRESH_FACTOR_REFUSED', outcome: 'DENIED', details: { ...purpose, reason, refusalsThisMinute } });
    }
    return { ok: false, refusal };
  };
  if ('code' in proof && isAppCode(proof.code) && (await appCodesRefused(actor))) return refuseUnchecked(FRESH_PASSKEY_REQUIRED, 'app code where a passkey is required');
  // Spent by wrong tries only: a right one gives its count back (below), so an admin who clears many accounts'
  // factors in an incident, each with a code, is not refused; a spent budget says so, not that the code was wrong (review r43g F2).
  if ((await consumeRateLimit(db(), RATE_LIMITS.passwordChangePerUser, owner.id)).limited) return refuseUnchecked(TOO_MANY_TRIES, 'too many tries');
  // A wrong code here is a failed sign-in like any other (PRODUCT.md, "Under attack"): it counts for the client's
  // address, on the limit wrong passwords and codes share, so an address holding many accounts' sessions cannot guess
  // on each unseen; the right one gives it back (review r49c F2). The owner's own browser passes it (decision 062).
  if (await addressLimitRefusesSession(actor, ip)) {
    // Not a wrong try: the account's budget gets it back (review r49d F8).
    await refundRateLimit(db(), RATE_LIMITS.passwordChangePerUser, owner.id);
    return refuseUnchecked(TOO_MANY_FROM_ADDRESS, 'too many failures from the address');
  }
  const failure = { ...audit, action: 'SECOND_FACTOR_FAILURE', outcome: 'FAILURE', details: purpose } as const;
  const subject = await attemptSubjectOf(owner.kind, owner.id, laneOfSession(actor));
  const reservation = await db().$transaction((tx) => reserveAttempt(tx, subject, { failure, pathway: 'signed-in second factor' }));
  const refuse = async (): Promise<FreshFactor> => {
    await settleWrongSecret(
      reservation,
      {
        ...failure,
        details: reservation.counted ? purpose : { ...purpose, reason: 'account locked' },
      },
      'signed-in second factor',
    );
    return { ok: false, refusal: reservation.counted ? WRONG_FRESH_FACTOR : LOCKED_NOW };
  };
  // A suspended passkey whose key signed rightly is no guess: its attempt, the budget's count and the address's go back.
  const refuseSuspendedPasskey = async (): Promise<FreshFactor> => {
    await settleReservedAttempt(() =>
      db().$transaction(async (tx) => {
        await settleRightSecret(tx, reservation, owner, { rule: RATE_LIMITS.signInFailuresPerAddress, ip }, { onlyThisAttempt: true });
        await refundRateLimit(tx, RATE_LIMITS.passwordChangePerUser, owner.id);
        await recordAudit(tx, { ...failure, details: { ...purpose, reason: PASSKEY_SUSPENDED } });
      }),
    );
    return { ok: false, refusal: SUSPENDED_PASSKEY };
  };
  const used: MatchedFactor = reservation.counted ? await matchSecondFactor(owner, proof, actor.sessionId, await sessionOpenedAt(actor)) : { ok: false };
  if (!used.ok) return used.passkeySuspended ? refuseSuspendedPasskey() : refuse();
  // A recovery code is gone once used, whatever the action then does: on the record (review r44d F1), used up in the
  // transaction that writes it (review r54e F1). Its owner is told when it confirmed an action on another's account; a
  // change to their own factors mails them that change (review r44e F3).
  const contact = used.kind === 'RECOVERY_CODE' && about ? await accountContact(owner) : null;
  const spent = await settleReservedAttempt(() =>
    db().$transaction(async (tx) => {
      // The account before its factors, as every change to them takes them (PostgreSQL deadlocks otherwise: review r54f F1).
      await lockFactorOwner(tx, owner);
      // Another press of the same code spent it first: this one is a wrong code.
      if (!(await spendFactor(tx, used))) return false;
      await markSettled(tx, reservation);
      await clearFailures(tx, owner.kind, owner.id);
      await refundRateLimit(tx, RATE_LIMITS.passwordChangePerUser, owner.id);
      await refundRateLimit(tx, RATE_LIMITS.signInFailuresPerAddress, ip);
      if (used.kind === 'RECOVERY_CODE') {
        await recordAudit(tx, { ...audit, action: 'RECOVERY_CODE_USED', outcome: 'SUCCESS', details: purpose });
        if (contact) await enqueueMail(tx, secondFactorChangedMail(contact, 'recovery code used to confirm it was you', new Date()));
      }
      return true;
    }),
  );
  return spent ? { ok: true, kind: used.kind, factorId: used.factorId } : refuse();
}

/** Which refusals that check nothing get a record: one session's flood of them is sampled (flood-sampler.ts). */
const uncheckedRefusalsToRecord = floodSampler();
