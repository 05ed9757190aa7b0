import { escapeHtml } from '@/lib/mail/render';
import { formatUtc } from '@/lib/status/severity';
import { STALE_CHECK_SECONDS, STATUS_VERSION_PATH } from '@/lib/help/stale-page';

export type UnavailableWindow = { title: string; endsAt: Date };

/** Seconds until the expected end, at least 1: what Retry-After says. */
export function retryAfterSeconds(endsAt: Date, now = new Date()): number {
  return Math.max(1, Math.ceil((endsAt.getTime() - now.getTime()) / 1000));
}

/**
 * Headers of every "Unavailable" answer. no-store and no validators (ETag, Last-Modified): no
 * browser or proxy may keep this page and show it again after the system is back, which is the
 * very failure the guide's "clear your cache" step exists for.
 */
export function unavailableHeaders(window: UnavailableWindow, contentType: string, now = new Date()): Headers {
  return new Headers({
    'Content-Type': contentType,
    'Cache-Control': 'no-store',
    'Retry-After': String(retryAfterSeconds(window.endsAt, now)),
    // The same for CDNs that read Surrogate-Control before Cache-Control.
    'Surrogate-Control': 'no-store',
    'X-Robots-Tag': 'noindex',
  });
}

export const DOWNTIME_MATERIALS_PATH = '/help/downtime';
/** How often the page asks /api/status whether the window is over. */
export const POLL_SECONDS = 15;

/**
 * The page itself: plain HTML with inline style and script, so it needs no asset that a proxy
 * might have cached. It asks /api/status every POLL_SECONDS (no-store) and reloads once no
 * window blocking sign-in is in progress, or when the expected end has moved.
 */
export function renderUnavailablePage(window: UnavailableWindow): string {
  const end = escapeHtml(formatUtc(window.endsAt));
  const endIso = escapeHtml(window.endsAt.toISOString());
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>CareNotes is unavailable: planned maintenance</title>
<style>
body{margin:0;font:1.1875rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#0b0c0c;background:#fff}
header{background:#1d4f91;color:#fff;padding:.75rem 1rem;font-weight:700}
main{max-width:40rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:2rem;line-height:1.2;margin:.5rem 0 1.25rem}
a{color:#1d4f91}
:focus-visible{outline:3px solid #ffdd00;box-shadow:0 0 0 6px #0b0c0c}
.panel{background:#fff4d6;border-left:5px solid #b58800;padding:.75rem 1rem;margin:1rem 0}
.muted{color:#505a5f}
button{font:inherit;padding:.5rem 1rem;border:2px solid #1d4f91;background:#1d4f91;color:#fff;border-radius:4px;cursor:pointer}
</style>
</head>
<body>
<header>CareNotes password help</header>
<main id="main">
<h1>CareNotes is unavailable for planned maintenance</h1>
<p class="panel"><strong>${escapeHtml(window.title)}</strong><br>We expect to be back by <time id="expected-end" datetime="${endIso}">${end}</time>.</p>
<p>You cannot sign in until the maintenance ends. Your account and your password are fine: there is nothing to reset.</p>
<p>This page checks by itself and opens the sign-in page as soon as CareNotes is back. You do not need to clear your browser's cache.</p>
<ul>
<li><a href="${DOWNTIME_MATERIALS_PATH}">Support materials for working during downtime</a></li>
<li><a href="/status">Current status and maintenance times</a></li>
<li><a href="/help">Sign-in help guide</a></li>
</ul>
<div role="status" id="stale-notice"><div class="panel" id="stale" hidden><p><strong>The status has changed since this page was opened.</strong> What it says may be out of date.</p><button type="button" id="stale-reload">Reload this page</button></div></div>
<p class="muted" id="last-check" aria-live="polite"></p>
</main>
<script>
(function () {
  var every = ${POLL_SECONDS * 1000};
  // The status version when this page was opened: any other one later means the status moved on
  // since, and the page offers the one-click fix (a reload that bypasses caches).
  var own = null;
  var versionsRead = 0;
  // Opens this address again with a GET: a reload would send again the form this page answered
  // (a sign-in posted before the page's scripts ran: its password, and a session nobody asked for).
  function openAgain() { location.replace(location.href.split('#')[0]); }
  function checkVersion() {
    fetch('${STATUS_VERSION_PATH}', { cache: 'no-store' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (v) {
        if (!v || typeof v.version !== 'number') return;
        versionsRead += 1;
        document.getElementById('stale-notice').setAttribute('data-versions-read', String(versionsRead));
        if (own === null) own = v.version;
        else if (v.version !== own) document.getElementById('stale').hidden = false;
      })
      .catch(function () {});
  }
  document.getElementById('stale-reload').addEventListener('click', function () {
    fetch(location.href, { cache: 'reload' }).catch(function () {}).then(openAgain);
  });
  checkVersion();
  setInterval(checkVersion, ${STALE_CHECK_SECONDS * 1000});
  function check() {
    fetch('/api/status', { cache: 'no-store', headers: { accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) return;
        var w = s.maintenance && s.maintenance.active;
        if (!w || !w.blocksSignIn) { openAgain(); return; }
        // Extended: this page comes again from the server with the new end (never from a cache).
        if (document.getElementById('expected-end').getAttribute('datetime') !== w.endsAt) { openAgain(); return; }
        document.getElementById('last-check').textContent = 'Last checked ' + new Date().toLocaleTimeString() + '.';
      })
      .catch(function () {});
  }
  setInterval(check, every);
  var untilEnd = new Date(document.getElementById('expected-end').getAttribute('datetime')).getTime() - Date.now();
  if (untilEnd > 0 && untilEnd < every) setTimeout(check, untilEnd + 500);
})();
</script>
</body>
</html>
`;
}

/** For JSON and API requests: the same status and headers, a small body. */
export function unavailableJson(window: UnavailableWindow): string {
  return JSON.stringify({
    error: 'MAINTENANCE',
    message: `CareNotes is unavailable for planned maintenance until about ${formatUtc(window.endsAt)}.`,
    expectedEnd: window.endsAt.toISOString(),
    status: '/status',
  });
}
