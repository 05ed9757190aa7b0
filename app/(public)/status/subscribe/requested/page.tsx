import type { Metadata } from 'next';
import Link from 'next/link';
import { publicPage } from '@/lib/auth/guards';
import { SUBSCRIPTION_REQUESTED_MESSAGE } from '@/lib/status/subscription-requested';

export const metadata: Metadata = { title: 'Check your e-mail', robots: { index: false } };

/** Where the alerts form leads without JavaScript: a page, so that reloading it sends nothing again. */
export default publicPage(function SubscriptionRequestedPage() {
  return (
    <>
      <h1>Check your e-mail</h1>
      <p className="notice success" role="status">
        {SUBSCRIPTION_REQUESTED_MESSAGE}
      </p>
      <p>
        <Link href="/status">See the current status</Link>
      </p>
    </>
  );
});
