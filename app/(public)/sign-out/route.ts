import { endBrowserSession, thisBrowserFromNow } from '@/lib/auth/browser-session';
import { defineRoute, getActor, PUBLIC } from '@/lib/auth/guards';
import { SIGN_IN_PATH, SIGNED_OUT } from '@/lib/auth/sign-in-messages';
import { donePath } from '@/lib/http/done-notice';
import { logRequestError } from '@/lib/http/request-context';
import { isDatabaseUnavailable } from '@/lib/http/unexpected-error';
import { plainPage } from '@/lib/runtime/database-unavailable-page.mjs';

export const dynamic = 'force-dynamic';

// Said to the person at the browser, which posted a plain form: a page, not the JSON a script gets.
const NOT_SIGNED_OUT = plainPage(
  'Not signed out yet',
  '<h1>You are not signed out yet</h1>' +
    '<p>CareNotes cannot reach its records just now, so your session could not be ended. Nothing else changed.</p>' +
    '<p>Wait a minute, go back and press Sign out again. On a shared computer, do not leave until a page says you are signed out.</p>' +
    '<p>Check the <a href="/status">system status</a>.</p>',
);

// Typed in, or an old bookmark: a sign-out is a POST (a link from anywhere must not end a session), so
// the address itself shows the button (it answered 405 with an empty page; review r34b F4).
const SIGN_OUT_PAGE = plainPage(
  'Sign out',
  '<h1>Sign out</h1>' +
    '<form method="post" action="/sign-out"><button type="submit">Sign out</button></form>' +
    '<p>Or go to the <a href="/login">sign-in page</a>.</p>',
);

export const GET = defineRoute('sign-out-page', PUBLIC, async () =>
  new Response(SIGN_OUT_PAGE, { headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' } }),
);

/**
 * Signing out: a plain form POST here from every signed-in page, with JavaScript or without. A route
 * of its own, outside the pages a maintenance window closes: posted to the page it sits on (as a server
 * action without JavaScript is), it met the Unavailable page, the session lived on, and the page opened
 * itself again signed in when the window ended. Public: a session that must change its password, or one
 * that has already ended, can still sign out. Same origin only, as every state change (defineRoute).
 */
export const POST = defineRoute('sign-out', PUBLIC, async (_anyone, request, { ip }) => {
  try {
    const actor = await getActor();
    // A session that has ended already (a tab asleep past the idle limit signs out when it wakes) names no
    // kind of account: the vendor's pages say theirs in the form.
    const vendor = actor ? actor.kind === 'vendor' : (await request.formData().catch(() => null))?.get('portal') === 'vendor';
    // Named before the session cookie goes: two tabs signing out at once are one browser.
    const browser = await thisBrowserFromNow();
    await endBrowserSession(ip);
    // The sign-in page then says so: on a shared computer, the next person can tell a sign-out that
    // worked from a session that ran out or a button that did nothing.
    const next = donePath(SIGN_IN_PATH[vendor ? 'vendor' : 'agency'], SIGNED_OUT, browser);
    return new Response(null, { status: 303, headers: { Location: next, 'Cache-Control': 'no-store' } });
  } catch (error) {
    // The session stands (its row could not be ended), and the page says so rather than pretend (review r26c N6).
    if (!isDatabaseUnavailable(error)) throw error;
    await logRequestError('route sign-out', error);
    return new Response(NOT_SIGNED_OUT, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Retry-After': '60' } });
  }
});
