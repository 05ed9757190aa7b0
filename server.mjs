// Serves the Next.js app. Before Next.js sees a request it refuses what Next.js would answer
// with a 500 (an oversized body, a malformed path), and stamps the request with the client
// address the app may trust and a fresh request id. Next.js keeps any X-Forwarded-For a client
// sends, so rate limits and audit records would otherwise believe whatever address a client claims.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import next from 'next';
import { ADMISSION_DEFAULTS, createAdmission } from './lib/runtime/admission.mjs';
import { createFairShares } from './lib/runtime/fair-shares.mjs';
import { whenGone } from './lib/runtime/when-gone.mjs';
import { createPagesInMemory, NO_SUCH_PAGE } from './lib/runtime/pages-in-memory.mjs';
import { seeOtherAfterPost } from './lib/runtime/see-other.mjs';
import { answerFormRefusalWithPage } from './lib/runtime/form-refusal-page.mjs';
import { answerDatabaseUnavailable } from './lib/runtime/database-unavailable-page.mjs';
import { hasBody, whenBodyArrives } from './lib/runtime/request-body.mjs';
import { observeRequest } from './lib/observability/access-log.mjs';
import { errorFields, logger, routeConsoleToLog, runInRequestScope } from './lib/observability/logger.mjs';
import { startMetricsServer } from './lib/observability/metrics-server.mjs';
import { provideAdmissionFigures } from './lib/observability/metrics.mjs';
import { clientAddress, forwardedAddress } from './lib/http/client-address.mjs';
import { carriesSecret, redactPath } from './lib/http/redact-path.mjs';
import { browserKeyCookie, holdsBrowserKey, SIGN_IN_PAGES } from './lib/auth/browser-key.mjs';
import { isSoundRouterState, ROUTER_STATE_HEADER } from './lib/http/router-state.mjs';
import { CSP_HEADER, newNonce, noncePolicy } from './lib/security/content-security-policy.mjs';
import { cacheControlOnTheWire, SECRET_LINK_HEADERS, securityHeadersFor, servedOverHttps } from './lib/security/headers.mjs';
import { askSelf, installGracefulShutdown, listen, refuseToServeIfUnfit } from './lib/runtime/serve-lifecycle.mjs';

