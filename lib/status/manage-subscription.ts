import { db } from '@/lib/db/client';
import { RATE_LIMITS, checkRateLimit, consumeRateLimit } from '@/lib/rate-limit/rate-limit';
import { removeExpiredSubscriptions } from '@/lib/status/remove-expired-subscriptions';
import { checkConfirmLink, isValidUnsubscribeToken, type ConfirmLink } from '@/lib/status/subscription-token';

export type ConfirmOutcome = 'confirmed' | 'expired' | 'invalid';

/**
 * Confirms a subscription from the link in the confirmation mail. Idempotent. An expired link
 * removes its row if nothing newer was asked for since (the periodic round removes the rest).
 */
export async function confirmStatusSubscription(link: ConfirmLink, now = new Date()): Promise<ConfirmOutcome> {
  const check = checkConfirmLink(link, now);
  if (check === 'invalid') return 'invalid';
  if (check === 'expired') {
    await removeExpiredSubscriptions(db(), now, link.s);
    return 'expired';
  }
  const subscriber = await db().statusSubscriber.findUnique({ where: { id: link.s }, select: { confirmedAt: true, unsubscribedAt: true } });
  // A confirm link does not undo a later unsubscribe: subscribing again sends a new one.
  if (!subscriber || subscriber.unsubscribedAt) return 'invalid';
  if (!subscriber.confirmedAt) {
    await db().statusSubscriber.updateMany({ where: { id: link.s, confirmedAt: null }, data: { confirmedAt: now } });
  }
  return 'confirmed';
}

/**
 * Stops all alerts to the subscriber: the button on the unsubscribe page, or the mail program's
 * List-Unsubscribe-Post (RFC 8058). A repeat changes nothing. Returns false only for a bad link.
 */
export async function unsubscribeStatusSubscriber(subscriberId: string, token: string): Promise<boolean> {
  if (!isValidUnsubscribeToken(subscriberId, token)) return false;
  await db().statusSubscriber.updateMany({ where: { id: subscriberId, unsubscribedAt: null }, data: { unsubscribedAt: new Date() } });
  return true;
}

/**
 * The mail program's RFC 8058 one-click POST. A big mail provider POSTs for many subscribers from a
 * few addresses, so only wrong links count, on a limit of their own (any site can make a browser
 * POST here: it must not spend the secret-link pages' tries); over it, the answer is the wrong link's (false).
 */
export async function unsubscribeWithOneClick(subscriberId: string, token: string, ip: string): Promise<boolean> {
  if ((await checkRateLimit(db(), RATE_LIMITS.oneClickUnsubscribePerAddress, ip)).limited) return false;
  if (await unsubscribeStatusSubscriber(subscriberId, token)) return true;
  await consumeRateLimit(db(), RATE_LIMITS.oneClickUnsubscribePerAddress, ip);
  return false;
}
