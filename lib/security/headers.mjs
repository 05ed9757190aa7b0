// @ts-check
// The headers of the portal's answers, in one place: next.config.js adds them to what Next.js
// renders, server.mjs to what Next.js answers on its own before any of that (the permanent
// redirects of `/reset/<token>/` or `//help`), which would otherwise go out without them, and
// pages-in-memory.mjs to every copy it sends (one started from a file has no render to take them from).

/** Headers every response carries; pages that show secrets add no-store themselves. */
export const SECURITY_HEADERS = Object.freeze({
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  // A page of another site that opened the portal in a window keeps no handle to it: it cannot
  // later send that window to a look-alike page, or on to other links of ours.
  'Cross-Origin-Opener-Policy': 'same-origin',
});

/** Pages whose path is a secret (a single-use link): never sent on as a referrer, never stored. */
export const SECRET_LINK_HEADERS = Object.freeze({
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
});

// Next.js tells shared caches to keep what it prerendered at build time for a year (`s-maxage=31536000`).
// Behind a CDN, a deploy's pages would outlive it by that long: their forms posting to server actions the
// next build does not have (a form sent without JavaScript gets "Server Action unavailable"), their
// scripts asking for chunks it no longer serves. Such a page is the same for everyone, so a cache may
// keep it, but must ask each time (its ETag makes the asking cheap).
/** Next.js's mark on a page it prerendered and never revalidates. */
export const KEPT_FOR_THE_BUILD = 's-maxage=31536000';
const STARTS_KEPT_FOR_THE_BUILD = new RegExp(`^${KEPT_FOR_THE_BUILD}(?:,|$)`);

/** The Cache-Control an answer goes out with, given the one Next.js wrote for it. @param {string} written */
export function cacheControlOnTheWire(written) {
  return STARTS_KEPT_FOR_THE_BUILD.test(written.trim()) ? 'no-cache' : written;
}

export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains';

/**
 * Whether the portal is served over https, as APP_URL says: then its cookies are Secure and `__Host-` named
 * (lib/auth/options.ts, server.mjs, proxy.ts) and every answer carries HSTS. The one place that decides it.
 * @param {string} appUrl
 */
export function servedOverHttps(appUrl) {
  return appUrl.startsWith('https:');
}

/**
 * HSTS only when the portal is served over https: a local http demo must never pin a browser's
 * localhost to https. Decided from the running configuration (proxy.ts for Next.js's answers,
 * server.mjs for its own), not in next.config.js, whose headers() are frozen into the build: a
 * build made with an http APP_URL and started with an https one must still send it.
 * @param {string} appUrl
 */
export function strictTransportSecurity(appUrl) {
  return servedOverHttps(appUrl) ? STRICT_TRANSPORT_SECURITY : null;
}

/**
 * The headers every answer carries under the running configuration: SECURITY_HEADERS, and HSTS when
 * served over https. server.mjs completes every answer with them, pages-in-memory.mjs every copy.
 * @param {string} appUrl
 * @returns {Readonly<Record<string, string>>}
 */
export function securityHeadersFor(appUrl) {
  const hsts = strictTransportSecurity(appUrl);
  return Object.freeze({ ...SECURITY_HEADERS, ...(hsts && { 'Strict-Transport-Security': hsts }) });
}
