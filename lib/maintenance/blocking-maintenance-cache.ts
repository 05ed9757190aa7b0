import { db } from '@/lib/db/client';
import { getBlockingMaintenance } from '@/lib/status/get-status-overview';
import { memoize } from '@/lib/status/memo';
import type { UnavailableWindow } from '@/lib/maintenance/unavailable-page';

/**
 * The proxy asks on every gated request; the answer is kept for at most this long per instance.
 * The state itself lives in the database, so every instance sees an operator's change within it.
 */
export const MAINTENANCE_LOOKUP_TTL_MS = 1000;

const lookup = memoize(MAINTENANCE_LOOKUP_TTL_MS, async (): Promise<UnavailableWindow | null> => {
  const window = await getBlockingMaintenance(db());
  return window && { title: window.title, endsAt: window.endsAt };
});

/** The blocking window in progress, or null; a window whose end has passed is over at once. */
export async function currentBlockingMaintenance(): Promise<UnavailableWindow | null> {
  const window = await lookup();
  return window && window.endsAt.getTime() > Date.now() ? window : null;
}
