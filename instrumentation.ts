import { redactPath } from '@/lib/http/redact-path';
import { requestIdFrom } from '@/lib/http/request-context';

// Runs once when a server instance starts: checks that it may serve (production), then starts
// the in-process mail worker (several instances may each run one; claiming is atomic;
// MAIL_WORKER=off leaves delivery to `npm run mail:worker`) and the 30 s status round.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startInstance } = await import('@/lib/runtime/start-instance');
  await startInstance();
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
