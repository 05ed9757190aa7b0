import { errorFields, logger } from '@/lib/observability/logger.mjs';

// server.mjs overwrites these private headers on every request, whatever a client sent, so
// the app may believe them: the address it trusts (the TCP peer, or the hop TRUSTED_PROXY_HOPS
// asks for) and a fresh request id, which it also sends back as X-Request-Id.
export const CLIENT_IP_HEADER = 'x-portal-client-ip';
export const REQUEST_ID_HEADER = 'x-portal-request-id';
// And the path as the client sent it: Next.js hands the app a normalised one ("/x.rsc" becomes a
// router request for "/x").
export const SENT_PATH_HEADER = 'x-portal-sent-path';
// And the method the client sent: the page an action redirects to, which Next.js fetches with the
// action's own headers, is a GET all the same.
export const SENT_METHOD_HEADER = 'x-portal-sent-method';
// And whether the request came through a proxy the portal was not told of (TRUSTED_PROXY_HOPS 0).
export const UNTOLD_PROXY_HEADER = 'x-portal-untold-proxy';

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

function privateHeader(headerBag: HeaderBag, name: string): string | undefined {
  const value = headerBag instanceof Headers ? headerBag.get(name) : headerBag[name];
  return (Array.isArray(value) ? value[0] : value) ?? undefined;
}

export function clientIpFrom(headerBag: HeaderBag): string {
  const ip = privateHeader(headerBag, CLIENT_IP_HEADER);
  return ip && ip.length <= 64 ? ip : 'unknown';
}

/**
 * Whether the request names a proxy the portal was not told of, so that its address (a loopback one,
 * for a proxy on this machine) is the proxy's. Served some other way than by server.mjs: taken to.
 */
export function cameThroughAnUntoldProxy(headerBag: HeaderBag): boolean {
  return privateHeader(headerBag, UNTOLD_PROXY_HEADER) !== '0';
}

/**
 * The request id server.mjs stamped, or null. Served some other way (a bare `next start`) the
 * header is whatever a client sent: the shape check keeps such a value out of logs and records.
 */
export function requestIdFrom(headerBag: HeaderBag): string | null {
  const id = privateHeader(headerBag, REQUEST_ID_HEADER);
  return id && /^[A-Za-z0-9-]{1,64}$/.test(id) ? id : null;
}

export type RequestContext = { requestId: string | null; ip: string };

type RequestContextSource = () => Promise<RequestContext | null>;

// Kept on globalThis: the bundler may give each route its own copy of this module.
const holder = globalThis as unknown as { portalRequestContextSource?: RequestContextSource };

/**
 * Set once by the entry-point kit (lib/auth/guards.ts), the layer that knows Next.js's request
 * APIs, so that this module, and the audit log below it, load in scripts and test runners too.
 */
export function provideRequestContext(source: RequestContextSource): void {
  holder.portalRequestContextSource = source;
}

/**
 * The id and client address of the request being served (server components, server actions,
 * route handlers), or null outside one: scripts, the mail worker, tests.
 */
export async function currentRequestContext(): Promise<RequestContext | null> {
  return (await holder.portalRequestContextSource?.()) ?? null;
}

/** An error log line that names the request it happened in, when there is one. */
export async function logRequestError(message: string, error: unknown, requestId?: string | null): Promise<void> {
  const id = requestId === undefined ? (await currentRequestContext())?.requestId : requestId;
  logger.error({ event: 'request.error', where: message, ...(id && { requestId: id }), ...errorFields(error) });
}
