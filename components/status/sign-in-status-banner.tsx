import Link from 'next/link';
import { logRequestError } from '@/lib/http/request-context';
import { copyUntilAttribute } from '@/lib/runtime/copy-until.mjs';
import { getSignInNotice } from '@/lib/status/get-sign-in-notice';
import { memoize } from '@/lib/status/memo';
import { COMPONENT_STATUS_LABEL, formatUtc } from '@/lib/status/severity';

// The sign-in page is busy: one read per second per instance is enough for a banner.
const currentNotice = memoize(1000, () => getSignInNotice());

/** On the sign-in page: an incident touching sign-in, and a window that will block sign-in within 72 h. */
export async function SignInStatusBanner() {
  let notice;
  try {
    notice = await currentNotice();
  } catch (error) {
    // The form must still show if the status cannot be read.
    await logRequestError('sign-in status banner failed', error);
    return null;
  }
  const { incident, maintenance } = notice;
  if (!incident && !maintenance) return null;
  return (
    <div className="no-print">
      {incident && (
        <div className="notice warning" role="status" data-testid="sign-in-incident">
          <strong>
            {COMPONENT_STATUS_LABEL[incident.impact]}: {incident.title}.
          </strong>{' '}
          {incident.message} <Link href="/status">See the status page</Link>.
        </div>
      )}
      {maintenance && (
        // server.mjs sends everyone a copy of /login: it must stop when this window closes the page.
        <div className="notice" role="status" data-testid="sign-in-maintenance" {...copyUntilAttribute(maintenance.startsAt)}>
          <strong>Planned maintenance: {maintenance.title}.</strong> You will not be able to sign in from{' '}
          <time dateTime={maintenance.startsAt}>{formatUtc(maintenance.startsAt)}</time> to about{' '}
          <time dateTime={maintenance.endsAt}>{formatUtc(maintenance.endsAt)}</time>. <Link href="/status">Details</Link>.
        </div>
      )}
    </div>
  );
}
