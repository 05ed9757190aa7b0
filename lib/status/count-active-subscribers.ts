import { db, type Db } from '@/lib/db/client';

/** Who gets alerts: a confirmed address, not unsubscribed since (the fan-out; the outbox worker says it again before sending). */
export const ACTIVE_SUBSCRIBER = { confirmedAt: { not: null }, unsubscribedAt: null };

/** How many addresses get alerts. Operators see this number, never an address. */
export function countActiveSubscribers(database: Db = db()): Promise<number> {
  return database.statusSubscriber.count({ where: ACTIVE_SUBSCRIBER });
}
