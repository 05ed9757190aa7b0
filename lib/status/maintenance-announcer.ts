import { db } from '@/lib/db/client';
import { announceDueMaintenance } from '@/lib/status/announce-due-maintenance';
import { fanOutStatusAlert } from '@/lib/status/fan-out-alert';

const CHECK_EVERY_MS = 30_000;
const holder = globalThis as { portalMaintenanceAnnouncer?: NodeJS.Timeout };

/**
 * Windows start and end by the clock: each server instance looks every 30 s, so their alerts
 * go out even when nobody polls /api/status. The claim inside is a conditional write: one
 * instance wins each announcement.
 */
export function startMaintenanceAnnouncer(): void {
  if (holder.portalMaintenanceAnnouncer) return;
  holder.portalMaintenanceAnnouncer = setInterval(() => {
    void (async () => {
      try {
        for (const alert of await announceDueMaintenance(db())) await fanOutStatusAlert(db(), alert);
      } catch (error) {
        console.error('maintenance announcer:', error instanceof Error ? error.message : error);
      }
    })();
  }, CHECK_EVERY_MS);
  holder.portalMaintenanceAnnouncer.unref();
}
