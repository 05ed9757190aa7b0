import type { Metadata } from 'next';
import Link from 'next/link';
import { publicPage } from '@/lib/auth/guards';

export const metadata: Metadata = { title: 'Status alerts stopped', robots: { index: false } };

export default publicPage(async function UnsubscribedPage({ searchParams }: { searchParams: Promise<{ link?: string }> }) {
  if ((await searchParams).link === 'invalid') {
    return (
      <>
        <h1>This link does not work</h1>
        <p>
          Copy the whole link from the e-mail and try again. <Link href="/status">Back to the status page</Link>
        </p>
      </>
    );
  }
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
