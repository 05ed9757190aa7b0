import type { ActionState } from '@/lib/auth/guards';
import type { Actor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';

/**
 * A factor can be added only this soon after the sign-in that opened the session: a factor, a
 * passkey above all (a whole sign-in on its own), is a way in that outlives every session, so a
 * stolen cookie or a screen left unlocked must not be enough to add one. Removing a factor asks
 * for a factor instead (check-fresh-second-factor.ts).
 */
export const ADD_FACTOR_WITHIN_MS = 10 * 60_000;

export const SIGN_IN_AGAIN_TO_ADD: ActionState = {
  ok: false,
  message: 'For your safety, a sign-in method can be added only within 10 minutes of signing in. Sign out, sign in again, then add it.',
};

/** True when the actor's session was opened (by a password, a passkey or a second factor) within ADD_FACTOR_WITHIN_MS. */
export async function signedInRecently(actor: Actor, now = new Date()): Promise<boolean> {
  return openedRecently(await sessionOpenedAt(actor), now);
}

/** True when a session opened at `opened` is within ADD_FACTOR_WITHIN_MS of `now`. */
export function openedRecently(opened: Date, now = new Date()): boolean {
  return now.getTime() - opened.getTime() <= ADD_FACTOR_WITHIN_MS;
}

/**
 * When the actor's session was opened: proof for a change to the factors or the password must come
 * from a factor the account held by then. One added since (by whoever holds the session, a borrowed
 * screen or a stolen cookie) cannot be used to remove the owner's others, replace the recovery codes
 * or set a new password, which would turn a borrowed session into the account.
 */
export async function sessionOpenedAt(actor: Actor): Promise<Date> {
  const session = await db().authSession.findUnique({ where: { id: actor.sessionId }, select: { createdAt: true } });
  // A session with no row is refused before here; the epoch then admits no factor at all.
  return session?.createdAt ?? new Date(0);
}
