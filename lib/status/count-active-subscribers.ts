import { db, type Db } from '@/lib/db/client';

/** How many addresses get alerts. Operators see this number, never an address. */
export function countActiveSubscribers(database: Db = db()): Promise<number> {
  return database.statusSubscriber.count({ where: { confirmedAt: { not: null }, unsubscribedAt: null } });
}
