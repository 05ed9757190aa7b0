import { SENT_PATH_HEADER } from '@/lib/http/request-context';

/** Methods that never change state: the only ones a cross-site page may send us. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

type HeaderBag = Pick<Headers, 'get'>;

/**
 * Whether a state-changing request comes from our own pages. Browsers send `Origin` on every
 * POST; where a client leaves it out, `Sec-Fetch-Site: same-origin` must vouch for it instead.
 * So too where it says `null`: a form posted without JavaScript from a page whose referrer policy
 * is `no-referrer` (the secret-link pages) carries `Origin: null`, and so does one from a sandboxed
 * frame, which the browser marks `cross-site`. A request with neither (curl, a scripted attacker,
 * an old proxy) is refused: a password portal's forms are only ever sent from its own pages.
 * Where a browser sends `Sec-Fetch-Site`, it has the last word: a form or fetch of our own pages
 * says `same-origin`, and anything else (our `Origin` beside `cross-site`, a pair no browser sends)
 * is not ours (review r55b I1).
 */
export function isSameOriginRequest(headers: HeaderBag, appOrigin: string): boolean {
  const site = headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin') return false;
  const origin = headers.get('origin');
  if (origin !== null && origin !== 'null') return origin === appOrigin;
  return site === 'same-origin';
}

/**
 * Whether the browser says another site sent it here: a link, a form or a script on another site
 * (`cross-site`), or on a sibling of ours (`same-site`). A typed address or a bookmark says `none`.
 * A browser that sends no `Sec-Fetch-Site` (older ones) is judged by its `Referer`, when it names
 * another origin: best effort, as another site can have such a browser send none, which reads as a
 * typed address. Even a GET of a signed-in person's route does something in their name (an export
 * is audited): it answers only to the portal's own pages and to the person themselves.
 */
export function isSentByAnotherSite(headers: HeaderBag, appOrigin: string): boolean {
  const site = headers.get('sec-fetch-site');
  // Only the two values that say "not sent by another site" pass: any other spelling (`Cross-Site`, a list) is no browser's
  // and is refused, not read as ours (review r42a I1).
  if (site !== null) return site !== 'same-origin' && site !== 'none';
  const referer = headers.get('referer');
  return referer !== null && originOf(referer) !== appOrigin;
}

/**
 * Whether the browser asks for the address as a part of another page (an image, a script, a style, a
 * frame…), not as a page to show (`document`) nor for a script to read (`empty`: the router, a server
 * action, a `fetch`). Our pages never load a signed-in page so, and none may be framed: such a request is
 * some page's `<img src>` aimed at the portal, answered as to nobody (review r55b F2). Browsers without
 * Fetch Metadata send no `Sec-Fetch-Dest`, and are answered as before.
 */
export function isRequestedAsSubresource(headers: HeaderBag): boolean {
  const destination = headers.get('sec-fetch-dest');
  return destination !== null && destination !== 'document' && destination !== 'empty';
}

function originOf(address: string): string | null {
  try {
    return new URL(address).origin;
  } catch {
    return null;
  }
}

/**
 * The one state-changing endpoint other sites may call: RFC 8058 one-click unsubscribe is
 * POSTed by a mail provider's server, without Origin, and is authorised by the HMAC in its URL.
 */
export const CROSS_SITE_POST_PATHS: readonly string[] = ['/status/unsubscribe'];

/**
 * Whether a POST is the one-click unsubscribe other sites may send: to its path as the client
 * sent it, and no page's router or action request. (Next.js turns "/status/unsubscribe.rsc" into
 * a router request for "/status/unsubscribe" before the proxy sees it: by that path alone it
 * passed as the unsubscribe.)
 */
export function acceptsCrossSitePost(pathname: string, headers: HeaderBag): boolean {
  return CROSS_SITE_POST_PATHS.includes(pathname) && headers.get(SENT_PATH_HEADER) === pathname && headers.get('rsc') === null && headers.get('next-action') === null;
}
