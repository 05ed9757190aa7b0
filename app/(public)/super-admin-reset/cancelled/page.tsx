import type { Metadata } from 'next';
import Link from 'next/link';
import { publicPage } from '@/lib/auth/guards';

export const metadata: Metadata = { title: 'Request cancelled' };

/** Where “this wasn't me” lands once the request is cancelled, with JavaScript or without. */
export default publicPage(function RequestCancelledPage() {
  return (
    <>
      <h1>Request cancelled</h1>
      <p className="notice success" role="status">
        The request is cancelled. No reset link will be sent for it, and one already sent no longer works. If you think someone is trying to get into the account,
        tell your agency’s other administrators.
      </p>
      <p>
        <Link href="/help">Sign-in help guide</Link>
      </p>
    </>
  );
});
