import type { Metadata } from 'next';
import { isValidUnsubscribeToken } from '@/lib/status/subscription-token';
import { LinkDoesNotWork } from './link-does-not-work';
import { StopAlertsForm } from './stop-alerts-form';
import { publicPage } from '@/lib/auth/guards';
import { firstValues, type PageSearchParams } from '@/lib/http/search-params';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Stop status alerts', referrer: 'no-referrer', robots: { index: false } };

const param = (value: string | undefined) => (value ?? '').slice(0, 64);

// Where the unsubscribe link in an alert leads. Opening it changes nothing: mail scanners open
// every link. Only the button stops the alerts. (Mail programs use the one-click POST instead.)
export default publicPage(async function StopAlertsPage({ searchParams }: { searchParams: PageSearchParams }) {
  const query = await firstValues(searchParams);
  const s = param(query.s);
  const t = param(query.t);
  // Opening it is not counted (decision 027): only the button is.
  const valid = isValidUnsubscribeToken(s, t);
  return (
    <>
      <h1>Stop status alerts?</h1>
      {valid ? (
        <>
          <p>You will get no more e-mails about CareNotes incidents and planned maintenance. You can still check the status at any time.</p>
          <StopAlertsForm subscriberId={s} token={t} />
        </>
      ) : (
        <LinkDoesNotWork />
      )}
    </>
  );
});
