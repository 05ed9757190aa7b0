import type { Metadata } from 'next';
import Link from 'next/link';
import { Field } from '@/components/ui/field';
import { requirePageActor } from '@/lib/auth/guards';
import { firstValues, type PageSearchParams } from '@/lib/http/search-params';
import { formatWhen } from '@/lib/mail/templates/super-admin-shared';
import { listQueue, MAX_QUEUE_ROWS, parseQueueView, type QueueView } from '@/lib/super-admin/list-queue';
import { STATE_LABEL } from '@/lib/super-admin/state-words';
import { VERIFIER_ACCESS } from '@/lib/super-admin/verifier-guard';
import { searchTextSchema } from '@/lib/validation/search-text';
import styles from './queue.module.css';

export const metadata: Metadata = { title: 'Verification queue' };

const TABS: { view: QueueView; label: string }[] = [
  { view: 'open', label: 'All open' },
  { view: 'SUBMITTED', label: STATE_LABEL.SUBMITTED },
  { view: 'IN_REVIEW', label: STATE_LABEL.IN_REVIEW },
  { view: 'NEEDS_INFO', label: STATE_LABEL.NEEDS_INFO },
  { view: 'VERIFIED', label: 'Awaiting approval' },
  { view: 'APPROVED', label: 'Approved' },
  { view: 'closed', label: 'Closed' },
];

function queueHref(view: QueueView, q?: string) {
  const params = new URLSearchParams({ ...(view !== 'open' ? { view } : {}), ...(q ? { q } : {}) });
  const query = params.toString();
  return query ? `/vendor/queue?${query}` : '/vendor/queue';
}

export default async function QueuePage({ searchParams }: { searchParams: PageSearchParams }) {
  const actor = await requirePageActor(VERIFIER_ACCESS, '/vendor/queue');
  const params = await firstValues(searchParams);
  const view = parseQueueView(params.view);
  const q = searchTextSchema.parse(params.q);
  const rows = await listQueue(actor, { view, q });

  return (
    <div className={styles.wide}>
      <p>
        <Link href="/vendor">Vendor workspace</Link>
      </p>
      <h1>Super administrator reset requests</h1>
      <p>
        Open requests are listed oldest first, those that match an administrator’s account before those that match none. Call back only the agency’s phone number <strong>on record</strong>, never a
        number typed in a request. You never see or send a password or a link: the system mails the link after a second
        verifier approves.
      </p>
      <nav aria-label="Requests by state">
        <ul className={styles.tabs}>
          {TABS.map((tab) => (
            <li key={tab.view}>
              <Link href={queueHref(tab.view, q)} aria-current={tab.view === view ? 'page' : undefined}>
                {tab.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <form className={styles.search} method="get" action="/vendor/queue" role="search">
        {view !== 'open' && <input type="hidden" name="view" value={view} />}
        <Field name="q" label="Find a request" hint="Reference, provider code, login name, name or agency" defaultValue={q} type="search" />
        <button className="button secondary" type="submit">
          Search
        </button>
      </form>
      {rows.length >= MAX_QUEUE_ROWS && (
        <p className="notice warning" data-testid="rows-left-out">
          Only the first {MAX_QUEUE_ROWS} requests are shown here; there are more. Search for a reference, a provider code or a
          name, or pick a state, to find the others.
        </p>
      )}
      {rows.length === 0 ? (
        <p className="notice">No requests here.</p>
      ) : (
        <div className={styles.tableWrap}>
          <table className={`${styles.table} stack-table`}>
            <caption className="visually-hidden">Requests, {view === 'closed' ? 'most recent first' : 'oldest first'}</caption>
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">State</th>
                <th scope="col">{view === 'closed' ? 'Submitted' : 'Waiting'}</th>
                <th scope="col">Provider code and login name typed</th>
                <th scope="col">Account on record</th>
                <th scope="col">Claimed by</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  <td data-label="Reference" className={styles.nowrap}>
                    <Link href={`/vendor/queue/${row.id}`}>{row.reference}</Link>
                    {row.repeatCount > 0 && (
                      <span className="muted">
                        {' '}
                        · sent {row.repeatCount + 1} times
                      </span>
                    )}
                  </td>
                  <td data-label="State">
                    <span className={styles.tag}>{row.stateLabel}</span>
                  </td>
                  <td data-label={view === 'closed' ? 'Submitted' : 'Waiting'}>
                    {view === 'closed' ? (
                      formatWhen(row.submittedAt)
                    ) : (
                      <span className={`${styles.tag} ${row.urgency === 'normal' ? '' : styles[row.urgency]}`}>
                        {row.waited}
                        {row.urgency === 'aging' && ' · over a day'}
                        {row.urgency === 'overdue' && ' · overdue'}
                      </span>
                    )}
                  </td>
                  <td data-label="Provider code and login name typed">
                    {row.providerCode} / {row.loginName}
                  </td>
                  <td data-label="Account on record">{row.matchesAdmin ? row.agencyName : <span className={styles.no}>No matching administrator</span>}</td>
                  <td data-label="Claimed by">{row.claimedBy ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p style={{ marginTop: '1.5rem' }}>
        <a href={`/vendor/queue/export?${new URLSearchParams({ view, ...(q ? { q } : {}) })}`}>Download this list as CSV</a>
      </p>
    </div>
  );
}
