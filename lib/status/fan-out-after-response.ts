import { after } from 'next/server';
import { db } from '@/lib/db/client';
import { trackBackgroundWork } from '@/lib/runtime/stop-signal';
import { runStatusAlertFanOuts } from '@/lib/status/fan-out-alert';

/**
 * Sends queued alerts on once the response has gone: 10,000 subscribers take seconds to write to
 * the outbox, and neither the operator nor a polling Unavailable page should wait for that. The
 * alert was recorded with the change; if this fails or the instance stops, the maintenance
 * announcer of any instance (every 30 s) picks it up where it stopped.
 */
export function fanOutAfterResponse(): void {
  after(() =>
    trackBackgroundWork(
      (async () => {
        try {
          await runStatusAlertFanOuts(db());
        } catch (error) {
          console.error('status alert fan-out failed; the announcer will retry:', error instanceof Error ? error.message : error);
        }
      })(),
    ),
  );
}
