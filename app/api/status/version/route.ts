import { defineRoute, PUBLIC } from '@/lib/auth/guards';
import { getStatusVersion } from '@/lib/status/get-status-version';

export const dynamic = 'force-dynamic';

const NO_STORE = { 'Cache-Control': 'no-store' };

/**
 * Polled twice a second by each instance's server.mjs (lib/runtime/pages-in-memory.mjs), which
 * renders its in-memory /status again when the number moves. One primary-key read; public, as it
 * says only that something on the public status page changed. The kit turns a database that is
 * away into a 503, and the instance keeps sending its last copy.
 */
export const GET = defineRoute('status-version', PUBLIC, async () => Response.json({ version: await getStatusVersion() }, { headers: NO_STORE }));
