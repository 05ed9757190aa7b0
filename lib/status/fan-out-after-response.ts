import { after } from 'next/server';
import { db } from '@/lib/db/client';
import type { StatusAlertEvent } from '@/lib/mail/templates/status-alert';
import { fanOutStatusAlert } from '@/lib/status/fan-out-alert';

/**
 * Queues the alerts once the response has gone: 10,000 subscribers take seconds to write to the
 * outbox, and neither the operator nor a polling Unavailable page should wait for that. The
 * change itself is already committed; a failure here is logged (the alerts are then lost, as
 * they would be if the instance stopped mid-way).
 */
export function fanOutAfterResponse(alerts: StatusAlertEvent[]): void {
  if (alerts.length === 0) return;
  after(async () => {
    for (const alert of alerts) {
      try {
        await fanOutStatusAlert(db(), alert);
      } catch (error) {
        console.error(`status alert fan-out failed (${alert.kind} "${alert.title}")`, error);
      }
    }
  });
}
