import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Status alerts confirmed', robots: { index: false } };

export default function SubscribedPage() {
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
}
