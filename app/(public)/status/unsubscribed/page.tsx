import type { Metadata } from 'next';
import Link from 'next/link';
import { publicPage } from '@/lib/auth/guards';

export const metadata: Metadata = { title: 'Status alerts stopped', robots: { index: false } };

export default publicPage(function UnsubscribedPage() {
  return (
    <>
      <h1>You will get no more status alerts</h1>
      <p className="notice success">You are unsubscribed. You can still check the status at any time.</p>
      <p>
        <Link href="/status">See the current status</Link>, or subscribe again there if you change your mind.
      </p>
    </>
  );
});
