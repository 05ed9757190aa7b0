import { revalidatePath } from 'next/cache';
import { db } from '@/lib/db/client';
import { logRequestError } from '@/lib/http/request-context';
import { announceDueMaintenance } from '@/lib/status/announce-due-maintenance';
import { fanOutAfterResponse } from '@/lib/status/fan-out-after-response';
import { getStatusOverview, toStatusSummary } from '@/lib/status/get-status-overview';
import { memoize } from '@/lib/status/memo';

export const dynamic = 'force-dynamic';

const NO_STORE = { 'Cache-Control': 'no-store' };

// Polled by every open Unavailable page and the guide's live check: one read per second per
// instance at most. The same read notices windows that started or ended by the clock.
const currentSummary = memoize(1000, async () => {
  const now = new Date();
  if ((await announceDueMaintenance(db(), now)) > 0) {
    revalidatePath('/status');
    fanOutAfterResponse();
  }
  return toStatusSummary(await getStatusOverview(db(), now));
});

/** The public status at a glance (StatusSummary). Stays up during maintenance; never cached. */
export async function GET() {
  try {
    return Response.json(await currentSummary(), { headers: NO_STORE });
  } catch (error) {
    await logRequestError('status summary failed', error);
    return Response.json({ error: 'UNAVAILABLE', message: 'The status is not available right now.' }, { status: 503, headers: NO_STORE });
  }
}
