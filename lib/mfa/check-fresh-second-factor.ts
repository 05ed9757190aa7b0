import { recordAuditAlone } from '@/lib/audit/record';
import type { Actor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { auditSubject, ownerOf } from '@/lib/mfa/account';
import { consumeSecondFactor, type UsedFactor } from '@/lib/mfa/consume-second-factor';
import { consumeRateLimit, RATE_LIMITS } from '@/lib/rate-limit/rate-limit';

/**
 * Changes to the factors themselves ask for a code now, not only the session's sign-in, so a
 * borrowed unlocked screen cannot swap the factors. Guesses share the password-change budget.
 */
export async function checkFreshSecondFactor(actor: Actor, code: string, ip: string, what: string): Promise<UsedFactor> {
  const key = actor.kind === 'agency' ? actor.userId : actor.vendorAccountId;
  if ((await consumeRateLimit(db(), RATE_LIMITS.passwordChangePerUser, key)).limited) return { ok: false };
  const used = await consumeSecondFactor(ownerOf(actor), code);
  if (!used.ok) {
    await recordAuditAlone(db(), { ...auditSubject(actor, ip), action: 'SECOND_FACTOR_FAILURE', outcome: 'FAILURE', details: { for: what } });
  }
  return used;
}
