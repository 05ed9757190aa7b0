import { redactPath } from '@/lib/http/redact-path.mjs';
import { requestIdFrom } from '@/lib/http/request-context';

// Runs once when a server instance starts: the in-process mail worker (several instances
// may each run one; claiming is atomic; MAIL_WORKER=off leaves delivery to `npm run mail:worker`)
// and the announcer of maintenance windows that start or end by the clock.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startServerMailWorker } = await import('@/lib/mail/server-worker');
  const { startMaintenanceAnnouncer } = await import('@/lib/status/maintenance-announcer');
  startServerMailWorker();
  startMaintenanceAnnouncer();
}

/** Every error a page, action or route throws, logged once with the request id and the digest the person sees. */
export async function onRequestError(
  error: unknown,
  request: { path: string; method: string; headers: Record<string, string | string[] | undefined> },
) {
  const digest = (error as { digest?: string }).digest;
  console.error(
    `request failed: ${request.method} ${redactPath(request.path)} (request id ${requestIdFrom(request.headers) ?? 'none'}, digest ${digest ?? 'none'})`,
    error,
  );
}