// Private request headers the app trusts (lib/http/request-context.ts): always overwritten here.
const CLIENT_IP_HEADER = 'x-portal-client-ip';
const REQUEST_ID_HEADER = 'x-portal-request-id';
const SENT_PATH_HEADER = 'x-portal-sent-path';
const SENT_METHOD_HEADER = 'x-portal-sent-method';
// "1" when the request names a proxy (Forwarded, X-Forwarded-For, X-Real-IP, Via) while the portal
// was told of none (TRUSTED_PROXY_HOPS 0): its address is then the proxy's, not the client's.
// Read before Next.js, which adds an X-Forwarded-For of its own to every request.
const UNTOLD_PROXY_HEADER = 'x-portal-untold-proxy';
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip', 'via'];
// A server action that ends in a redirect has Next.js fetch the target page from this server, with
// the action's request headers, while the action still holds its place: waiting in admission, that
// fetch would wait for its own parent (four such sign-ins from one address hung it for 300 s). Each
// request entering the app carries this process's secret key, so the fetch made on its behalf is
// known and runs in its parent's place. Never sent to a client; random per process.
const INNER_REQUEST_HEADER = 'x-portal-inner-request';
const INNER_REQUEST_KEY = randomUUID();
const ACTION_FORWARDED_HEADER = 'x-action-forwarded';
// The portal's forms carry a few KB; nothing it accepts comes near this.
const MAX_BODY_BYTES = 64 * 1024;
// The portal sets a few cookies; a browser may carry some more of the parent domain's.
const MAX_COOKIES = 64;
// The portal's addresses carry a few query parameters (the console's filters are the most).
const MAX_QUERY_PARAMETERS = 64;
// Open connections: all together, and from one peer address (an office's NAT opens a few per person).
const MAX_CONNECTIONS = 8192;
const MAX_CONNECTIONS_PER_PEER = 512;
const FIRST_REQUEST_WITHIN_MS = 20_000;
const ANSWERED_WITHIN_MS = 60_000;
/** A new connection's timer, cleared by its first request. @type {WeakMap<import('node:net').Socket, NodeJS.Timeout>} */
const waitingForFirstRequest = new WeakMap();
/** @param {import('node:http').IncomingMessage} request */
const requestArrived = (request) => clearTimeout(waitingForFirstRequest.get(request.socket));
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? '0.0.0.0';
const trustedProxyHops = Number(process.env.TRUSTED_PROXY_HOPS ?? 0);
// Validated with the rest of the environment in lib/config.ts (a bad value stops the server).
const waitingLimit = Number(process.env.MAX_REQUESTS_WAITING || ADMISSION_DEFAULTS.waitingLimit);
const admission = createAdmission({ limit: Number(process.env.MAX_REQUESTS_IN_FLIGHT || ADMISSION_DEFAULTS.limit), waitingLimit });
// Bodies being received count with those waiting for a place: together at most MAX_REQUESTS_WAITING
// bodies of at most 64 KB are held in memory, however many clients send slowly (at least 64, so a
// configuration where no one may wait still lets forms arrive).
const bodiesHeldLimit = Math.max(waitingLimit, 64);
// One address may be sending a quarter of those at most: 2,000 slow bodies from one address made
// every other client's form answer 503. When they are all taken, a lighter address makes room
// (lib/runtime/fair-shares.mjs): four addresses at their quarter did the same.
const bodiesPerClient = Math.ceil(bodiesHeldLimit / 4);
/** Requests whose body is being received, by client address. @type {ReturnType<typeof createFairShares<import('node:http').IncomingMessage>>} */
const receiving = createFairShares();
provideAdmissionFigures(admission.figures);
// Never wait behind clients: an orchestrator must see a busy instance as alive and ready. Once the app
// is up this server answers them itself (answerProbe), so no number of clients asking can push a
// probe out: a line of their own shared with anyone was filled by seventy addresses each asking for
// /api/health (the guide's own check asks it), and every probe got 503. Before the app is up, and
// for other methods, Next.js answers them in a small line of their own: past it, 50 keep-alive
// connections from one address slowed everyone else's sign-in 16 times.
const PROBES = new Set(['/api/live', '/api/ready', '/api/health']);
const probeAdmission = createAdmission({ limit: 2, waitingLimit: 64 });
/** The readiness check running now, which every probe asking meanwhile shares. @type {Promise<{ status: number, body: Record<string, unknown> }> | null} */
let readinessRunning = null;
// Requests a connection may have sent ahead of their answers. No browser pipelines (sends a request
// before the answer to the one before), and a proxy in front does not either; Node.js hands every
// request it reads to serve() at once, so 200 pipelined requests for /help were 200 answers in one
// turn of the event loop, with every other client's request waiting behind them.
const MAX_REQUESTS_AHEAD_ON_A_CONNECTION = 4;
/** Requests not yet answered, by connection. @type {WeakMap<import('node:net').Socket, number>} */
const unanswered = new WeakMap();
/** A connection waiting for nothing of ours: silent, idle between requests, or still sending a request's head. @param {import('node:net').Socket} socket */
const awaitsNoAnswer = (socket) => !unanswered.get(socket);
/** When each body being received began to arrive. @type {WeakMap<import('node:http').IncomingMessage, number>} */
const bodyBegan = new WeakMap();
/** A body still arriving after this long is a slow one: a form's body arrives in moments, even on a poor line. */
const SLOW_BODY_MS = 1_000;
/** @param {import('node:http').IncomingMessage} request */
const arrivingSlowly = (request) => Date.now() - (bodyBegan.get(request) ?? Date.now()) >= SLOW_BODY_MS;
// Next.js's page for an error in the root layout, and its router copies (see route()).
const NEXT_ERROR_PAGE = /^\/_global-error(?:\/?$|\.rsc$|\.segments\/)/;
const BUSY_MESSAGE = 'Service Unavailable: the portal is very busy right now. Wait a few seconds and try again.';
const dev = process.argv.includes('--dev');
// Next.js prints with console.*: its lines join the JSON log, so every line on stdout parses.
routeConsoleToLog();

// The pages everyone opens at once when sign-in breaks, sent from memory (see that module).
const PAGES_SERVED_FROM_MEMORY = ['/help', '/'];
const LIVE_PAGES_SERVED_FROM_MEMORY = [
  { pathname: '/status', versionPath: '/api/status/version', feedPath: '/status/feed.atom', exported: 'page' },
  // The sign-in page's only per-request parts are its status banner (drawn from the same tables as
  // /status, kept 1 s) and the callbackUrl: a copy for the bare path, none while maintenance closes it.
  { pathname: '/login', versionPath: '/api/status/version', query: 'none', onFailure: 'drop', settleMs: 1100 },
  // The vendor's: its only per-request part is the signed-out notice (`?done=`), so a copy for the bare
  // path. It shows no status, but is kept on the same version as the others (one check for all).
  { pathname: '/vendor/login', versionPath: '/api/status/version', query: 'none' },
  // Asked by every guide opened and polled by every Unavailable page; the route keeps its read 1 s.
  { pathname: '/api/status', versionPath: '/api/status/version', type: 'json', settleMs: 1100 },
  // Feed readers poll it; each render is two queries. Started, like /status, from its export.
  { pathname: '/status/feed.atom', versionPath: '/api/status/version', type: 'atom', exported: 'feed' },
];

