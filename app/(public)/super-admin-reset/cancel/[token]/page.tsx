import type { Metadata } from 'next';
import Link from 'next/link';
import { getRequestForCancel } from '@/lib/super-admin/get-request-for-cancel';
import { formatDateTime } from '@/lib/format/date';
import { CancelForm } from './cancel-form';
import { publicPage } from '@/lib/auth/guards';

// The path holds a secret: never cached, never sent on as a referrer (headers in next.config.js too).
export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Cancel a password reset request', referrer: 'no-referrer', robots: { index: false } };

/** "This wasn't me": opening the link shows the request; only the button cancels it. */
export default publicPage(async function CancelRequestPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  // Opening it is not counted (decision 027): only the cancel button is.
  const request = await getRequestForCancel(token);
  if (!request) {
    return (
      <>
        <h1>This link no longer works</h1>
        <p>
          The request may already be cancelled, completed, rejected or expired, or the link is not complete. If you did not
          ask for a password reset, tell your agency’s other administrators.
        </p>
        <p>
          <Link href="/help">Sign-in help guide</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Cancel this password reset request?</h1>
      <dl className="summary">
        <dt>Reference</dt>
        <dd>{request.reference}</dd>
        <dt>Account</dt>
        <dd>
          {request.accountName} ({request.loginName}), {request.agencyName}
        </dd>
        <dt>Sent</dt>
        <dd>{formatDateTime(request.submittedAt, request.timeZone)}</dd>
      </dl>
      <p>
        If you did not make this request, or you know the account holder did not, cancel it. CareNotes verifiers will see
        that it was cancelled from this link. No reset link will be sent for it, and one already sent stops working.
      </p>
      <CancelForm token={token} />
    </>
  );
});
