import { defineRoute, PUBLIC } from '@/lib/auth/guards';
import { pingDatabase } from '@/lib/db/ping';

export const dynamic = 'force-dynamic';

/** Liveness for the guide's connection check and for load balancers; never cached. */
export const GET = defineRoute('health', PUBLIC, async () => {
  const headers = { 'Cache-Control': 'no-store' };
  try {
    await pingDatabase();
    return Response.json({ status: 'ok', time: new Date().toISOString() }, { headers });
  } catch {
    return Response.json({ status: 'degraded', database: 'unreachable' }, { status: 503, headers });
  }
});
