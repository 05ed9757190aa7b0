import { NextResponse, type NextRequest } from 'next/server';
import { config as appConfig } from '@/lib/config';
import { CSP_HEADER, hashPolicy } from '@/lib/security/content-security-policy.mjs';
import { strictTransportSecurity } from '@/lib/security/transport-security';
import { currentBlockingMaintenance } from '@/lib/status/blocking-maintenance-cache';
import { gateDuringMaintenance } from '@/lib/status/maintenance-gate';
import { renderUnavailablePage, unavailableHeaders, unavailableJson } from '@/lib/status/unavailable-page';

/**
 * Maintenance mode and HSTS, nothing else: a routing decision and a header. While a window that
 * blocks sign-in is in progress, sign-in and the app answer 503 "Unavailable" (see
 * lib/status/maintenance-gate.ts for what stays up). Pages, actions and routes still check
 * sessions themselves. Script nonces are not set here but in server.mjs (see there why).
 */
export async function proxy(request: NextRequest) {
  const answer = (await unavailableAnswer(request)) ?? NextResponse.next();
  const hsts = strictTransportSecurity(appConfig().APP_URL);
  if (hsts) answer.headers.set('Strict-Transport-Security', hsts);
  return answer;
}

async function unavailableAnswer(request: NextRequest): Promise<Response | null> {
  const gate = gateDuringMaintenance(request.nextUrl.pathname);
  if (gate === 'pass') return null;

  let window;
  try {
    window = await currentBlockingMaintenance();
  } catch (error) {
    // Without the database the app cannot work anyway; its own pages report that.
    console.error('maintenance lookup failed', error);
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
  // Static assets never pass through; everything else is decided above.
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