/** The client's address, as the portal counts and records it (lib/http/client-address.mjs: an IPv6 host by its /64). */
function clientIp(request) {
  const peer = request.socket.remoteAddress ?? 'unknown';
  if (trustedProxyHops === 0) return clientAddress(peer);
  // Each trusted proxy appends the address it saw: count back from the right.
  const hops = String(request.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const entry = hops[hops.length - trustedProxyHops];
  const forwarded = entry === undefined ? null : forwardedAddress(entry);
  if (entry !== undefined && forwarded === null) warnOnceOfUnreadableForwardedFor();
  // An entry that is no address counts as the proxy itself: a client of its own for each would escape every limit.
  return clientAddress(forwarded ?? peer);
}

let unreadableForwardedForWarned = false;
function warnOnceOfUnreadableForwardedFor() {
  if (unreadableForwardedForWarned) return;
  unreadableForwardedForWarned = true;
  logger.warn({
    event: 'http.forwarded_for_unreadable',
    message: `the X-Forwarded-For entry of the proxy TRUSTED_PROXY_HOPS names holds no address: such requests count as the proxy's own (logged once)`,
  });
}

// The methods the portal's pages, forms and routes use. Next.js answered others as it could: a
// page to PUT, a 400 to OPTIONS, and a 500 with an error logged to TRACE (which it cannot even
// represent as a Request).
const METHODS = ['GET', 'HEAD', 'POST'];

/** What server.mjs answers itself instead of passing the request on: [status, message], or null. */
function edgeRefusal(request) {
  // A body of unknown length (chunked) would have to be counted while Next.js reads it, and
  // cut mid-parse; browsers send a length with every form, so such a body is simply refused.
  if (request.headers['transfer-encoding'] !== undefined) {
    return [411, 'Length Required: send the request body with a Content-Length.'];
  }
  // Node's parser has already refused a Content-Length that is not a number, or two of them.
  if (Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
    return [413, `Content Too Large: this service accepts at most ${MAX_BODY_BYTES / 1024} KB in one request. Go back and shorten what you entered.`];
  }
  // Next.js reads a request's cookies in time that grows with the square of how many there are:
  // 1,500 made-up ones cost 1.4 s of CPU per request. The portal sets a handful.
  if (String(request.headers.cookie ?? '').split(';').length > MAX_COOKIES) {
    return [431, "Request Header Fields Too Large: your browser sent too many cookies for this site. Clear this site's cookies and try again."];
  }
  // So does its handling of a repeated query parameter (for each one it reads all of the same
  // name): 7,000 copies of `a`, a 14 KB address any page can make a browser ask for, cost 2.4 s.
  const queryAt = (request.url ?? '').indexOf('?');
  if (queryAt !== -1 && request.url.slice(queryAt + 1).split('&').length > MAX_QUERY_PARAMETERS) {
    return [414, 'URI Too Long: the address has more parts than any of this service. Check the link or type the address again.'];
  }
  if (!METHODS.includes(request.method ?? '')) return [405, `Method Not Allowed: this service answers ${METHODS.join(', ')}.`];
  // Next.js's built files are only read; proxy.ts does not see them, so no form may be posted there.
  if (request.method === 'POST' && (request.url ?? '').startsWith('/_next/')) return [405, 'Method Not Allowed: this address is only read.'];
  // Only a path: Next.js answers a full URL (`GET http://elsewhere/admin`, which only a proxy is
  // sent) with a permanent redirect to that host, and `*` with a 500.
  if (!(request.url ?? '').startsWith('/')) return [400, 'Bad Request: ask for a path on this service, such as /help.'];
  // Next.js decodes the path and answers 500 when that throws (/%E0%A4%A, /status/%). A control character
  // is in no address of this service, and a NUL in an id reached PostgreSQL, which refuses one in text: a
  // 500 for /admin/users/%00 (review r41e F2).
  const notValid = [400, 'Bad Request: the address is not valid. Check the link or type the address again.'];
  let path;
  try {
    path = decodeURIComponent((request.url ?? '/').split('?')[0]);
  } catch {
    return notValid;
  }
  if (/[\u0000-\u001f\u007f]/.test(path)) return notValid;
  // A dot segment ("/_next/static/../../account") is resolved by every browser before it asks: sent as it
  // is, it reached a signed-in page by a path a cache keyed on the raw address might store (review r52c I3).
  // Next.js reads a backslash as a slash (the URL parser does), so "..\" is a dot segment too (review r52e F6).
  if (/(^|\/)\.{1,2}(\/|$)/.test(path.replaceAll('\\', '/'))) return notValid;
  if (!isSoundRouterState(request.headers[ROUTER_STATE_HEADER])) return [400, 'Bad Request: the page state your browser sent is not valid. Reload the page.'];
  // A router request (an `.rsc` address, or the RSC header) is a GET of a page's payload. Posted,
  // with or without an action, Next.js answers 500 and logs an invariant error ("Expected RSC
  // response"), whatever proxy.ts answers: it expects a payload even of a refusal. React posts an
  // action to the page's own address, without the RSC header.
  if (request.method === 'POST' && (request.headers.rsc !== undefined || /\.rsc$/i.test(decodeURIComponent(request.url.split('?')[0])))) {
    return [400, 'Bad Request: this address is only read.'];
  }
  // Next.js sends an action posted to a page without it on to the page that has it, as a new request to
  // this server from 127.0.0.1 (the address limits and records would then name): every page runs only
  // its own actions, so such a request is refused, whoever sends it.
  if (request.headers[ACTION_FORWARDED_HEADER] !== undefined) return [400, 'Bad Request: post the form from its own page.'];
  return null;
}

// How long a refused request's body is still read (and dropped) after the answer.
const LINGER_MS = 2000;

/** `closeConnection`: the body will never be sent (the client waits for "100 Continue"), so the connection cannot go on. */
function refuse(request, response, [status, message], { closeConnection = false } = {}) {
  const body = `${message}\n`;
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    // As every other answer: no frame, no opener, HTTPS only (review r35b I1: a 400 could be framed).
    ...SECURITY_HEADERS_OF_EVERY_ANSWER,
    ...(status === 405 && { Allow: (request.url ?? '').startsWith('/_next/') ? 'GET, HEAD' : METHODS.join(', ') }),
    ...(closeConnection && { Connection: 'close' }),
  });
  if (closeConnection) return response.end(request.method === 'HEAD' ? undefined : body);
  // The whole answer goes out now (its length is declared), but the response ends only once the
  // body is read and dropped: closing a socket with bytes unread resets the connection, and the
  // client may lose the answer before reading it. A body still coming after a moment is cut off.
  // (A HEAD answer has no body: its head goes out now all the same, not only once the request's body is read.)
  if (request.method !== 'HEAD') response.write(body);
  else response.flushHeaders();
  const cutOff = setTimeout(() => request.socket.destroy(), LINGER_MS).unref();
  request.once('end', () => {
    clearTimeout(cutOff);
    response.end();
  });
  request.resume();
}

