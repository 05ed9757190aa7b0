import { checkReadiness } from '@/lib/runtime/check-readiness';

export type ReadinessReport = { status: 200 | 503; body: Record<string, unknown> };

/** What /api/ready and its alias /api/health say: 200 when this instance can serve sign-ins, 503 with the failing check. */
export async function readinessReport(): Promise<ReadinessReport> {
  const { ready, ...checks } = await checkReadiness();
  return { status: ready ? 200 : 503, body: { status: ready ? 'ok' : 'not-ready', ...checks, time: new Date().toISOString() } };
}

/** The answer of /api/ready and its alias /api/health when Next.js gives it (server.mjs answers them itself once the app is up); never cached. */
export async function readinessAnswer(): Promise<Response> {
  const { status, body } = await readinessReport();
  return Response.json(body, { status, headers: { 'Cache-Control': 'no-store' } });
}
