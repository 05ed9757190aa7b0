import { db } from '@/lib/db/client';
import { announceDueMaintenance } from '@/lib/status/announce-due-maintenance';
import { runStatusAlertFanOuts } from '@/lib/status/fan-out-alert';
import { alertQueueHealth } from '@/lib/super-admin/alert-queue-health';

const CHECK_EVERY_MS = 30_000;
const holder = globalThis as { portalMaintenanceAnnouncer?: NodeJS.Timeout };

/**
 * Windows start and end by the clock: each server instance looks every 30 s, so their alerts
 * go out even when nobody polls /api/status. The claim inside is a conditional write: one
 * instance wins each announcement. The same round finishes any alert fan-out an instance left
 * mid-way, and tells operators when the verification queue is too deep or too old.
 */
export function startMaintenanceAnnouncer(): void {
  if (holder.portalMaintenanceAnnouncer) return;
  holder.portalMaintenanceAnnouncer = setInterval(() => {
    void (async () => {
      try {
        await announceDueMaintenance(db());
        await runStatusAlertFanOuts(db());
      } catch (error) {
        console.error('maintenance announcer:', error instanceof Error ? error.message : error);
      }
      try {
        await alertQueueHealth(db());
      } catch (error) {
        console.error('verification queue alert:', error instanceof Error ? error.message : error);
      }
    })();
  }, CHECK_EVERY_MS);
  holder.portalMaintenanceAnnouncer.unref();
}
