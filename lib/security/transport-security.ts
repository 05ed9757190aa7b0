export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains';

/**
 * HSTS only when the portal is served over https: a local http demo must never pin a browser's
 * localhost to https. Decided per request from the running configuration (proxy.ts), not in
 * next.config.js, whose headers() are frozen into the build: a build made with an http APP_URL
 * and started with an https one must still send it.
 */
export function strictTransportSecurity(appUrl: string): string | null {
  return appUrl.startsWith('https:') ? STRICT_TRANSPORT_SECURITY : null;
}
