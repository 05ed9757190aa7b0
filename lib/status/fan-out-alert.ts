import type { Db } from '@/lib/db/client';
import { enqueueMailBatch } from '@/lib/mail/outbox';
import { statusAlertContent, statusAlertMail, type StatusAlertEvent } from '@/lib/mail/templates/status-alert';
import { subscriptionPath } from '@/lib/status/subscription-token';

/** Subscribers written to the outbox per transaction: short transactions, bounded memory. */
export const FAN_OUT_BATCH_SIZE = 500;

/**
 * Queues one copy of the alert for every confirmed, not-unsubscribed subscriber. Runs after the
 * change it announces has committed, in batches of FAN_OUT_BATCH_SIZE (one transaction each),
 * walking subscribers by id so that sign-ups during the fan-out neither shift nor repeat a page.
 * Returns how many messages were queued.
 */
export async function fanOutStatusAlert(database: Db, event: StatusAlertEvent): Promise<number> {
  const content = statusAlertContent(event);
  let after: string | undefined;
  let queued = 0;
  for (;;) {
    const subscribers = await database.statusSubscriber.findMany({
      where: { confirmedAt: { not: null }, unsubscribedAt: null, ...(after ? { id: { gt: after } } : {}) },
      orderBy: { id: 'asc' },
      take: FAN_OUT_BATCH_SIZE,
      select: { id: true, email: true },
    });
    if (subscribers.length === 0) break;
    after = subscribers[subscribers.length - 1]!.id;
    const messages = subscribers.map((s) => statusAlertMail(s.email, content, subscriptionPath(s.id, 'unsubscribe')));
    queued += await database.$transaction((tx) => enqueueMailBatch(tx, messages));
    if (subscribers.length < FAN_OUT_BATCH_SIZE) break;
  }
  return queued;
}
