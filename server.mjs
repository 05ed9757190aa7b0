// Serves the Next.js app. Before Next.js sees a request it refuses what Next.js would answer
// with a 500 (an oversized body, a malformed path), and stamps the request with the client
// address the app may trust and a fresh request id. Next.js keeps any X-Forwarded-For a client
// sends, so rate limits and audit records would otherwise believe whatever address a client claims.
import { randomUUID } from 'node:crypto';
import { request as httpRequest, createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import next from 'next';
import { observeRequest } from './lib/observability/access-log.mjs';
import { logger, routeConsoleToLog, runInRequestScope } from './lib/observability/logger.mjs';
import { startMetricsServer } from './lib/observability/metrics-server.mjs';
import { CSP_HEADER, newNonce, noncePolicy } from './lib/security/content-security-policy.mjs';

// Private request headers the app trusts (lib/http/request-context.ts): always overwritten here.
const CLIENT_IP_HEADER = 'x-portal-client-ip';
const REQUEST_ID_HEADER = 'x-portal-request-id';
// The portal's forms carry a few KB; nothing it accepts comes near this.
const MAX_BODY_BYTES = 64 * 1024;
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? '0.0.0.0';
const trustedProxyHops = Number(process.env.TRUSTED_PROXY_HOPS ?? 0);
const dev = process.argv.includes('--dev');
// Next.js prints with console.*: its lines join the JSON log, so every line on stdout parses.
routeConsoleToLog();

// The sign-in guide: prerendered, the same for everyone, open during maintenance, and the page
// every staff member opens at once when sign-in breaks. Each instance keeps the exact answer
// Next.js gives for it (fetched from itself once at start) and sends that from memory (marked
// X-Portal-From-Memory), without the per-request page machinery. Client-side navigations (RSC requests) still go to Next.js.
// (/help stays up during maintenance, so skipping proxy.ts changes nothing for it.)
const PAGES_SERVED_FROM_MEMORY = ['/help'];
const FROM_MEMORY_HEADER = 'X-Portal-From-Memory';
const ROUTER_HEADERS = ['rsc', 'next-router-prefetch', 'next-router-state-tree', 'next-router-segment-prefetch', 'next-action'];
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date', 'content-length', 'content-encoding', 'x-request-id']);
/** @type {Map<string, { headers: [string, string][]; etag: string | undefined; body: Buffer; gzipped: Buffer }>} */
const pagesInMemory = new Map();

function clientIp(request) {
  const peer = request.socket.remoteAddress ?? 'unknown';
  if (trustedProxyHops === 0) return peer;
  // Each trusted proxy appends the address it saw: count back from the right.
  const hops = String(request.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  return hops[hops.length - trustedProxyHops] ?? peer;
}

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
  // Next.js decodes the path and answers 500 when that throws (/%E0%A4%A, /status/%).
  try {
    decodeURIComponent((request.url ?? '/').split('?')[0]);
  } catch {
    return [400, 'Bad Request: the address is not valid. Check the link or type the address again.'];
  }
  return null;
}

// How long a refused request's body is still read (and dropped) after the answer.
const LINGER_MS = 2000;

function refuse(request, response, [status, message], { expectedContinue = false } = {}) {
  const body = `${message}\n`;
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    // A client told to wait for "100 Continue" may never send its body: the stream cannot go on.
    ...(expectedContinue && { Connection: 'close' }),
  });
  if (expectedContinue) return response.end(request.method === 'HEAD' ? undefined : body);
  // The whole answer goes out now (its length is declared), but the response ends only once the
  // body is read and dropped: closing a socket with bytes unread resets the connection, and the
  // client may lose the answer before reading it. A body still coming after a moment is cut off.
  if (request.method !== 'HEAD') response.write(body);
  const cutOff = setTimeout(() => request.socket.destroy(), LINGER_MS).unref();
  request.once('end', () => {
    clearTimeout(cutOff);
    response.end();
  });
  request.resume();
}

function acceptsGzip(request) {
  return /\bgzip\b(?!\s*;\s*q\s*=\s*0(\.0*)?\s*(,|$))/i.test(String(request.headers['accept-encoding'] ?? ''));
}

/** Answers from memory when it can; false leaves the request to Next.js. */
function answerFromMemory(request, response) {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const page = pagesInMemory.get(request.url ?? '');
  if (!page || ROUTER_HEADERS.some((name) => name in request.headers)) return false;
  for (const [name, value] of page.headers) response.appendHeader(name, value);
  response.setHeader(FROM_MEMORY_HEADER, '1');
  if (page.etag && request.headers['if-none-match'] === page.etag) {
    response.writeHead(304).end();
    return true;
  }
  const body = acceptsGzip(request) ? page.gzipped : page.body;
  if (body === page.gzipped) response.setHeader('Content-Encoding', 'gzip');
  response.setHeader('Content-Length', body.length);
  response.writeHead(200).end(request.method === 'HEAD' ? undefined : body);
  return true;
}

