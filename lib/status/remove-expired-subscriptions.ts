import type { Db } from '@/lib/db/client';
import { CONFIRM_LINK_LIFETIME_MS } from '@/lib/status/confirm-link-lifetime';

/**
 * Removes subscriptions nobody confirmed within the link's lifetime (all of them, or the one
 * given). The condition is part of the delete: a row whose owner asked again meanwhile, or
 * confirmed, stays. Confirmed and unsubscribed rows are not touched here.
 */
export async function removeExpiredSubscriptions(database: Db, now = new Date(), subscriberId?: string): Promise<number> {
  const removed = await database.statusSubscriber.deleteMany({
    where: {
      ...(subscriberId ? { id: subscriberId } : {}),
      confirmedAt: null,
      confirmationSentAt: { lte: new Date(now.getTime() - CONFIRM_LINK_LIFETIME_MS) },
    },
  });
  return removed.count;
}
