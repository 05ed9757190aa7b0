import type { UnavailableWindow } from '@/lib/maintenance/unavailable-page';
import { formatUtc } from '@/lib/status/severity';

/**
 * Which requests the maintenance mode turns away while a window that blocks sign-in is in
 * progress: sign-in and the app (pages, their server actions, their APIs). Everything people
 * need to find out what is going on stays up: home, the guide, the status page and its API,
 * the health check, the vendor workspace (an operator must be able to sign in and end the
 * window), signing out (`/sign-out`), and static assets.
 */
export type GateAnswer = 'pass' | 'unavailable-page' | 'unavailable-json';

// A reset link sets an agency account's password as /change-password does (review r33c F1).
const BLOCKED_PAGES = ['/login', '/account', '/change-password', '/admin', '/reset'];
// Probes stay up: a 503 from them would take every instance out of rotation, or restart it.
const OPEN_API = ['/api/health', '/api/live', '/api/ready', '/api/status'];

function within(pathname: string, prefix: string): boolean {
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

const CLOSED_PUBLIC_ACTIONS = new Set(['sign-in', 'passkey-sign-in', 'passkey-sign-in-options', 'reset-with-link']);

/**
 * The same rule for server actions, which the path cannot decide: an action is chosen by its id,
 * and every page that imports an action's module serves it at its own path (the vendor pages once
 * served agency sign-in so). The kit asks here, wherever the action was posted: every action of an
 * agency session is closed, agency sign-in by password or passkey, and a reset link's new password.
 */
export function actionClosedDuringMaintenance(name: string, principal: 'public' | 'agency' | 'vendor'): boolean {
  return principal === 'agency' || CLOSED_PUBLIC_ACTIONS.has(name);
}

/** What a closed action answers: the page's own form shows it, and nothing was done. */
export function closedForMaintenanceMessage(window: UnavailableWindow): string {
  return `CareNotes is unavailable for planned maintenance until ${formatUtc(window.endsAt)}. Nothing was changed. The status page says more.`;
}

/**
 * `actionCall`: a server action called with JavaScript (the Next-Action header). It passes on to the
 * kit, which closes it by the rule above and answers in words the page's form shows; a page of HTML
 * here is nothing the calling page can read, and it showed a generic error instead of the window's end.
 */
export function gateDuringMaintenance(pathname: string, actionCall = false): GateAnswer {
  if (pathname.startsWith('/api/')) return OPEN_API.some((p) => within(pathname, p)) ? 'pass' : 'unavailable-json';
  return !actionCall && BLOCKED_PAGES.some((p) => within(pathname, p)) ? 'unavailable-page' : 'pass';
}
