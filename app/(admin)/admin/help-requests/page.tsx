import { formatDateTime } from '@/lib/format/date';
import type { Metadata } from 'next';
import Link from 'next/link';
import { AdminNav } from '@/components/admin/admin-nav';
import { ADMIN_ACCESS } from '@/lib/admin/access';
import { listHelpRequests } from '@/lib/admin/help-requests';
import { requirePageActor } from '@/lib/auth/guards';
import { ActionNotices } from '@/components/ui/action-notices';
import { AccountActionForm } from '../users/[id]/account-action-form';
import { handleHelpRequestAction } from './actions';

export const metadata: Metadata = { title: 'Help requests' };

export default async function HelpRequestsPage() {
  const actor = await requirePageActor(ADMIN_ACCESS, '/admin/help-requests');
  const when = (date: Date | null) => (date ? formatDateTime(date, actor.agencyTimeZone) : '—');
  const { open, morePeopleWaiting, handled } = await listHelpRequests(actor);
  return (
    <div className="wide-content">
      <AdminNav actor={actor} current="/admin/help-requests" />
      <h1>Help requests</h1>
      <p>Staff who cannot sign in ask for help from the sign-in guide. Reset their password or unlock them, then mark the request resolved. Each person is listed once, however many times they were named, with the words of their newest requests: anyone can ask in someone’s name, so read them all. Marking resolved or dismissing covers the requests shown; any others stay listed.</p>
      <ActionNotices>
        {open.length === 0 ? (
          <p>No open requests.</p>
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
                  {(request.user.hardLockedAt || (request.user.lockedUntil && request.user.lockedUntil > new Date())) && (
                    <> <span className="tag danger">Locked</span></>
                  )}
                </p>
                {request.words.length > 0 && (
                  <p className="muted">Their words, as typed in the form: anyone can fill it in with a name, and CareNotes has not checked them.</p>
                )}
                {request.words.map((said) => (
                  <blockquote key={said.id}>
                    {request.requests > 1 && <p className="muted">At {when(said.createdAt)}:</p>}
                    {said.message}
                  </blockquote>
                ))}
                <div className="actions-row">
                  <Link className="button" href={`/admin/users/${request.user.id}`}>
                    Reset or unlock
                  </Link>
                  <AccountActionForm action={handleHelpRequestAction} fields={{ requestId: request.id, shown: request.words.map((said) => said.id).join(','), outcome: 'RESOLVED' }} label="Mark resolved" secondary refreshAfter />
                  <AccountActionForm action={handleHelpRequestAction} fields={{ requestId: request.id, shown: request.words.map((said) => said.id).join(','), outcome: 'DISMISSED' }} label="Dismiss" secondary refreshAfter />
                </div>
              </li>
            ))}
          </ul>
        )}
      </ActionNotices>
      {morePeopleWaiting && <p>More people are waiting than are shown here. Handle these, those waiting longest, and the next appear.</p>}
      {handled.length > 0 && (
        <>
          <h2>Recently handled</h2>
          <ul>
            {handled.map((request) => (
              <li key={request.id}>
                {request.user.displayName}: {request.status.toLowerCase()} {when(request.handledAt)}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
