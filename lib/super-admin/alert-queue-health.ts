import { recordAudit } from '@/lib/audit/record';
import type { Db } from '@/lib/db/client';
import { isUniqueClash } from '@/lib/db/unique-clash';
import { enqueueMailBatch } from '@/lib/mail/outbox';
import { superAdminQueueAlertMail } from '@/lib/mail/templates/super-admin-queue-alert';
import { getQueueHealth } from './get-queue-health';

/** At most one alert round per this interval, however many instances run the check. */
export const QUEUE_ALERT_EVERY_MS = 6 * 3600_000;
const ALERT_ROW = 'verification-queue';

/**
 * Mails every active operator when the queue passes a threshold, at most once per
 * QUEUE_ALERT_EVERY_MS. Run by each instance's 30 s round; the claim on the one alert row is a
 * conditional write (or its creation, guarded by the primary key), so with many instances exactly
 * one queues the round. Returns how many mails it queued.
 */
export async function alertQueueHealth(database: Db, now = new Date()): Promise<number> {
  const health = await getQueueHealth(database, now);
  if (health.reasons.length === 0) return 0;
  const operators = await database.vendorAccount.findMany({ where: { role: 'OPERATOR', active: true }, select: { email: true } });
  try {
    return await database.$transaction(async (tx) => {
      const mark = { lastAlertAt: now, depth: health.depth, oldestAt: health.oldestAt };
      const claimed = await tx.superAdminQueueAlert.updateMany({
        where: { id: ALERT_ROW, lastAlertAt: { lte: new Date(now.getTime() - QUEUE_ALERT_EVERY_MS) } },
        data: mark,
      });
      if (claimed.count === 0) {
        if (await tx.superAdminQueueAlert.findUnique({ where: { id: ALERT_ROW }, select: { id: true } })) return 0;
        await tx.superAdminQueueAlert.create({ data: { id: ALERT_ROW, ...mark }, select: { id: true } });
      }
      await recordAudit(tx, {
        actorType: 'SYSTEM',
        action: 'SUPER_ADMIN_QUEUE_ALERTED',
        outcome: 'SUCCESS',
        details: { depth: health.depth, oldestAt: health.oldestAt?.toISOString() ?? null, operators: operators.length },
      });
      return enqueueMailBatch(
        tx,
        operators.map((operator) =>
          superAdminQueueAlertMail({
            to: operator.email,
            depth: health.depth,
            oldestWaited: health.oldestWaited,
            reasons: health.reasons,
            everyHours: QUEUE_ALERT_EVERY_MS / 3600_000,
          }),
        ),
      );
    });
  } catch (error) {
    // Another instance created the row first: its round is this round.
    if (isUniqueClash(error)) return 0;
    throw error;
  }
}
