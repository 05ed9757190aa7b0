import { ADMIN_ACCESS } from '@/lib/admin/access';
import { auditQuerySchema, EXPORT_BUSY, exportAgencyAuditCsv } from '@/lib/admin/list-agency-audit';
import { defineRoute } from '@/lib/auth/guards';
import { csvDownload } from '@/lib/http/attachment';
import { firstValuesOf } from '@/lib/http/search-params';

export const dynamic = 'force-dynamic';

export const GET = defineRoute('admin-audit-export', ADMIN_ACCESS, async (actor, request, { ip }) =>
  csvDownload(request, `audit-${actor.agencyCode}-${new Date().toISOString().slice(0, 10)}.csv`, async () => {
    // Each field's first value, as the page reads it, so the file holds what the page showed.
    const query = auditQuerySchema.parse(firstValuesOf(new URL(request.url).searchParams));
    const csv = await exportAgencyAuditCsv(actor, query, ip);
    if (csv !== EXPORT_BUSY) return csv;
    return new Response('Another audit export is being prepared on this server. Try again in a minute.\n', {
      status: 503,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '30', 'Cache-Control': 'no-store' },
    });
  }),
);
