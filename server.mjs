// Serves the Next.js app and stamps each request with the client address the app may
// trust. Next.js keeps any X-Forwarded-For a client sends, so rate limits and audit
// records would otherwise believe whatever address a client claims.
import { request as httpRequest, createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import next from 'next';
import { CSP_HEADER, newNonce, noncePolicy } from './lib/security/content-security-policy.mjs';

const CLIENT_IP_HEADER = 'x-portal-client-ip';
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? '0.0.0.0';
const trustedProxyHops = Number(process.env.TRUSTED_PROXY_HOPS ?? 0);
const dev = process.argv.includes('--dev');

// The sign-in guide: prerendered, the same for everyone, open during maintenance, and the page
// every staff member opens at once when sign-in breaks. Each instance keeps the exact answer
// Next.js gives for it (fetched from itself once at start) and sends that from memory (marked
// X-Portal-From-Memory), without the per-request page machinery. Client-side navigations (RSC requests) still go to Next.js.
// (/help stays up during maintenance, so skipping proxy.ts changes nothing for it.)
const PAGES_SERVED_FROM_MEMORY = ['/help'];
const FROM_MEMORY_HEADER = 'X-Portal-From-Memory';
const ROUTER_HEADERS = ['rsc', 'next-router-prefetch', 'next-router-state-tree', 'next-router-segment-prefetch', 'next-action'];
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date', 'content-length', 'content-encoding']);
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
    answer.on('error', (error) => console.warn(`portal: ${pathname} is left to Next.js (${error.message})`));
    answer.on('end', () => {
      const cacheControl = String(answer.headers['cache-control'] ?? '');
      // Next.js marks a page built once and never revalidated with a year-long s-maxage alone;
      // an answer that sets a cookie is someone's, not everyone's.
      const sameForEveryone = answer.headers['x-nextjs-prerender'] && cacheControl === 's-maxage=31536000' && !answer.headers['set-cookie'];
      if (answer.statusCode !== 200 || !sameForEveryone) {
        console.warn(`portal: ${pathname} is left to Next.js (answered ${answer.statusCode}, Cache-Control "${cacheControl}")`);
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
  fetched.on('error', (error) => console.warn(`portal: ${pathname} is left to Next.js (${error.message})`));
  fetched.end();
}

// Script nonce of answers rendered for this request: Next.js reads it from the request's policy
// and puts it on every script it writes; the answer then gets the same policy. An answer that
// brings its own policy keeps it: a prerendered page (hashes of exactly its inline scripts, added
// by lib/security/prerendered-page-cache.mjs) and the Unavailable page (proxy.ts). Which answer
// is prerendered is known only once Next.js has routed the request (an unknown URL gets the
// prerendered 404 page), so this is decided when the head is written, not in proxy.ts.
function useScriptNonce(request, response) {
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

createServer((request, response) => {
  if (answerFromMemory(request, response)) return;
  request.headers[CLIENT_IP_HEADER] = clientIp(request);
  useScriptNonce(request, response);
  handle(request, response);
}).listen(port, hostname, () => {
  console.log(`portal: listening on http://${hostname === '0.0.0.0' ? 'localhost' : hostname}:${port}`);
  if (!dev) for (const pathname of PAGES_SERVED_FROM_MEMORY) keepInMemory(pathname);
});
