import { defineRoute, PUBLIC } from '@/lib/auth/guards';

export const dynamic = 'force-dynamic';

/**
 * Liveness: the process answers. Never touches the database, so a database outage does not make
 * an orchestrator restart every instance (the guide and status page serve without it).
 */
export const GET = defineRoute('live', PUBLIC, async () =>
  Response.json({ status: 'ok' }, { headers: { 'Cache-Control': 'no-store' } }),
);
