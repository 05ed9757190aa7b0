import { db } from '@/lib/db/client';
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
  const subscriber = await db().statusSubscriber.findUnique({ where: { id: link.s }, select: { confirmedAt: true, unsubscribedAt: true, confirmationSentAt: true } });
  // A confirm link does not undo a later unsubscribe: subscribing again sends a new one, and only the
  // newest link confirms (one from before an unsubscribe confirmed the next subscription, review r25b).
  if (!subscriber || subscriber.unsubscribedAt) return 'invalid';
  if (Number(link.e) < Math.floor(subscriber.confirmationSentAt.getTime() / 1000)) return 'invalid';
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
