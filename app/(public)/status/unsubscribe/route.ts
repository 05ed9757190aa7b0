// RFC 8058 one-click unsubscribe. This route MUST accept cross-site POSTs with no Origin header:
// the mail provider's server sends them, not a browser on this site. The HMAC token in the URL
// is the only credential, and all it can do is stop alerts to that one subscriber. A same-origin
// check on state-changing requests must exempt exactly this route (POST /status/unsubscribe), and
// nothing else: the unsubscribe page people see posts through a server action like every form.
import { defineRoute, PUBLIC } from '@/lib/auth/guards';
import { unsubscribeStatusSubscriber } from '@/lib/status/manage-subscription';

export const dynamic = 'force-dynamic';

const NO_STORE = { 'Cache-Control': 'no-store' };

function linkOf(request: Request) {
  const url = new URL(request.url);
  return { s: (url.searchParams.get('s') ?? '').slice(0, 64), t: (url.searchParams.get('t') ?? '').slice(0, 64) };
}

/**
 * The link in every alert's body and List-Unsubscribe header. Opening it changes nothing (mail
 * scanners open every link): it leads to the page that asks before it stops anything.
 */
export const GET = defineRoute('status-unsubscribe-link', PUBLIC, async (_actor, request) => {
  const { s, t } = linkOf(request);
  return new Response(null, { status: 303, headers: { Location: `/status/stop-alerts?${new URLSearchParams({ s, t })}`, ...NO_STORE } });
});

/**
 * The mail program POSTs `List-Unsubscribe=One-Click` to the List-Unsubscribe URL. Nothing is counted:
 * big mail providers post for many subscribers from a few addresses, and any site can make a browser
 * post here, so a limit checked first let 30 forged posts turn away the real one. A wrong link costs
 * one keyed hash and no database work; a right one always stops the alerts.
 */
export const POST = defineRoute(
  'status-one-click-unsubscribe',
  PUBLIC,
  async (_actor, request) => {
    const { s, t } = linkOf(request);
    const done = await unsubscribeStatusSubscriber(s, t);
    return new Response(done ? 'Unsubscribed.\n' : 'This unsubscribe link is not valid.\n', {
      status: done ? 200 : 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', ...NO_STORE },
    });
  },
  { crossSite: 'allowed' },
);
