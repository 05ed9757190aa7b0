import Link from 'next/link';
import { TRIES_FROM_YOUR_NETWORK } from '@/lib/rate-limit/token-page-window';
import { CONFIRM_LINK_DAYS } from '@/lib/status/confirm-link-lifetime';

export type ConfirmLinkProblem = 'expired' | 'invalid';

/**
 * What a confirm link that cannot be used says, on opening it or on pressing its button. A wrong,
 * incomplete or throttled link all read "does not work"; only a genuine link says it expired. `sent`: the
 * button's answer (see LinkCannotBeUsed).
 */
export function LinkProblem({ problem, sent = false }: { problem: ConfirmLinkProblem; sent?: boolean }) {
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
          <Link href="/status#subscribe">subscribe again</Link> on the status page to get a new one.{sent && ` ${TRIES_FROM_YOUR_NETWORK}`}
        </p>
      )}
    </div>
  );
}
