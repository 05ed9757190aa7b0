import type { Metadata } from 'next';
import Link from 'next/link';
import { publicPage } from '@/lib/auth/guards';
import { thisBrowser } from '@/lib/auth/browser-session';
import { doneAt } from '@/lib/http/done-notice';
import { firstValues, type PageSearchParams } from '@/lib/http/search-params';
import { formatReference, referenceInNotice } from '@/lib/super-admin/reference';

export const metadata: Metadata = { title: 'Request cancelled' };

/**
 * Where “this wasn't me” lands once the request is cancelled, with JavaScript or without. It says so
 * only when the cancel sent this browser here (`?done=`, signed for it): a link from an impostor to this page
 * must not reassure an admin who has not used the link in their notice, and it names the request, so
 * one cancelled by someone else and sent on does not pass for theirs.
 */
export default publicPage(async function RequestCancelledPage({ searchParams }: { searchParams: PageSearchParams }) {
  const { done } = await firstValues(searchParams);
  const reference = referenceInNotice('cancelled', doneAt('/super-admin-reset/cancelled', done, await thisBrowser()));
  const cancelled = reference !== undefined;
  return (
    <>
      <h1>{cancelled ? 'Request cancelled' : 'Cancel a request'}</h1>
      {cancelled ? (
        <p className="notice success" role="status">
          Request {formatReference(reference)} is cancelled. No reset link will be sent for it, and one already sent no longer works. If that is not the
          reference in the notice we e-mailed you, your request is not cancelled: use the link in your notice. If you think someone is trying to get into
          the account, tell your agency’s other administrators.
        </p>
      ) : (
        <p className="notice">
          This page cancels nothing. To cancel a request for your account, use the “this wasn’t me” link in the notice we e-mailed to the address on
          record, and confirm there.
        </p>
      )}
      <p>
        <Link href="/help">Sign-in help guide</Link>
      </p>
    </>
  );
});
