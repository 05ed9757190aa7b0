import type { Metadata } from 'next';
import Link from 'next/link';
import { publicPage } from '@/lib/auth/guards';
import { thisBrowser } from '@/lib/auth/browser-session';
import { doneAt } from '@/lib/http/done-notice';
import { firstValues, type PageSearchParams } from '@/lib/http/search-params';
import { formatReference, parseReference, referenceInNotice } from '@/lib/super-admin/reference';
import { NO_EMAIL_FOR_REQUESTER } from '@/lib/super-admin/state-words';

export const metadata: Metadata = { title: 'Request received' };

// Every accepted request lands here, whether or not it matched an administrator account:
// the page must not differ in any way between the two. It shows the reference only when the filing
// sent this browser here (`?done=`, signed for it, decision 060): a link to this page with a reference of an
// impostor's choosing must not pass for a request the person filed before "a verifier" calls.
export default publicPage(async function RequestReceivedPage({ searchParams }: { searchParams: PageSearchParams }) {
  const { done } = await firstValues(searchParams);
  const parsed = parseReference(referenceInNotice('submitted', doneAt('/super-admin-reset/submitted', done, await thisBrowser())) ?? '');
  return (
    <>
      <h1>Request received</h1>
      {parsed ? (
        <div className="notice success" role="status">
          <p style={{ margin: 0 }}>Your reference number is</p>
          <p style={{ fontFamily: 'ui-monospace, Menlo, Consolas, monospace', fontSize: '2rem', fontWeight: 700, margin: '0.25rem 0' }} data-testid="reference">
            {formatReference(parsed)}
          </p>
          <p style={{ margin: 0 }}>Write it down. You need it, with your login name, to check the state of your request.</p>
        </div>
      ) : (
        <p className="notice">Your request was received.</p>
      )}
      <h2>What happens next</h2>
      <ol>
        <li>A CareNotes verifier checks your request against our records.</li>
        <li>
          They call your agency’s phone number on record. Make sure the people who answer it know how to reach you.
        </li>
        <li>A second verifier approves the request.</li>
        <li>
          A single-use link to choose a new password is e-mailed to the address on record for your account. It works once,
          for up to 24 hours.
        </li>
      </ol>
      <p>
        When the details match an administrator account, we also tell the account’s e-mail address on record and your
        agency’s other administrators, so that they can stop a request that someone else made. Requests that are not
        completed within 7 days expire.
      </p>
      <p>{NO_EMAIL_FOR_REQUESTER}</p>
      <p>
        If you send this form again while this request is open, we add what you send to this request for the verifiers; it does
        not start a new one.
      </p>
      <p className="notice">No one from CareNotes will ever ask for your password.</p>
      <p>
        <Link href="/super-admin-reset/status">Check the state of your request</Link>
      </p>
    </>
  );
});
