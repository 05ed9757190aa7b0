import { db } from '@/lib/db/client';
import { livePageChanged } from '@/lib/runtime/live-page-changed';
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

// The last answer the database gave this instance; undefined until the first.
let lastKnown: UnavailableWindow | null | undefined;

const sameWindow = (a: UnavailableWindow | null, b: UnavailableWindow | null) =>
  a === b || (a !== null && b !== null && a.title === b.title && a.endsAt.getTime() === b.endsAt.getTime());

/**
 * The blocking window in progress, or null; a window whose end has passed is over at once. When the
 * database cannot be asked, a window this instance knew of holds until its end: the gate failed open
 * there, and served the sign-in form mid-window (review r33c F2).
 */
export async function currentBlockingMaintenance(): Promise<UnavailableWindow | null> {
  let window: UnavailableWindow | null;
  try {
    window = await lookup();
    // The sign-in page's copy in memory shows the state before: once this instance answers by the new
    // one, that copy is set aside at once, not when the version poll sees the change (CI's e2e got the
    // form just after a 503). Before this instance's first answer (at start, the database perhaps away) the
    // proxy let every page through: a window then is a change too (review r47a F2).
    if (lastKnown === undefined ? window !== null : !sameWindow(lastKnown, window)) void livePageChanged('/login');
    lastKnown = window;
  } catch (error) {
    if (!lastKnown || lastKnown.endsAt.getTime() <= Date.now()) throw error;
    window = lastKnown;
  }
  return window && window.endsAt.getTime() > Date.now() ? window : null;
}