// Script nonce of answers rendered for this request: Next.js reads it from the request's policy
// and puts it on every script it writes; the answer then gets the same policy. An answer that
// brings its own policy keeps it: a prerendered page (hashes of exactly its inline scripts, added
// by lib/security/prerendered-page-cache.mjs) and the Unavailable page (proxy.ts). Which answer
// is prerendered is known only once Next.js has routed the request (an unknown URL gets the
// prerendered 404 page), so this is decided when the head is written, not in proxy.ts.
// The security headers are made sure of then too: Next.js answers some requests itself (the
// redirect of a path with a trailing slash), without the headers next.config.js gives the rest.
function completeHeaders(request, response) {
  const policy = noncePolicy(newNonce(), { dev });
  request.headers[CSP_HEADER.toLowerCase()] = policy;
  const secretLink = carriesSecret(request.url ?? '/');
  const writeHead = response.writeHead;
  response.writeHead = function writeHeadWithPolicy(...args) {
    if (!response.hasHeader(CSP_HEADER) && /^text\/html\b/i.test(String(response.getHeader('content-type') ?? ''))) {
      response.setHeader(CSP_HEADER, policy);
    }
    // Next.js's answers have them from next.config.js (HSTS from proxy.ts); this server's own (the probes) get them here.
    for (const [name, value] of Object.entries(SECURITY_HEADERS_OF_EVERY_ANSWER)) if (!response.hasHeader(name)) response.setHeader(name, value);
    if (secretLink) for (const [name, value] of Object.entries(SECRET_LINK_HEADERS)) response.setHeader(name, value);
    // (Not on this server's own fetch of a page to keep: it reads Next.js's mark, pages-in-memory.mjs.)
    const cacheControl = response.getHeader('cache-control');
    if (typeof cacheControl === 'string' && !pagesInMemory.isOwnFetch(request)) response.setHeader('Cache-Control', cacheControlOnTheWire(cacheControl));
    // Next.js answers a method a route handler does not take with a bare 405. Of the methods that reach
    // it (METHODS), the route takes the others: reads when a post was refused, the post when a read was.
    if ((args[0] ?? response.statusCode) === 405) {
      if (!response.hasHeader('Allow')) response.setHeader('Allow', request.method === 'POST' ? 'GET, HEAD' : 'POST');
      response.setHeader('Cache-Control', 'no-store');
    }
    return writeHead.apply(this, args);
  };
}

