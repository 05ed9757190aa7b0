import { redactPath } from '@/lib/http/redact-path.mjs';

// Runs once when a server instance starts: checks that it may serve (production), then starts
// the in-process mail worker (several instances may each run one; claiming is atomic;
// MAIL_WORKER=off leaves delivery to `npm run mail:worker`) and the 30 s status round.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startInstance } = await import('@/lib/runtime/start-instance');
  await startInstance();
  const { provideDatabaseGauges } = await import('@/lib/observability/read-database-figures');
  provideDatabaseGauges();
}

/** Every error a page, action or route throws, logged once with the request id and the digest the person sees. */
export async function onRequestError(
  error: unknown,
  request: { path: string; method: string; headers: Record<string, string | string[] | undefined> },
) {
  // The logger is Node.js only, and Next.js also builds this file for the edge runtime: imported here, it stays out of that build.
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { errorFields, logger } = await import('@/lib/observability/logger.mjs');
  const { requestIdFrom } = await import('@/lib/http/request-context');
  const digest = (error as { digest?: string }).digest;
  const requestId = requestIdFrom(request.headers);
  logger.error({
    event: 'request.failed',
    ...(requestId && { requestId }),
    method: request.method,
    path: redactPath(request.path),
    digest: digest ?? null,
    ...errorFields(error),
  });
}
