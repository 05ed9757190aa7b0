import { config } from '@/lib/config';
import { db } from '@/lib/db/client';
import { createConfiguredTransport } from '@/lib/mail/transport';
import { LEASE_MS, startDeliveryLoop } from '@/lib/mail/worker';
import { errorFields, logger } from '@/lib/observability/logger.mjs';

const holder = globalThis as { portalMailWorker?: () => Promise<void>; portalMailRoundAt?: number };

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
  holder.portalMailWorker = async () => {
    await stop();
    transport.close();
  };
}

/** Finishes the messages being sent, gives back the rest of the batch, and ends the loop. */
export async function stopServerMailWorker(): Promise<void> {
  const stop = holder.portalMailWorker;
  if (!stop) return;
  await stop();
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
