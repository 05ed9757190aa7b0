/**
 * Which requests the maintenance mode turns away while a window that blocks sign-in is in
 * progress: sign-in and the app (pages, their server actions, their APIs). Everything people
 * need to find out what is going on stays up: home, the guide, the status page and its API,
 * the health check, the vendor workspace (an operator must be able to sign in and end the
 * window), and static assets.
 */
export type GateAnswer = 'pass' | 'unavailable-page' | 'unavailable-json';

const BLOCKED_PAGES = ['/login', '/account', '/change-password', '/admin'];
// Probes stay up: a 503 from them would take every instance out of rotation, or restart it.
const OPEN_API = ['/api/health', '/api/live', '/api/ready', '/api/status'];

function within(pathname: string, prefix: string): boolean {
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

export function gateDuringMaintenance(pathname: string): GateAnswer {
  if (pathname.startsWith('/api/')) return OPEN_API.some((p) => within(pathname, p)) ? 'pass' : 'unavailable-json';
  return BLOCKED_PAGES.some((p) => within(pathname, p)) ? 'unavailable-page' : 'pass';
}
