import { recordAuditAlone, type AuditInput } from '@/lib/audit/record';
import { db } from '@/lib/db/client';
import { RATE_LIMITS, consumeRateLimit } from '@/lib/rate-limit/rate-limit';

/**
 * A wrong link submitted to a page reached by a stored secret link (the reset link, the "this wasn't me"
 * cancel link): counted against its client address, and audited while the address is within its budget
 * (`tokenPagePerAddress`). Past the budget the page still answers exactly as for any wrong link, but
 * nothing is audited: a flood must not become a flood of serialized audit appends.
 *
 * Only a wrong link is counted, and only once the token has been looked up: a right link always
 * proceeds, whatever its address did. A budget checked before the token (tokenPageThrottled, until
 * session 44) let 31 junk posts from an address the owner shares (an office NAT, an IPv6 /64) turn
 * the owner's live link away for 15 minutes, and it protected nothing: the tokens are 256-bit random
 * values, and opening a page, never counted, already tells a right token from a wrong one (decision
 * 027, review r44c F1). A right link's refusals that are no guess (a new password the policy refuses)
 * are not counted either. The status pages' HMAC links count nothing: a wrong one costs a keyed hash
 * and writes nothing.
 */
export async function recordWrongLink(ip: string, audit: Omit<AuditInput, 'ip'>): Promise<void> {
  if ((await consumeRateLimit(db(), RATE_LIMITS.tokenPagePerAddress, ip)).limited) return;
  await recordAuditAlone(db(), { ...audit, ip });
}
