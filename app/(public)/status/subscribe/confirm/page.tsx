import type { Metadata } from 'next';
import { checkConfirmLink } from '@/lib/status/subscription-token';
import { ConfirmForm } from './confirm-form';
import { LinkProblem } from './link-problem';
import { publicPage } from '@/lib/auth/guards';
import { firstValues, type PageSearchParams } from '@/lib/http/search-params';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Confirm status alerts', referrer: 'no-referrer', robots: { index: false } };

const param = (value: string | undefined) => (value ?? '').slice(0, 64);

// Confirming takes a button press, not just opening the link: mail scanners that open every
// link must not sign anyone up. Opening it only reads.
export default publicPage(async function ConfirmSubscriptionPage({ searchParams }: { searchParams: PageSearchParams }) {
  const query = await firstValues(searchParams);
  const link = { s: param(query.s), e: param(query.e), t: param(query.t) };
  // Opening it is not counted (decision 027): only the button is.
  const check = checkConfirmLink(link);
  return (
    <>
      <h1>Confirm your status alerts</h1>
      {check === 'valid' ? (
        <>
          <p>Confirm to get an e-mail when CareNotes has an incident or planned maintenance.</p>
          <ConfirmForm subscriberId={link.s} issuedAt={link.e} token={link.t} />
        </>
      ) : (
        <LinkProblem problem={check} />
      )}
    </>
  );
});
