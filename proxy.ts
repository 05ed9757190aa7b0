import { NextResponse, type NextRequest } from 'next/server';
import { currentBlockingMaintenance } from '@/lib/status/blocking-maintenance-cache';
import { gateDuringMaintenance } from '@/lib/status/maintenance-gate';
import { renderUnavailablePage, unavailableHeaders, unavailableJson } from '@/lib/status/unavailable-page';

/**
 * Maintenance mode, and nothing else: a routing decision. While a window that blocks sign-in is
 * in progress, sign-in and the app answer 503 "Unavailable" (see lib/status/maintenance-gate.ts
 * for what stays up). Pages, actions and routes still check sessions themselves.
 */
export async function proxy(request: NextRequest) {
  const gate = gateDuringMaintenance(request.nextUrl.pathname);
  if (gate === 'pass') return NextResponse.next();

  let window;
  try {
    window = await currentBlockingMaintenance();
  } catch (error) {
    // Without the database the app cannot work anyway; its own pages report that.
    console.error('maintenance lookup failed', error);
    return NextResponse.next();
  }
  if (!window) return NextResponse.next();

  return gate === 'unavailable-json'
    ? new Response(unavailableJson(window), { status: 503, headers: unavailableHeaders(window, 'application/json') })
    : new Response(request.method === 'HEAD' ? null : renderUnavailablePage(window), {
        status: 503,
        headers: unavailableHeaders(window, 'text/html; charset=utf-8'),
      });
}

export const config = {
  // Static assets never pass through; everything else is decided by gateDuringMaintenance.
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
