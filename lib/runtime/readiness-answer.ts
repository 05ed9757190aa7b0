import { checkReadiness } from '@/lib/runtime/check-readiness';

/** The answer of /api/ready and its alias /api/health; never cached. */
export async function readinessAnswer(): Promise<Response> {
  const readiness = await checkReadiness();
  const { ready, ...checks } = readiness;
  return Response.json(
    { status: ready ? 'ok' : 'not-ready', ...checks, time: new Date().toISOString() },
    { status: ready ? 200 : 503, headers: { 'Cache-Control': 'no-store' } },
  );
}
