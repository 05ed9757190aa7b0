import type { Metadata } from 'next';
import Link from 'next/link';
import { ConfirmForm } from './confirm-form';
import { publicPage } from '@/lib/auth/guards';

export const metadata: Metadata = { title: 'Confirm status alerts', robots: { index: false } };

// Confirming takes a button press, not just opening the link: mail scanners that open every
// link must not sign anyone up. (Unsubscribing, the other way round, happens on the first click.)
export default publicPage(async function ConfirmSubscriptionPage({ searchParams }: { searchParams: Promise<{ s?: string; t?: string }> }) {
  const { s, t } = await searchParams;
  return (
    <>
      <h1>Confirm your status alerts</h1>
      {s && t ? (
        <>
          <p>Confirm to get an e-mail when CareNotes has an incident or planned maintenance.</p>
          <ConfirmForm subscriberId={s} token={t} />
        </>
      ) : (
        <p>
          This link is not complete. Copy the whole link from the e-mail, or <Link href="/status#subscribe">subscribe again</Link>.
        </p>
      )}
    </>
  );
});
