import { accountLock, isLocked } from '@/lib/auth/lockout';
import { formatDateTime } from '@/lib/format/date';
import type { Metadata } from 'next';
import Link from 'next/link';
import { AdminNav } from '@/components/admin/admin-nav';
import { ADMIN_ACCESS } from '@/lib/admin/access';
import { canAdmin } from '@/lib/admin/permissions';
import { HELP_INBOX_PEOPLE, helpInboxQuerySchema, listHelpRequests } from '@/lib/admin/help-requests';
import { SEARCH_MAX_LENGTH } from '@/lib/validation/search-text';
import { requirePageActor } from '@/lib/auth/guards';
import { firstValues, type PageSearchParams } from '@/lib/http/search-params';
import { ActionNotices } from '@/components/ui/action-notices';
import { DoneNotice } from '@/components/ui/done-notice';
import { HELP_INBOX_DONE, HELP_INBOX_GONE } from '@/lib/admin/console-done';
import { AccountActionForm } from '../users/[id]/account-action-form';
import { handleHelpRequestAction } from './actions';

export const metadata: Metadata = { title: 'Help requests' };

export default async function HelpRequestsPage({ searchParams }: { searchParams: PageSearchParams }) {
  const actor = await requirePageActor(ADMIN_ACCESS, '/admin/help-requests');
  const values = await firstValues(searchParams);
  const query = helpInboxQuerySchema.parse(values);
  const when = (date: Date | null) => (date ? formatDateTime(date, actor.agencyTimeZone) : '—');
  const { open, morePeopleWaiting, handled, noOtherAdministrator } = await listHelpRequests(actor, query);
  const pageLink = (page: number) => `/admin/help-requests?${new URLSearchParams({ ...(query.q ? { q: query.q } : {}), page: String(page) })}`;
  return (
    <div className="wide-content">
      <AdminNav actor={actor} current="/admin/help-requests" />
      <h1>Help requests</h1>
      <DoneNotice messages={HELP_INBOX_DONE} done={values.done} pathname="/admin/help-requests" viewer={actor} />
      <DoneNotice messages={HELP_INBOX_GONE} done={values.done} pathname="/admin/help-requests" viewer={actor} tone="warning" />
      <p>Staff who cannot sign in ask for help from the sign-in guide. Reset their password or unlock them, then mark the request resolved. Each person is listed once, however many times they were named, with the words of their newest requests: anyone can ask in someone’s name, so read them all. Marking resolved or dismissing covers the requests shown; any others stay listed.</p>
      <form method="get" className="filters" role="search">
        <div className="field">
          <label htmlFor="q">Name or login name</label>
          <input id="q" name="q" type="search" defaultValue={query.q ?? ''} maxLength={SEARCH_MAX_LENGTH} autoComplete="off" spellCheck={false} />
        </div>
        <button className="button" type="submit">
          Find
        </button>
      </form>
      <ActionNotices>
        {open.length === 0 ? (
          <p>{query.q ? 'No open requests for that name.' : query.page > 1 ? 'No more open requests.' : 'No open requests.'}</p>
        ) : (
          <ul className="card-list">
            {open.map((request) => (
              <li key={request.id} data-testid="help-request">
                <p>
                  <Link href={`/admin/users/${request.user.id}`}>{request.user.displayName}</Link> ({request.user.loginName}){' '}
                  {request.requests === 1 ? (
                    <>asked at {when(request.createdAt)}</>
                  ) : (
                    <>
                      asked {request.requests} times, first at {when(request.firstAskedAt)}, last at {when(request.createdAt)}
                    </>
                  )}
                  {isLocked(accountLock(request.user), new Date()) && (
                    <> <span className="tag danger">Locked</span></>
                  )}
                </p>
                {request.words.length > 0 && (
                  <p className="muted">Their words, as typed in the form: anyone can fill it in with a name, and CareNotes has not checked them.</p>
                )}
                {request.words.map((said) => (
                  <blockquote key={said.id}>
                    {request.requests > 1 && <p className="muted">At {when(said.createdAt)}:</p>}
                    <span className="typed-lines">{said.message}</span>
                  </blockquote>
                ))}
                <div className="actions-row">
                  {canAdmin(actor, 'help-requests:handle', request.user).allowed ? (
                    <>
                      <Link className="button" href={`/admin/users/${request.user.id}`}>
                        Reset or unlock
                      </Link>
                      <AccountActionForm action={handleHelpRequestAction} fields={{ requestId: request.id, shown: request.words.map((said) => said.id).join(','), outcome: 'RESOLVED' }} label="Mark resolved" secondary refreshAfter />
                      <AccountActionForm action={handleHelpRequestAction} fields={{ requestId: request.id, shown: request.words.map((said) => said.id).join(','), outcome: 'DISMISSED' }} label="Dismiss" secondary refreshAfter />
                    </>
                  ) : (
                    <p className="muted">
                      {noOtherAdministrator ? (
                        <>
                          Asked in your name. No one can close it: you cannot close a request about yourself, and your agency has no other
                          administrator. If you did not ask, someone may be trying to get into your account: check your{' '}
                          <Link href="/account/security">sign-in methods</Link>.
                        </>
                      ) : (
                        'Asked in your name: another administrator of your agency closes it.'
                      )}
                    </p>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </ActionNotices>
      {morePeopleWaiting && (
        <p data-testid="more-people-waiting">
          More people are waiting than this page shows: <Link href={pageLink(query.page + 1)}>see the next {HELP_INBOX_PEOPLE}</Link>, or find someone by
          their name or login name above.
        </p>
      )}
      <nav className="pagination" aria-label="Pages">
        {query.page > 1 && <Link href={pageLink(query.page - 1)}>Previous page</Link>}
        {morePeopleWaiting && <Link href={pageLink(query.page + 1)}>Next page</Link>}
      </nav>
      {handled.length > 0 && (
        <>
          <h2>Recently handled</h2>
          <ul>
            {handled.map((press) => (
              <li key={press.key}>
                {press.name}: {press.status.toLowerCase()} {when(press.handledAt)}
                {press.by && ` by ${press.by}`}
                {press.requests > 1 && ` (${press.requests} requests)`}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
