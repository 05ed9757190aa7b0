// @ts-check
// A page that fails because the database is unavailable (opened, or drawn again around the answer to
// a form sent without JavaScript) gets from Next.js a 500 and the empty shell
// whose apology is only in its scripts (as notFound(), decision 059): blank without JavaScript, and
// "a bug" to a balancer. It is answered here instead: 503, Retry-After, never stored, and words that
// read without JavaScript. The request is known by its scope, which the app's database client marks
// as a query fails (lib/db/client.ts), before Next.js writes the answer.
//
// /status says the status cannot be shown and points to the guide. It reaches Next.js only on an
// instance with no copy of the page (lib/runtime/pages-in-memory.mjs): one started while the database
// is down and given no STATUS_EXPORT_DIR, whose last export it would otherwise send.
import { replaceAnswer } from './replace-answer.mjs';

// As the 503 of a route that met the same (lib/auth/guards.ts).
const RETRY_AFTER_SECONDS = 120;
// Headers of Next.js's answer that describe its bytes (or the scripts they load), not this page.
const BYTES_HEADERS = ['content-type', 'content-length', 'content-encoding', 'etag', 'vary', 'link'];

const STYLE =
  'body{margin:0;font:1.1875rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#0b0c0c;background:#fff}' +
  'header{background:#1d4f91;color:#fff;padding:.75rem 1rem;font-weight:700}main{max-width:40rem;margin:0 auto;padding:1.5rem 1rem 3rem}' +
  'h1{font-size:2rem;line-height:1.2;margin:.5rem 0 1.25rem}a{color:#1d4f91}:focus-visible{outline:3px solid #ffdd00;box-shadow:0 0 0 6px #0b0c0c}';

/** A page of the portal that reads without scripts or styles of the build. @param {string} title @param {string} main HTML */
export function plainPage(title, main) {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<meta name="robots" content="noindex"><title>${title} · CareNotes password help</title><style>${STYLE}</style></head>` +
    `<body><header>CareNotes password help</header><main id="main">${main}</main></body></html>`
  );
}

/** @param {string} text */
function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (mark) => `&#${mark.charCodeAt(0)};`);
}

/**
 * @param {string} pathname @param {string} reference the request id, which the failure's log line names
 * @param {boolean} posted a form was sent: what it asked for may not have been done
 */
function databaseUnavailablePage(pathname, reference, posted) {
  const quote = `<p>If you contact support, quote the reference <strong>${escapeHtml(reference)}</strong>.</p>`;
  if (posted) {
    return plainPage(
      'Service unavailable',
      '<h1>Sorry, what you sent could not be handled right now</h1>' +
        '<p>The service is busy or unavailable just now, so it may not have been done. Nothing you did caused it. Wait a few minutes, then go back and send it again.</p>' +
        '<p>If it keeps happening, check the <a href="/status">system status</a> or follow the <a href="/help">sign-in help guide</a>.</p>' +
        quote,
    );
  }
  if (pathname === '/status') {
    return plainPage(
      'System status cannot be shown',
      '<h1>The system status cannot be shown just now</h1>' +
        '<p>This page cannot read the current status at the moment. Wait a few minutes and try again.</p>' +
        '<p>If you cannot sign in, follow the <a href="/help">sign-in help guide</a>: it works while the status cannot be shown.</p>' +
        quote,
    );
  }
  return plainPage(
    'Service unavailable',
    '<h1>Sorry, this page is not working right now</h1>' +
      '<p>The service is busy or unavailable just now. Nothing you did caused it. Wait a few minutes and try again.</p>' +
      '<p>If it keeps happening, check the <a href="/status">system status</a> or follow the <a href="/help">sign-in help guide</a>.</p>' +
      quote,
  );
}

/**
 * Call before Next.js gets `response` (see replaceAnswer). `scope` is the request's scope
 * (lib/observability/logger.mjs), read when the answer's head is written.
 * @param {import('node:http').IncomingMessage} request @param {import('node:http').ServerResponse} response
 * @param {import('../observability/logger.mjs').RequestScope} scope
 */
export function answerDatabaseUnavailable(request, response, scope) {
  // Pages people open, and forms posted without JavaScript: such a form's action answers its own
  // failure, but the page drawn again around that answer may read the database too (/status does),
  // and then failed as an empty 500 (review r29c F3). A call made with JavaScript gets its action's
  // answer as the page's script reads it, never HTML.
  if (request.method !== 'GET' && request.method !== 'HEAD' && !(request.method === 'POST' && request.headers['next-action'] === undefined)) return;
  replaceAnswer(response, (status) => {
    if (status !== 500 || !scope.databaseUnavailable || !/^text\/html\b/i.test(String(response.getHeader('content-type') ?? ''))) return undefined;
    const body = Buffer.from(databaseUnavailablePage((request.url ?? '/').split('?')[0] ?? '/', scope.requestId, request.method === 'POST'));
    for (const name of BYTES_HEADERS) response.removeHeader(name);
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.setHeader('Content-Length', body.length);
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    return { status: 503, body };
  });
}
