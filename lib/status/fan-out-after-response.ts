import { after } from 'next/server';
import { db } from '@/lib/db/client';
import { trackBackgroundWork } from '@/lib/runtime/stop-signal';
import { runStatusAlertFanOuts } from '@/lib/status/fan-out-alert';
import { errorFields, logger } from '@/lib/observability/logger.mjs';

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
          // The announcer of any instance picks it up within 30 s.
          logger.error({ event: 'status.fan_out_failed', ...errorFields(error) });
        }
      })(),
    ),
  );
}
