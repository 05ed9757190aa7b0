import { createHash } from 'node:crypto';
import { db } from '@/lib/db/client';
import { inboxDomain, inboxKey, LARGE_PROVIDER_DOMAINS } from '@/lib/mail/mailbox';
import { logger } from '@/lib/observability/logger.mjs';
import { consumeMailBudget, consumeRateLimit, MAIL_BUDGETS, RATE_LIMITS } from '@/lib/rate-limit/rate-limit';

/** An inbox or a domain is hashed in the limiter's key: the table must not hold it readable. */
const limiterSubject = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/**
 * Whether a confirmation may be mailed to this address key (addressKey), counting it against each budget in turn,
 * each counting only what the ones before let through: its inbox's ("ann+1@x" and "ann+2@x", or Gmail's "a.nn@"
 * and "ann@", reach one inbox and share it), its domain's (at a catch-all, "ann-1@", "ann-2@"… reach one inbox
 * under as many keys as anyone likes), and the ceiling on all of them (many client addresses, many domains; review
 * r55d F2). Past one the caller answers as always and mails nothing. Operators hear of a domain's or the ceiling's
 * refusals once per window (`status.confirmations_held_back`, warn); an inbox's are one person's business.
 */
export async function spendConfirmationBudgets(emailKey: string): Promise<boolean> {
  if ((await consumeMailBudget(db(), MAIL_BUDGETS.statusSubscribePerEmail, limiterSubject(inboxKey(emailKey)))).limited) return false;

  const domain = inboxDomain(emailKey);
  const domainBudget = LARGE_PROVIDER_DOMAINS.has(domain) ? MAIL_BUDGETS.statusSubscribePerLargeProvider : MAIL_BUDGETS.statusSubscribePerDomain;
  const byDomain = await consumeMailBudget(db(), domainBudget, limiterSubject(domain));
  if (byDomain.limited) {
    // The domain, never an address: operators tell a flood at a stranger's domain from a real agency's sign-ups.
    if (byDomain.firstRefusal) logger.warn({ event: 'status.confirmations_held_back', limit: byDomain.rule.name, domain });
    return false;
  }

  const overall = await consumeRateLimit(db(), RATE_LIMITS.statusSubscribeAll, 'all');
  if (overall.limited) {
    if (overall.firstRefusal) logger.warn({ event: 'status.confirmations_held_back', limit: RATE_LIMITS.statusSubscribeAll.name });
    return false;
  }
  return true;
}
