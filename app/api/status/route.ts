import { defineRoute, PUBLIC } from '@/lib/auth/guards';
import { logRequestError } from '@/lib/http/request-context';
import { COPY_UNTIL_HEADER } from '@/lib/runtime/copy-until.mjs';
import { getStatusOverview, nextChangeByClock, toStatusSummary } from '@/lib/status/get-status-overview';
import { memoize } from '@/lib/status/memo';

export const dynamic = 'force-dynamic';

const NO_STORE = { 'Cache-Control': 'no-store' };

// Asked by every guide opened and polled by every open Unavailable page, yet mostly answered from
// server.mjs's copy (lib/runtime/pages-in-memory.mjs), rendered again after a change and when a
// window starts or ends (the copy-until header). Here, one read per second per instance at most.
// Only reads: the summary works state out by the clock.
const currentSummary = memoize(1000, async () => {
  const overview = await getStatusOverview();
  return { summary: toStatusSummary(overview), changesAt: nextChangeByClock(overview) };
});

/** The public status at a glance (StatusSummary). Stays up during maintenance; never cached. */
export const GET = defineRoute('status-summary', PUBLIC, async (_actor, _request, { requestId }) => {
  try {
    const { summary, changesAt } = await currentSummary();
    return Response.json(summary, { headers: changesAt ? { ...NO_STORE, [COPY_UNTIL_HEADER]: changesAt } : NO_STORE });
  } catch (error) {
    await logRequestError('status summary failed', error, requestId);
    return Response.json({ error: 'UNAVAILABLE', message: 'The status is not available right now.' }, { status: 503, headers: NO_STORE });
  }
});
