/**
 * Pages opened from a secret link in a mail: the secret is in their path or query, and every GET
 * counts on the address's tries (lib/rate-limit/token-pages.ts) before the secret is looked at.
 */
const SECRET_LINK_PAGES: readonly RegExp[] = [/^\/reset\/[^/]+$/, /^\/super-admin-reset\/cancel\/[^/]+$/, /^\/status\/subscribe\/confirm$/, /^\/status\/stop-alerts$/];

export function isSecretLinkPage(pathname: string): boolean {
  return SECRET_LINK_PAGES.some((page) => page.test(pathname));
}

type HeaderBag = Pick<Headers, 'get'>;

/**
 * Whether a browser fetches the page for another site's page (Fetch Metadata): an image, a frame, a
 * prefetch or a script's fetch, not a person following the link. Another site could otherwise spend
 * a visitor's tries on such pages with a few hidden images, and the real link in the mail would then
 * answer as a dead one. A request without these headers is not from a browser: it spends its own tries.
 */
export function isEmbeddedByAnotherSite(headers: HeaderBag): boolean {
  const site = headers.get('sec-fetch-site');
  if (site === null || site === 'same-origin' || site === 'none') return false;
  return headers.get('sec-fetch-mode') !== 'navigate' || headers.get('sec-fetch-dest') !== 'document';
}
