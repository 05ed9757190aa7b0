import { config } from '@/lib/config';
import { db } from '@/lib/db/client';
import { createConfiguredTransport } from '@/lib/mail/transport';
import { startDeliveryLoop } from '@/lib/mail/worker';
import { errorFields, logger } from '@/lib/observability/logger.mjs';

const holder = globalThis as { portalMailWorker?: () => Promise<void> };

export function startServerMailWorker(): void {
  if (config().MAIL_WORKER === 'off' || holder.portalMailWorker) return;
  holder.portalMailWorker = startDeliveryLoop(db(), createConfiguredTransport(), {
    intervalMs: config().MAIL_POLL_MS,
    onError: (error) => logger.error({ event: 'mail.delivery_round_failed', ...errorFields(error) }),
  });
}
