import { defineRoute } from '@/lib/auth/guards';
import { csvDownload } from '@/lib/http/attachment';
import { exportQueue } from '@/lib/super-admin/export-queue';
import { VERIFIER_ACCESS } from '@/lib/super-admin/verifier-guard';
import { searchTextSchema } from '@/lib/validation/search-text';

export const dynamic = 'force-dynamic';

/** The current view of the queue as CSV, for the vendor's records. */
export const GET = defineRoute('super-admin-queue-export', VERIFIER_ACCESS, async (actor, request, { ip }) =>
  csvDownload(request, `super-admin-requests-${new Date().toISOString().slice(0, 10)}.csv`, () => {
    const url = new URL(request.url);
    return exportQueue(actor, { view: url.searchParams.get('view') ?? undefined, q: searchTextSchema.parse(url.searchParams.get('q') ?? undefined) }, ip);
  }),
);
