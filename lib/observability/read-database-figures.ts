import { db, type Db } from '@/lib/db/client';
import { countDeadMessages } from '@/lib/mail/dead-letters';
import { provideDatabaseFigures, type DatabaseFigures } from '@/lib/observability/metrics.mjs';
import { getQueueHealth } from '@/lib/super-admin/get-queue-health';

function ageSeconds(since: Date | null | undefined, now: Date): number {
  return since ? Math.max(0, (now.getTime() - since.getTime()) / 1000) : 0;
}

/**
 * What the database gauges show. Counts on indexed columns (status, finishedAt, state); the oldest
 * pending message is looked for among pending ones only, which an outage makes many but never all.
 * The verification queue is counted exactly as operators see it on /vendor.
 */
export async function readDatabaseFigures(database: Db, now = new Date()): Promise<DatabaseFigures> {
  const [outboxPending, outboxDead, oldestPending, alertFanOutsUnfinished, queue] = await Promise.all([
    database.outboxMessage.count({ where: { status: 'PENDING' } }),
    countDeadMessages(database),
    database.outboxMessage.aggregate({ where: { status: 'PENDING' }, _min: { createdAt: true } }),
    database.statusAlertFanOut.count({ where: { finishedAt: null } }),
    getQueueHealth(database, now),
  ]);
  return {
    outboxPending,
    outboxDead,
    outboxOldestPendingAgeSeconds: ageSeconds(oldestPending._min.createdAt, now),
    alertFanOutsUnfinished,
    verificationQueueDepth: queue.depth,
    verificationQueueOldestAgeSeconds: ageSeconds(queue.oldestAt, now),
  };
}

/** Lets the metrics listener read the database gauges from this instance's client. */
export function provideDatabaseGauges(): void {
  provideDatabaseFigures(() => readDatabaseFigures(db()));
}
