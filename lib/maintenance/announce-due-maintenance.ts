import { recordAudit } from '@/lib/audit/record';
import type { Db } from '@/lib/db/client';
import { queueStatusAlert } from '@/lib/status/fan-out-alert';
import { maintenanceAlertEvent } from '@/lib/maintenance/maintenance-event';

/**
 * Windows start and end by the clock as well as by an operator's hand. This notices the ones
 * whose start or end has passed unannounced, marks them (`startedAt`, `endedAt`) with a
 * conditional write so that exactly one caller on one instance wins. Safe to call often and from
 * anywhere; each announcement queues its alert in the same transaction. Returns how many it made.
 */
export async function announceDueMaintenance(database: Db, now = new Date()): Promise<number> {
  const due = await database.maintenanceWindow.findMany({
    where: {
      cancelledAt: null,
      endedAt: null,
      OR: [{ startedAt: null, startsAt: { lte: now } }, { endsAt: { lte: now } }],
    },
    select: { id: true, endsAt: true },
    take: 20,
  });
  let announced = 0;
  for (const window of due) {
    const ended = window.endsAt <= now;
    const won = await database.$transaction(async (tx) => {
      const claim = ended
        ? // Still due to end: an operator's extension that landed since the read above wins.
          await tx.maintenanceWindow.updateMany({ where: { id: window.id, endedAt: null, cancelledAt: null, endsAt: { lte: now } }, data: { endedAt: window.endsAt } })
        : await tx.maintenanceWindow.updateMany({ where: { id: window.id, startedAt: null, endedAt: null, cancelledAt: null }, data: { startedAt: now } });
      if (claim.count === 0) return false;
      await recordAudit(tx, {
        actorType: 'SYSTEM',
        action: ended ? 'STATUS_MAINTENANCE_ENDED' : 'STATUS_MAINTENANCE_STARTED',
        targetType: 'MaintenanceWindow',
        targetId: window.id,
        outcome: 'SUCCESS',
        details: { bySchedule: true },
      });
      await queueStatusAlert(tx, await maintenanceAlertEvent(tx, window.id, ended ? 'maintenance-ended' : 'maintenance-started'));
      return true;
    });
    if (won) announced += 1;
  }
  return announced;
}
