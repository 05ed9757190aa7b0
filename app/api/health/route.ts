import { defineRoute, PUBLIC } from '@/lib/auth/guards';
import { db } from '@/lib/db/client';

export const dynamic = 'force-dynamic';

/** Liveness for the guide's connection check and for load balancers; never cached. */
export const GET = defineRoute('health', PUBLIC, async () => {
  const headers = { 'Cache-Control': 'no-store' };
  try {
    await db().$queryRawUnsafe('SELECT 1');
    return Response.json({ status: 'ok', time: new Date().toISOString() }, { headers });
  } catch {
    return Response.json({ status: 'degraded', database: 'unreachable' }, { status: 503, headers });
  }
});
