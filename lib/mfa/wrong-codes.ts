import type { Lane } from '@/lib/auth/lockout';
import type { Db, Tx } from '@/lib/db/client';
import type { MfaOwner } from '@/lib/mfa/policy';
import { forgetRateLimit, RATE_LIMITS } from '@/lib/rate-limit/rate-limit';

// An account's budgets: of wrong second-factor codes, and of sign-ins (forgetAccountBudgets lists them all).
// The budget of wrong codes (RATE_LIMITS.wrongCodesPerAccount), spent, locks
// the account until its hour is over (lib/mfa/verify-sign-in-second-factor.ts), so whatever ends a lock
// (an administrator's unlock, a temporary password, a reset link, vendor:unlock) forgets it too: the
// next wrong code would otherwise lock the account again at once.
//
// Each lane of the lockout (decision 065) has a budget of its own, and spent, it locks that lane only:
// strangers who hold the password and spend theirs lock out strangers, never the owner's usual browsers,
// whose wrong codes meet a budget of their own (a stolen known-device token is no way around it).

/** The subject the account's budgets on `lane` are counted under (forgetAccountBudgets lists them). */
export const accountBudgetSubject = (owner: MfaOwner, lane: Lane) => (lane === 'anyone' ? `${owner.kind}:${owner.id}` : `${owner.kind}:${owner.id}:${lane}`);

/**
 * Forgets the account's budgets, in one statement: its wrong codes on both lanes, with the locks they set; the code
 * steps its password opened (RATE_LIMITS.codeStepsPerAccount, counted on the same subjects); with `knownBrowserTries`,
 * the tries of its known browsers past their address's limit (signInAttemptsPerKnownAccount, on the first). Whatever
 * ends a lock ends these: a reset after a leaked password or token was spun on must not leave its owner, at the
 * browser the reset was made from, waiting out the thief's quarter hour (review r54g F1). The known browsers' tries
 * only by an administrator's or operator's unlock or reset, or a reset link: a right secret's transaction gives
 * the address's count back after this, and the address's turn takes the address's row before that budget's
 * (PostgreSQL deadlocks when two transactions take two rows in opposite orders).
 */
export async function forgetAccountBudgets(tx: Tx | Db, owner: MfaOwner, { knownBrowserTries = false } = {}): Promise<void> {
  const rules = [RATE_LIMITS.wrongCodesPerAccount, RATE_LIMITS.codeStepsPerAccount, ...(knownBrowserTries ? [RATE_LIMITS.signInAttemptsPerKnownAccount] : [])];
  await forgetRateLimit(tx, rules, accountBudgetSubject(owner, 'anyone'), accountBudgetSubject(owner, 'knownDevice'));
}
