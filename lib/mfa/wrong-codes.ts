import type { Db, Tx } from '@/lib/db/client';
import type { MfaOwner } from '@/lib/mfa/policy';
import { checkRateLimit, forgetRateLimit, RATE_LIMITS } from '@/lib/rate-limit/rate-limit';

// An account's budget of wrong second-factor codes (RATE_LIMITS.wrongCodesPerAccount): spent, it stops
// the sign-in at the code like a lock, so an administrator's unlock clears it and the console shows it.

/** The subject the account's wrong codes are counted under. */
export const wrongCodesSubject = (owner: MfaOwner) => `${owner.kind}:${owner.id}`;

/** Until when the account's wrong codes stop its sign-ins, or null when they don't. */
export async function wrongCodesStopUntil(database: Db, owner: MfaOwner, now = new Date()): Promise<Date | null> {
  const state = await checkRateLimit(database, RATE_LIMITS.wrongCodesPerAccount, wrongCodesSubject(owner));
  return state.limited ? new Date(now.getTime() + state.retryAfterSeconds * 1000) : null;
}

/** Forgets the account's wrong codes (an unlock). */
export async function forgetWrongCodes(tx: Tx | Db, owner: MfaOwner): Promise<void> {
  await forgetRateLimit(tx, RATE_LIMITS.wrongCodesPerAccount, wrongCodesSubject(owner));
}
