import { ADMIN_ACCESS } from '@/lib/admin/access';
import { auditQuerySchema, exportAgencyAuditCsv } from '@/lib/admin/list-agency-audit';
import { defineRoute } from '@/lib/auth/guards';

export const dynamic = 'force-dynamic';

export const GET = defineRoute('admin-audit-export', ADMIN_ACCESS, async (actor, request) => {
  // Each field's first value, as the page reads it (firstValues), so the file holds what the page showed.
  const params = new URL(request.url).searchParams;
  const query = auditQuerySchema.parse(Object.fromEntries([...new Set(params.keys())].map((name) => [name, params.get(name)!])));
  const csv = await exportAgencyAuditCsv(actor, query);
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="audit-${actor.agencyCode}-${new Date().toISOString().slice(0, 10)}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
});
