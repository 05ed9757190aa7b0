import { defineRoute, PUBLIC } from '@/lib/auth/guards';
import { logRequestError } from '@/lib/http/request-context';
import { getStatusOverview, toStatusSummary } from '@/lib/status/get-status-overview';
import { memoize } from '@/lib/status/memo';

export const dynamic = 'force-dynamic';

const NO_STORE = { 'Cache-Control': 'no-store' };

// Polled by every open Unavailable page and the guide's live check: one read per second per
// instance at most. Only reads: windows that start or end by the clock are announced by the
// periodic round (lib/status/maintenance-announcer.ts); the summary works state out by the clock.
const currentSummary = memoize(1000, async () => toStatusSummary(await getStatusOverview()));

/** The public status at a glance (StatusSummary). Stays up during maintenance; never cached. */
export const GET = defineRoute('status-summary', PUBLIC, async (_actor, _request, { requestId }) => {
  try {
    return Response.json(await currentSummary(), { headers: NO_STORE });
  } catch (error) {
    await logRequestError('status summary failed', error, requestId);
    return Response.json({ error: 'UNAVAILABLE', message: 'The status is not available right now.' }, { status: 503, headers: NO_STORE });
  }
});
