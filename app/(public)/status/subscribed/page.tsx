import type { Metadata } from 'next';
import Link from 'next/link';
import { publicPage } from '@/lib/auth/guards';

export const metadata: Metadata = { title: 'Status alerts confirmed', robots: { index: false } };

export default publicPage(function SubscribedPage() {
  return (
    <>
      <h1>You will get status alerts</h1>
      <p className="notice success">
        Your subscription is confirmed. Every alert has a link to stop them with one click.
      </p>
      <p>
        <Link href="/status">See the current status</Link>
      </p>
    </>
  );
});
