import Link from 'next/link';
import { CONFIRM_LINK_DAYS } from '@/lib/status/confirm-link-lifetime';

export type ConfirmLinkProblem = 'expired' | 'invalid';

/**
 * What a confirm link that cannot be used says, on opening it or on pressing its button. A wrong or
 * incomplete link reads "does not work"; only a genuine link says it expired.
 */
export function LinkProblem({ problem }: { problem: ConfirmLinkProblem }) {
  return (
    <div className="notice warning" role="status">
      {problem === 'expired' ? (
        <p style={{ margin: 0 }}>
          This link has expired: a confirmation link works for {CONFIRM_LINK_DAYS} days. <Link href="/status#subscribe">Subscribe again</Link> on
          the status page to get a new one.
        </p>
      ) : (
        <p style={{ margin: 0 }}>
          This link does not work. Copy the whole link from the newest confirmation e-mail (each new one replaces the one before), or{' '}
          <Link href="/status#subscribe">subscribe again</Link> on the status page to get a new one.
        </p>
      )}
    </div>
  );
}
