import type { Db, Tx } from '@/lib/db/client';
import type { MfaOwner } from '@/lib/mfa/policy';
import { forgetRateLimit, RATE_LIMITS } from '@/lib/rate-limit/rate-limit';

// An account's budget of wrong second-factor codes (RATE_LIMITS.wrongCodesPerAccount). Spent, it locks
// the account until its hour is over (lib/mfa/verify-sign-in-second-factor.ts), so whatever ends a lock
// (an administrator's unlock, a temporary password, a reset link, vendor:unlock) forgets it too: the
// next wrong code would otherwise lock the account again at once.

/** The subject the account's wrong codes are counted under. */
export const wrongCodesSubject = (owner: MfaOwner) => `${owner.kind}:${owner.id}`;

/** Forgets the account's wrong codes, with the lock they set. */
export async function forgetWrongCodes(tx: Tx | Db, owner: MfaOwner): Promise<void> {
  await forgetRateLimit(tx, RATE_LIMITS.wrongCodesPerAccount, wrongCodesSubject(owner));
}
