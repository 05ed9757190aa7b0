import { config } from '@/lib/config';
import { db } from '@/lib/db/client';
import { createConfiguredTransport } from '@/lib/mail/transport';
import { startDeliveryLoop } from '@/lib/mail/worker';

const holder = globalThis as { portalMailWorker?: () => Promise<void> };

export function startServerMailWorker(): void {
  if (config().MAIL_WORKER === 'off' || holder.portalMailWorker) return;
  holder.portalMailWorker = startDeliveryLoop(db(), createConfiguredTransport(), {
    intervalMs: config().MAIL_POLL_MS,
    onError: (error) => console.error('mail worker: delivery round failed:', error instanceof Error ? error.message : error),
  });
}
