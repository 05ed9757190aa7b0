import { NextResponse, type NextRequest } from 'next/server';
import { browserKeyCookie, browserKeyCookieName, isBrowserKey, SIGN_IN_PAGES } from '@/lib/auth/browser-key.mjs';
import { appOrigin, auditCrossSiteRefusal, CROSS_SITE_MESSAGE } from '@/lib/auth/cross-site';
import { config as appConfig } from '@/lib/config';
import { ACTION_HEADER, isMalformedActionRequest } from '@/lib/http/action-request';
import { clientIpFrom } from '@/lib/http/client-ip';
import { acceptsCrossSitePost, isSameOriginRequest, SAFE_METHODS } from '@/lib/http/same-origin';
import { CSP_HEADER, hashPolicy } from '@/lib/security/content-security-policy.mjs';
import { servedOverHttps, strictTransportSecurity } from '@/lib/security/headers.mjs';
import { currentBlockingMaintenance } from '@/lib/maintenance/blocking-maintenance-cache';
import { gateDuringMaintenance } from '@/lib/maintenance/maintenance-gate';
import { renderUnavailablePage, unavailableHeaders, unavailableJson } from '@/lib/maintenance/unavailable-page';
import { errorFields, logger } from '@/lib/observability/logger.mjs';

/**
 * Routing decisions before any page, action or route runs, in this order: a state-changing
 * request from another site is refused (403); while a window that blocks sign-in is in progress,
 * sign-in and the app answer 503 "Unavailable" (see lib/maintenance/maintenance-gate.ts for what stays
 * up); a server-action body that is not what React sends is refused (400); a sign-in page names a browser
 * that has no key yet (lib/auth/browser-key.mjs). Every answer gets HSTS
 * when the portal is served over https. Pages, actions and routes still check sessions
 * themselves; script nonces are set in server.mjs (see there why).
 */
export async function proxy(request: NextRequest) {
  const refused = (await refuseCrossSite(request)) ?? (await unavailableAnswer(request)) ?? (await refuseMalformedAction(request));
  const answer = refused ?? nameTheBrowser(request, NextResponse.next());
  const hsts = strictTransportSecurity(appConfig().APP_URL);
  if (hsts) answer.headers.set('Strict-Transport-Security', hsts);
  return answer;
}

/**
 * A sign-in page Next.js renders (with a query string, or while server.mjs has no copy in memory) names a
 * browser without a key, as server.mjs does for the copies it sends (lib/auth/browser-key.mjs). Those
 * renders are per request (no-store): no cache keeps the cookie. server.mjs's own renders for its copies
 * get one too, which it never keeps.
 */
function nameTheBrowser(request: NextRequest, answer: NextResponse): NextResponse {
  if (!SAFE_METHODS.has(request.method) || !SIGN_IN_PAGES.has(request.nextUrl.pathname)) return answer;
  const secure = servedOverHttps(appConfig().APP_URL);
  if (isBrowserKey(request.cookies.get(browserKeyCookieName(secure))?.value)) return answer;
  answer.headers.append('Set-Cookie', browserKeyCookie(secure));
  return answer;
}

/**
 * A real 403 for a state change that did not come from our own pages (a server action cannot set
 * its own status). The entry-point kit in lib/auth/guards.ts checks the same rule again, so an
 * entry the matcher misses is still covered.
 */
async function refuseCrossSite(request: NextRequest): Promise<Response | null> {
  const { pathname } = request.nextUrl;
  if (SAFE_METHODS.has(request.method) || acceptsCrossSitePost(pathname, request.headers) || isSameOriginRequest(request.headers, appOrigin())) return null;
  try {
    await auditCrossSiteRefusal(clientIpFrom(request.headers), `${request.method} ${pathname}`, request.headers.get('origin'));
  } catch (error) {
    logger.error({ event: 'proxy.cross_site_audit_failed', ...errorFields(error) });
  }
  const wantsJson = pathname.startsWith('/api/') || !(request.headers.get('accept') ?? '').includes('text/html');
  return wantsJson
    ? Response.json({ error: 'CROSS_SITE', message: CROSS_SITE_MESSAGE }, { status: 403, headers: { 'Cache-Control': 'no-store' } })
    : new Response(crossSitePage(), { status: 403, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' } });
}

function crossSitePage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Request refused · CareNotes password help</title></head><body><main><h1>This request was refused</h1><p>${CROSS_SITE_MESSAGE}</p><p><a href="/">Go to the CareNotes password help home page</a></p></main></body></html>`;
}

/**
 * Next.js decodes a posted form as a server action's only on a page; the one route other sites post to
 * (RFC 8058's one-click unsubscribe) reads no body, and a mail provider's multipart body is RFC 7578's, not
 * laid out as a browser's: it passes (review r41a F1).
 */
async function refuseMalformedAction(request: NextRequest): Promise<Response | null> {
  if (acceptsCrossSitePost(request.nextUrl.pathname, request.headers)) return null;
  if (!(await isMalformedActionRequest(request))) return null;
  return new Response('This request is not one the portal’s pages send.\n', {
    status: 400,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

async function unavailableAnswer(request: NextRequest): Promise<Response | null> {
  const gate = gateDuringMaintenance(request.nextUrl.pathname, request.method === 'POST' && request.headers.has(ACTION_HEADER));
  if (gate === 'pass') return null;

  let window;
  try {
    window = await currentBlockingMaintenance();
  } catch (error) {
    // Without the database the app cannot work anyway; its own pages report that.
    logger.error({ event: 'proxy.maintenance_lookup_failed', ...errorFields(error) });
    return null;
  }
  if (!window) return null;

  if (gate === 'unavailable-json') {
    return new Response(unavailableJson(window), { status: 503, headers: unavailableHeaders(window, 'application/json') });
  }
  const html = renderUnavailablePage(window);
  const headers = unavailableHeaders(window, 'text/html; charset=utf-8');
  // Built here and the same for everyone: its one inline script is allowed by hash.
  headers.set(CSP_HEADER, hashPolicy(html, { dev: appConfig().NODE_ENV === 'development' }));
  return new Response(request.method === 'HEAD' ? null : html, { status: 503, headers });
}

export const config = {
  // Built assets never pass through (server.mjs refuses every POST to them); everything else, whatever
  // its name starts with, is decided above: a prefix `favicon.ico` let `/favicon.icox` skip every check.
  matcher: ['/((?!_next/static/).*)'],
};
