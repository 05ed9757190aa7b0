import { headers } from 'next/headers';
import { clientIpFrom } from '@/lib/http/request-context';

export { CLIENT_IP_HEADER, clientIpFrom } from '@/lib/http/request-context';

/** The client address of the current request (server components and server actions). */
export async function requestClientIp(): Promise<string> {
  return clientIpFrom(await headers());
}