/** Keeps Next.js's own answer for a page, if it is a prerendered one that never revalidates. */
function keepInMemory(pathname) {
  const host = hostname === '0.0.0.0' ? '127.0.0.1' : hostname;
  const fetched = httpRequest({ host, port, path: pathname, headers: { 'accept-encoding': 'identity' } }, (answer) => {
    const chunks = [];
    answer.on('data', (chunk) => chunks.push(chunk));
    answer.on('error', (error) => logger.warn({ event: 'server.page_not_kept_in_memory', path: pathname, reason: error.message }));
    answer.on('end', () => {
      const cacheControl = String(answer.headers['cache-control'] ?? '');
      // Next.js marks a page built once and never revalidated with a year-long s-maxage alone;
      // an answer that sets a cookie is someone's, not everyone's.
      const sameForEveryone = answer.headers['x-nextjs-prerender'] && cacheControl === 's-maxage=31536000' && !answer.headers['set-cookie'];
      if (answer.statusCode !== 200 || !sameForEveryone) {
        logger.warn({ event: 'server.page_not_kept_in_memory', path: pathname, status: answer.statusCode, cacheControl });
        return;
      }
      const body = Buffer.concat(chunks);
      const headers = [];
      for (let i = 0; i < answer.rawHeaders.length; i += 2) {
        if (!HOP_HEADERS.has(answer.rawHeaders[i].toLowerCase())) headers.push([answer.rawHeaders[i], answer.rawHeaders[i + 1]]);
      }
      // Sent gzipped or not by the request's Accept-Encoding: caches must know.
      const vary = headers.find(([name]) => name.toLowerCase() === 'vary');
      if (!vary) headers.push(['Vary', 'Accept-Encoding']);
      else if (!/\baccept-encoding\b/i.test(vary[1])) vary[1] += ', Accept-Encoding';
      const etag = answer.headers.etag;
      pagesInMemory.set(pathname, { headers, etag, body, gzipped: gzipSync(body) });
    });
  });
  fetched.on('error', (error) => logger.warn({ event: 'server.page_not_kept_in_memory', path: pathname, reason: error.message }));
  fetched.end();
}

// Script nonce of answers rendered for this request: Next.js reads it from the request's policy
// and puts it on every script it writes; the answer then gets the same policy. An answer that
// brings its own policy keeps it: a prerendered page (hashes of exactly its inline scripts, added
// by lib/security/prerendered-page-cache.mjs) and the Unavailable page (proxy.ts). Which answer
// is prerendered is known only once Next.js has routed the request (an unknown URL gets the
// prerendered 404 page), so this is decided when the head is written, not in proxy.ts.
function applyScriptNonce(request, response) {
  const policy = noncePolicy(newNonce(), { dev });
  request.headers[CSP_HEADER.toLowerCase()] = policy;
  const writeHead = response.writeHead;
  response.writeHead = function writeHeadWithPolicy(...args) {
    if (!response.hasHeader(CSP_HEADER) && /^text\/html\b/i.test(String(response.getHeader('content-type') ?? ''))) {
      response.setHeader(CSP_HEADER, policy);
    }
    return writeHead.apply(this, args);
  };
}

const app = next({ dev, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

function serve(request, response) {
  const requestId = randomUUID();
  response.setHeader('X-Request-Id', requestId);
  observeRequest(request, response, { requestId, clientIp: clientIp(request) });
  const refusal = edgeRefusal(request);
  if (refusal) return refuse(request, response, refusal);
  if (answerFromMemory(request, response)) return;
  request.headers[REQUEST_ID_HEADER] = requestId;
  request.headers[CLIENT_IP_HEADER] = clientIp(request);
  applyScriptNonce(request, response);
  runInRequestScope(requestId, () => handle(request, response));
}

const server = createServer(serve);
// A client that waits for "100 Continue" before sending its body gets the refusal instead.
server.on('checkContinue', (request, response) => {
  const refusal = edgeRefusal(request);
  if (!refusal) {
    response.writeContinue();
    return serve(request, response);
  }
  const requestId = randomUUID();
  response.setHeader('X-Request-Id', requestId);
  observeRequest(request, response, { requestId, clientIp: clientIp(request) });
  refuse(request, response, refusal, { expectedContinue: true });
});
startMetricsServer(port);
server.listen(port, hostname, () => {
  logger.info({ event: 'server.listening', url: `http://${hostname === '0.0.0.0' ? 'localhost' : hostname}:${port}` });
  if (!dev) for (const pathname of PAGES_SERVED_FROM_MEMORY) keepInMemory(pathname);
});
