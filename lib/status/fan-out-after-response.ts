import { after } from 'next/server';
import { db } from '@/lib/db/client';
import { trackBackgroundWork } from '@/lib/runtime/stop-signal';
import { runStatusAlertFanOuts } from '@/lib/status/fan-out-alert';
import { errorFields, logger } from '@/lib/observability/logger.mjs';

/** How long the fan-out waits for this instance's new copy of /status before it starts anyway. */
const RENDER_FIRST_MS = 5_000;

/**
 * Sends queued alerts on once the response has gone: 10,000 subscribers take seconds to write to
 * the outbox, and neither the operator nor a polling Unavailable page should wait for that. It
 * starts once `rendered` settles, this instance's new copy of the status page: on SQLite the
 * render's reads waited behind the fan-out's writes, and the operator who made the change saw the
 * old page for seconds (review r33c F3). The alert was recorded with the change; if this fails or
 * the instance stops, the maintenance announcer of any instance (every 30 s) picks it up where it stopped.
 */
export function fanOutAfterResponse(rendered: Promise<unknown>): void {
  after(() =>
    trackBackgroundWork(
      (async () => {
        try {
          await settledWithin(rendered, RENDER_FIRST_MS);
          await runStatusAlertFanOuts(db());
        } catch (error) {
          // The announcer of any instance picks it up within 30 s.
          logger.error({ event: 'status.fan_out_failed', ...errorFields(error) });
        }
      })(),
    ),
  );
}

/** Waits for `work` to settle, however it settles, for at most `ms`. */
async function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  await Promise.race([work.then(() => undefined, () => undefined), late]);
  clearTimeout(timer);
}
