import { formatDateTime } from '@/lib/format/date';
import type { Metadata } from 'next';
import Link from 'next/link';
import { AdminNav } from '@/components/admin/admin-nav';
import { SelectField } from '@/components/ui/field';
import { StackTable } from '@/components/ui/stack-table';
import { ADMIN_ACCESS } from '@/lib/admin/access';
import { auditQuerySchema, listAgencyAudit, namesForAudit } from '@/lib/admin/list-agency-audit';
import { AUDIT_ACTION_LABELS, auditActionLabel } from '@/lib/audit/action-labels';
import { requirePageActor } from '@/lib/auth/guards';
import { firstValues, type PageSearchParams } from '@/lib/http/search-params';

export const metadata: Metadata = { title: 'Audit log' };

const EVENT_OPTIONS = [
  { value: '', label: 'All events' },
  ...Object.entries(AUDIT_ACTION_LABELS)
    .sort(([, a], [, b]) => a.localeCompare(b, 'en'))
    .map(([value, label]) => ({ value, label })),
];

export default async function AuditPage({ searchParams }: { searchParams: PageSearchParams }) {
  const actor = await requirePageActor(ADMIN_ACCESS, '/admin/audit');
  const query = auditQuerySchema.parse(await firstValues(searchParams));
  const { events, hasNextPage } = await listAgencyAudit(actor, query);
  const names = await namesForAudit(actor, events.flatMap((e) => [e.actorId, e.targetId]));
  const params = { ...(query.action ? { action: query.action } : {}), ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}) };
  const link = (page: number) => `/admin/audit?${new URLSearchParams({ ...params, page: String(page) })}`;
  return (
    <div className="wide-content">
      <AdminNav actor={actor} current="/admin/audit" />
      <h1>Audit log</h1>
      <form method="get" className="filters">
        <SelectField name="action" label="Event" defaultValue={query.action ?? ''} options={EVENT_OPTIONS} />
        <div className="field">
          <label htmlFor="from">From</label>
          <input id="from" name="from" type="date" defaultValue={query.from ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="to">To</label>
          <input id="to" name="to" type="date" defaultValue={query.to ?? ''} />
        </div>
        <button className="button" type="submit">
          Filter
        </button>
        <a className="button secondary" href={`/admin/audit/export?${new URLSearchParams(params)}`} download>
          Download CSV
        </a>
      </form>
      <StackTable
        rows={events}
        rowKey={(event) => event.seq}
        columns={[
          { label: 'When', cell: (event) => formatDateTime(event.createdAt, actor.agencyTimeZone) },
          { label: 'Who', cell: (event) => names.get(event.actorId ?? '') ?? event.actorType.toLowerCase() },
          { label: 'Event', cell: (event) => auditActionLabel(event.action) },
          { label: 'Account', cell: (event) => (event.targetId ? (names.get(event.targetId) ?? '—') : '—') },
          { label: 'Outcome', cell: (event) => event.outcome.toLowerCase() },
          { label: 'Address', cell: (event) => event.ip ?? '—' },
        ]}
      />
      <nav className="pagination" aria-label="Pages">
        {query.page > 1 && <Link href={link(query.page - 1)}>Newer</Link>}
        {hasNextPage && <Link href={link(query.page + 1)}>Older</Link>}
      </nav>
    </div>
  );
}
