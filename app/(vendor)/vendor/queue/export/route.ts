import { defineRoute } from '@/lib/auth/guards';
import { attachment } from '@/lib/http/attachment';
import { exportQueue } from '@/lib/super-admin/export-queue';
import { VERIFIER_ACCESS } from '@/lib/super-admin/verifier-guard';
import { searchTextSchema } from '@/lib/validation/search-text';

export const dynamic = 'force-dynamic';

/** The current view of the queue as CSV, for the vendor's records. */
export const GET = defineRoute('super-admin-queue-export', VERIFIER_ACCESS, async (actor, request, { ip }) => {
  const day = new Date().toISOString().slice(0, 10);
  const headers = { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': attachment(`super-admin-requests-${day}.csv`), 'Cache-Control': 'no-store' };
  // Next.js answers HEAD with GET: an export audited as taken must not be made for a request that takes nothing (review r42c F1).
  if (request.method === 'HEAD') return new Response(null, { headers });
  const url = new URL(request.url);
  const csv = await exportQueue(
    actor,
    { view: url.searchParams.get('view') ?? undefined, q: searchTextSchema.parse(url.searchParams.get('q') ?? undefined) },
    ip,
  );
  return new Response(csv, { headers });
});
