import { headers } from 'next/headers';

// server.mjs overwrites this header on every request with the address it trusts
// (the TCP peer, or the hop TRUSTED_PROXY_HOPS asks for), so a client cannot forge it.
export const CLIENT_IP_HEADER = 'x-portal-client-ip';

export function clientIpFrom(headerBag: Headers | Record<string, string | string[] | undefined>): string {
  const value = headerBag instanceof Headers ? headerBag.get(CLIENT_IP_HEADER) : headerBag[CLIENT_IP_HEADER];
  const ip = Array.isArray(value) ? value[0] : value;
  return ip && ip.length <= 64 ? ip : 'unknown';
}

/** The client address of the current request (server components and server actions). */
export async function requestClientIp(): Promise<string> {
  return clientIpFrom(await headers());
}
