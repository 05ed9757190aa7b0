import { db } from '@/lib/db/client';
import { isValidSubscriptionToken } from '@/lib/status/subscription-token';

/** Confirms a subscription from the link in the confirmation mail. Idempotent. */
export async function confirmStatusSubscription(subscriberId: string, token: string): Promise<boolean> {
  if (!isValidSubscriptionToken(subscriberId, 'confirm', token)) return false;
  const subscriber = await db().statusSubscriber.findUnique({ where: { id: subscriberId }, select: { confirmedAt: true, unsubscribedAt: true } });
  // A confirm link does not undo a later unsubscribe: subscribing again sends a new one.
  if (!subscriber || subscriber.unsubscribedAt) return false;
  if (!subscriber.confirmedAt) {
    await db().statusSubscriber.updateMany({ where: { id: subscriberId, confirmedAt: null }, data: { confirmedAt: new Date() } });
  }
  return true;
}

/**
 * Stops all alerts to the subscriber. One request does it (the mail's link or the mail program's
 * List-Unsubscribe-Post), and a repeat changes nothing. Returns false only for a bad link.
 */
export async function unsubscribeStatusSubscriber(subscriberId: string, token: string): Promise<boolean> {
  if (!isValidSubscriptionToken(subscriberId, 'unsubscribe', token)) return false;
  await db().statusSubscriber.updateMany({ where: { id: subscriberId, unsubscribedAt: null }, data: { unsubscribedAt: new Date() } });
  return true;
}