const APP_URL = process.env.APP_URL ?? 'http://localhost:3000';
const APP_HOST = new URL(APP_URL).host;
const SECURITY_HEADERS_OF_EVERY_ANSWER = securityHeadersFor(APP_URL);
const app = next({ dev, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();
const pagesInMemory = createPagesInMemory({
  host: hostname === '0.0.0.0' ? '127.0.0.1' : hostname,
  port,
  dev,
  appUrl: APP_URL,
  exportDir: process.env.STATUS_EXPORT_DIR || undefined,
});

function serve(request, response) {
  requestArrived(request);
  if (pipelinedTooDeep(request, response)) return;
  // Every request is over within a minute of arriving, answered or not: a client that stops reading
  // its answer holds a socket and the answer's bytes, never longer than this.
  const cutOff = setTimeout(() => request.socket.destroy(), ANSWERED_WITHIN_MS).unref();
  whenGone(response, request.socket, () => clearTimeout(cutOff));
  // Who sent it and which request it is: worked out once, used by the log, Next.js and admission.
  const stamp = parentStamp(request) ?? { requestId: randomUUID(), ip: clientIp(request) };
  response.setHeader('X-Request-Id', stamp.requestId);
  observeRequest(request, response, { requestId: stamp.requestId, clientIp: stamp.ip, internal: pagesInMemory.isOwnFetch(request) });
  const refusal = edgeRefusal(request);
  if (refusal) return refuse(request, response, refusal);
  // Nothing is answered before its body has arrived (request-body.mjs): a slow body holds no place.
  if (!hasBody(request)) return route(request, response, stamp);
  if (receiving.countOf(stamp.ip) >= bodiesPerClient || !roomForABody(stamp.ip)) return refuseAsBusy(request, response);
  receiving.add(stamp.ip, request);
  bodyBegan.set(request, Date.now());
  void whenBodyArrives(request, response).then((outcome) => {
    receiving.release(stamp.ip, request);
    if (outcome === 'arrived') route(request, response, stamp);
    // Answered at once; what is still coming is read and dropped for a moment, so the client gets the answer.
    else if (outcome === 'late') refuse(request, response, [408, SLOW_BODY_MESSAGE]);
  });
}

/**
 * Counts the request on its connection until its answer is done; a connection that has sent more than
 * MAX_REQUESTS_AHEAD_ON_A_CONNECTION ahead of their answers is closed (true), its requests unanswered.
 * @param {import('node:http').IncomingMessage} request
 * @param {import('node:http').ServerResponse} response
 */
function pipelinedTooDeep(request, response) {
  const socket = request.socket;
  const ahead = (unanswered.get(socket) ?? 0) + 1;
  if (ahead > MAX_REQUESTS_AHEAD_ON_A_CONNECTION) {
    if (!socket.destroyed) logger.info({ event: 'http.pipelining_refused', peer: socket.remoteAddress });
    socket.destroy();
    return true;
  }
  unanswered.set(socket, ahead);
  whenGone(response, socket, () => unanswered.set(socket, (unanswered.get(socket) ?? 1) - 1));
  return false;
}

/**
 * Whether one more body may be held: under the limit, or once a longer waiting line, an address
 * sending more bodies, or else the body arriving longest gave one up (its connection is closed: it is still arriving).
 * @param {string} ip
 */
function roomForABody(ip) {
  if (receiving.size() + admission.figures().waiting < bodiesHeldLimit) return true;
  if (admission.makeRoomFor(ip)) return true;
  // Else the body arriving longest, of an address sending more than this one, once it is a slow one (review r45d
  // F1; r45e F3: in a rush of real forms, none is pushed out).
  const pushedOut = receiving.pushOutFor(ip) ?? receiving.pushOutOldestFor(ip, arrivingSlowly);
  pushedOut?.socket.destroy();
  return pushedOut !== undefined;
}

/**
 * The client's address and request id when Next.js asks this server for a page on a client's behalf
 * (the page an action redirects to): the request is still theirs, and the log and the records must
 * say so, not name 127.0.0.1 under a request id of its own. Known by this process's secret key.
 * @param {import('node:http').IncomingMessage} request
 */
function parentStamp(request) {
  if (request.headers[INNER_REQUEST_HEADER] !== INNER_REQUEST_KEY) return null;
  const requestId = request.headers[REQUEST_ID_HEADER];
  const ip = request.headers[CLIENT_IP_HEADER];
  return typeof requestId === 'string' && typeof ip === 'string' ? { requestId, ip } : null;
}

// A cookie's name is a token (RFC 6265): letters, digits and these marks, nothing else.
const COOKIE_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The Cookie header without the pairs whose name is no token: no browser stores such a cookie from
 * this site, and next-auth, which reads its cookie by the start of a name, threw writing one back
 * (`next-auth.session-token@=x` made every signed-in page answer 500, and sign-out fail).
 * @param {string} header
 */
function wellNamedCookies(header) {
  return header
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => COOKIE_NAME.test(pair.split('=', 1)[0]))
    .join('; ');
}

const SECURE_COOKIES = servedOverHttps(APP_URL);

/**
 * A sign-in page sent from memory to a browser without a key names it (lib/auth/browser-key.mjs; proxy.ts
 * does the same for the pages Next.js renders). That answer is this browser's alone: no shared cache may
 * keep it and hand the key to others.
 * @param {import('node:http').IncomingMessage} request
 */
function browserKeyHeaders(request) {
  if (!SIGN_IN_PAGES.has(request.url ?? '') || holdsBrowserKey(request.headers.cookie, SECURE_COOKIES)) return undefined;
  return { 'Set-Cookie': browserKeyCookie(SECURE_COOKIES), 'Cache-Control': 'private, no-cache' };
}

/** A request whose body (if any) has arrived: a page from memory, a probe, or Next.js through admission. */
function route(request, response, { requestId, ip }) {
  if (pagesInMemory.answer(request, response, browserKeyHeaders(request))) return;
  const madeByTheApp = request.headers[INNER_REQUEST_HEADER] === INNER_REQUEST_KEY;
  request.headers[INNER_REQUEST_HEADER] = INNER_REQUEST_KEY;
  request.headers[REQUEST_ID_HEADER] = requestId;
  request.headers[CLIENT_IP_HEADER] = ip;
  if (!madeByTheApp) {
    request.headers[UNTOLD_PROXY_HEADER] = trustedProxyHops === 0 && PROXY_HEADERS.some((name) => request.headers[name] !== undefined) ? '1' : '0';
  }
  request.headers[SENT_PATH_HEADER] = (request.url ?? '/').split('?')[0];
  request.headers[SENT_METHOD_HEADER] = request.method ?? 'GET';
  if (request.headers.cookie !== undefined) request.headers.cookie = wellNamedCookies(request.headers.cookie);
  // The portal is APP_URL, whatever Host a proxy in front forwards or a client makes up: Next.js aborts
  // a server action (500) whose Origin differs from the forwarded host. proxy.ts has already refused
  // every POST whose Origin is not APP_URL.
  request.headers['x-forwarded-host'] = APP_HOST;
  // Next.js fetches the page an action redirects to from this very listener, over the protocol named
  // here: it speaks plain HTTP, whatever a client or the TLS proxy in front says (https made each such
  // fetch fail and log an error, and the browser ask again).
  request.headers['x-forwarded-proto'] = 'http';
  // Next.js's page for an error in the root layout is a route of the build like any other: it answered
  // anyone with a 500 that a shared cache would keep for a year. No address of ours: the not-found page.
  if (NEXT_ERROR_PAGE.test(decodeURIComponent(request.headers[SENT_PATH_HEADER]))) request.url = NO_SUCH_PAGE;
  completeHeaders(request, response);
  seeOtherAfterPost(request, response);
  answerFormRefusalWithPage(request, response);
  pagesInMemory.answerNotFound(request, response);
  // The request's scope, which the app marks when the database fails it.
  const scope = { requestId };
  answerDatabaseUnavailable(request, response, scope);
  const run = () => runInRequestScope(scope, () => handle(request, response));
  const busy = () => refuseAsBusy(request, response);
  const pathname = (request.url ?? '').split('?')[0];
  if (PROBES.has(pathname)) {
    if (answerProbe(pathname, request, response)) return;
    // A probe reads no session: whatever cookies come with it are no work of Next.js's.
    delete request.headers.cookie;
    if (!probeAdmission.admit(response, run, ip, busy, request.socket)) busy();
    return;
  }
  if (madeByTheApp || pagesInMemory.isOwnFetch(request)) return run();
  // A place in the app, now or in the waiting line; refused with 503 when the line is full, now or
  // later to make room for someone else (lib/runtime/admission.mjs).
  if (!admission.admit(response, run, ip, busy, request.socket)) busy();
}

/**
 * Answers a probe here, as /api/live and /api/ready (lib/runtime/readiness-answer.ts) say: liveness
 * at once, readiness from one check at a time, whatever the number asking. False when Next.js must
 * answer: the app is not up yet, or the method is not a read.
 * @param {string} pathname
 * @param {import('node:http').IncomingMessage} request
 * @param {import('node:http').ServerResponse} response
 */
function answerProbe(pathname, request, response) {
  const runtime = globalThis.portalRuntime;
  if (!runtime?.summary || (request.method !== 'GET' && request.method !== 'HEAD')) return false;
  /** @param {{ status: number, body: Record<string, unknown> }} report */
  const send = ({ status, body }) => {
    const text = JSON.stringify(body);
    response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
    response.end(request.method === 'HEAD' ? undefined : text);
  };
  if (pathname === '/api/live') {
    send({ status: 200, body: { status: 'ok' } });
    return true;
  }
  readinessRunning ??= runtime.readiness().finally(() => {
    readinessRunning = null;
  });
  readinessRunning.then(send, (error) => {
    logger.error({ event: 'probe.readiness_failed', ...errorFields(error) });
    send({ status: 503, body: { status: 'not-ready' } });
  });
  return true;
}

const SLOW_BODY_MESSAGE = 'Request Timeout: the form took too long to arrive. Check your connection and send it again.';

function refuseAsBusy(request, response) {
  response.setHeader('Retry-After', '5');
  refuse(request, response, [503, BUSY_MESSAGE]);
}

// A backstop behind the body deadline: no request, headers and body together, takes longer than this.
// Node.js checks both only every `connectionsCheckingInterval` (30 s by default, which let a slow
// request run for up to a minute): every 5 s, the backstop holds within 5 s.
const server = createServer({ headersTimeout: 20_000, requestTimeout: 30_000, connectionsCheckingInterval: 5_000 }, serve);
// Behind a proxy (TRUSTED_PROXY_HOPS), an idle keep-alive connection stays open 65 s, not Node.js's 5: the proxy keeps its
// connections to an instance for about a minute (60 s is common), and a connection the instance closes first may be the
// one a request is already on its way over, which the proxy answers 502. Longer than the proxy's, so the proxy is the one
// that closes an idle connection. Facing clients directly, Node.js's default stays: idle connections count against each
// address's share of connections (below), 11 times as long at 65 s, and a browser sends an idempotent request again on
// a connection closed under it (review r44h F2). A shutdown closes idle connections either way.
if (trustedProxyHops > 0) server.keepAliveTimeout = 65_000;
// Connections, whatever comes on them. One that sends nothing at all is no request, and the
// timeouts above start only at its first byte: 20,000 such connections held every file descriptor
// and the instance answered no one, probes included. So a connection that has sent no request
// within 20 s is closed (after one, the request and keep-alive timeouts take over); the instance
// holds at most MAX_CONNECTIONS (far below the descriptors a host allows it), and one client
// address a share of them (unless a proxy in front is the only peer there is).
// Node.js closes a connection past its own limit before anyone sees it: that limit sits a little
// above ours, so a newcomer from a lighter address reaches the check below and makes room.
server.maxConnections = MAX_CONNECTIONS + 64;
/** Open connections by peer address. @type {ReturnType<typeof createFairShares<import('node:net').Socket>>} */
const connections = createFairShares();
server.on('connection', (socket) => {
  const silent = setTimeout(() => socket.destroy(), FIRST_REQUEST_WITHIN_MS).unref();
  socket.once('close', () => clearTimeout(silent));
  waitingForFirstRequest.set(socket, silent);
  if (trustedProxyHops > 0) return;
  const peer = clientAddress(socket.remoteAddress ?? 'unknown');
  if (connections.countOf(peer) >= MAX_CONNECTIONS_PER_PEER) return socket.destroy();
  // Sixteen addresses at their share hold every connection: the heaviest gives up its newest. Thousands holding
  // one each: the oldest connection of an address holding more than the newcomer's that awaits no answer goes
  // (review r45d F1): silent, idle between requests (a cheap request first must not make one unmovable, r45e F1),
  // or still sending a request's head; a browser opens another for its next request.
  if (connections.size() >= MAX_CONNECTIONS) {
    const pushedOut = connections.pushOutFor(peer) ?? connections.pushOutOldestFor(peer, awaitsNoAnswer);
    if (!pushedOut) return socket.destroy();
    pushedOut.destroy();
  }
  connections.add(peer, socket);
  socket.once('close', () => connections.release(peer, socket));
});
// The portal speaks no other protocol. Next.js leaves an upgrade to a path it does not serve open
// (for a WebSocket server of the app's own), outside every timeout, limit and log: a few thousand
// of them held the instance's every file descriptor, for good. Refused at once, and closed; in
// development Next.js's own live reload keeps its socket.
server.on('upgrade', (request, socket) => {
  requestArrived(request);
  if (dev && (request.url ?? '').startsWith('/_next/webpack-hmr')) return;
  logger.info({ event: 'http.upgrade_refused', path: redactPath(request.url ?? '/'), peer: socket.remoteAddress });
  socket.on('error', () => {});
  socket.end(answerOnSocket('400 Bad Request', 'Bad Request: this service does not upgrade connections.\n'), () => socket.destroy());
});
// What Node.js's parser refuses itself (a malformed head, headers over 16 KB, no Host, a head too
// slow) never reaches serve(): one line each here, so a scanner leaves a trace, and the answer
// Node.js would give.
const PARSER_REFUSALS = { HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large', ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout' };
server.on('clientError', (error, socket) => {
  const code = /** @type {{ code?: string }} */ (error).code ?? 'unknown';
  logger.info({ event: 'http.refused_by_parser', parserError: code, peer: socket.remoteAddress });
  if (code === 'ECONNRESET' || !socket.writable) return socket.destroy();
  const status = PARSER_REFUSALS[/** @type {keyof typeof PARSER_REFUSALS} */ (code)] ?? '400 Bad Request';
  socket.end(answerOnSocket(status));
});
/**
 * An answer written straight on the socket, where Node.js has no response to give (an upgrade, a head
 * its parser refused): the security headers of every other answer, and the connection closed after it.
 */
function answerOnSocket(status, body = '') {
  const headers = {
    ...(body && { 'Content-Type': 'text/plain; charset=utf-8' }),
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    ...SECURITY_HEADERS_OF_EVERY_ANSWER,
    Connection: 'close',
  };
  return `HTTP/1.1 ${status}\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n${body}`;
}
// A client that waits for "100 Continue" before sending its body gets the refusal instead.
server.on('checkContinue', (request, response) => {
  requestArrived(request);
  const refusal = edgeRefusal(request);
  if (!refusal) {
    response.writeContinue();
    return serve(request, response);
  }
  const requestId = randomUUID();
  response.setHeader('X-Request-Id', requestId);
  observeRequest(request, response, { requestId, clientIp: clientIp(request) });
  // A client told to wait for "100 Continue" may never send its body.
  refuse(request, response, refusal, { closeConnection: true });
});
// An expectation other than "100-continue" cannot be met (RFC 9110, 10.1.1): Node.js answered it with a
// bare 417 of its own, without the security headers, request id or access line of every other answer.
server.on('checkExpectation', (request, response) => {
  requestArrived(request);
  const requestId = randomUUID();
  response.setHeader('X-Request-Id', requestId);
  observeRequest(request, response, { requestId, clientIp: clientIp(request) });
  refuse(request, response, [417, 'Expectation Failed: this service meets no expectation but "100-continue".'], { closeConnection: true });
});
installGracefulShutdown(server);
startMetricsServer(port);
listen(server, port, hostname, async () => {
  // Next.js loads the app (and runs instrumentation.ts, which checks the environment and the
  // database) at its first request, not in prepare(): ask for the liveness probe, then decide.
  await askSelf(hostname, port, '/api/live');
  const runtime = await refuseToServeIfUnfit();
  if (runtime?.summary) logger.info({ event: 'server.started', ...runtime.summary });
  logger.info({ event: 'server.listening', url: `http://${hostname === '0.0.0.0' ? 'localhost' : hostname}:${port}` });
  if (dev) return;
  for (const pathname of PAGES_SERVED_FROM_MEMORY) void pagesInMemory.keepPrerendered(pathname);
  void pagesInMemory.keepNotFound();
  for (const { pathname, ...options } of LIVE_PAGES_SERVED_FROM_MEMORY) pagesInMemory.keepLive(pathname, options);
});
