import { config } from '@/lib/config';
import { db } from '@/lib/db/client';
import { createConfiguredTransport } from '@/lib/mail/transport';
import { LEASE_MS, startDeliveryLoop } from '@/lib/mail/worker';
import { errorFields, logger } from '@/lib/observability/logger.mjs';

const holder = globalThis as { portalMailWorker?: (abandon?: AbortSignal) => Promise<void>; portalMailRoundAt?: number };

export function startServerMailWorker(): void {
  if (config().MAIL_WORKER === 'off' || holder.portalMailWorker) return;
  const transport = createConfiguredTransport();
  const stop = startDeliveryLoop(db(), transport, {
    intervalMs: config().MAIL_POLL_MS,
    onError: (error) => logger.error({ event: 'mail.delivery_round_failed', ...errorFields(error) }),
    onRound: () => {
      holder.portalMailRoundAt = Date.now();
    },
  });
  holder.portalMailWorker = async (abandon) => {
    await stop(abandon);
    transport.close();
  };
}

/**
 * Finishes the messages being sent, gives back the rest of the batch, and ends the loop. When
 * `abandon` fires first (shutdown's drain time is up), the sends still running are cut off and
 * their messages given back too.
 */
export async function stopServerMailWorker(abandon?: AbortSignal): Promise<void> {
  const stop = holder.portalMailWorker;
  if (!stop) return;
  await stop(abandon);
}

export type MailLoopState = 'ok' | 'off' | 'stalled' | 'not-running';

/**
 * For readiness: a round starts every MAIL_POLL_MS, or at once after a busy one. A round that has
 * not ended within a message lease (a send hanging) is as good as dead: its messages go to others.
 */
export function mailLoopState(now = Date.now()): MailLoopState {
  if (config().MAIL_WORKER === 'off') return 'off';
  if (!holder.portalMailWorker || holder.portalMailRoundAt === undefined) return 'not-running';
  return now - holder.portalMailRoundAt > Math.max(LEASE_MS, config().MAIL_POLL_MS * 3) ? 'stalled' : 'ok';
}
