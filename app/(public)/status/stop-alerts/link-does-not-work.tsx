import Link from 'next/link';
import { TRIES_FROM_YOUR_NETWORK } from '@/lib/rate-limit/token-page-window';

/** A wrong, incomplete or throttled unsubscribe link: one answer for all of them; `sent`: the form's answer (see LinkCannotBeUsed). */
export function LinkDoesNotWork({ sent = false }: { sent?: boolean }) {
  return (
    <div className="notice warning" role="status">
      <p style={{ margin: 0 }}>
        This link does not work. Copy the whole link from the e-mail and try again, or use the unsubscribe button of your mail
        program.{sent && ` ${TRIES_FROM_YOUR_NETWORK}`} <Link href="/status">Back to the status page</Link>
      </p>
    </div>
  );
}
