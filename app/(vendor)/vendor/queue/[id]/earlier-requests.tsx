import { formatWhen } from '@/lib/mail/templates/super-admin-shared';
import { EARLIER_REQUESTS_MS, type RequestForVerifier } from '@/lib/super-admin/get-request-for-verifier';
import styles from '../queue.module.css';

const DAYS = EARLIER_REQUESTS_MS / (24 * 3600_000);

/** The account's other requests of the last 30 days: a run of "this wasn't me" is a stranger trying again. */
export function EarlierRequests({ request }: { request: RequestForVerifier }) {
  const cancelled = request.earlierRequests.filter((other) => other.cancelledOnRecord).length;
  return (
    <>
      <h2>Earlier requests for this account ({DAYS} days)</h2>
      {cancelled > 0 && (
        <p className="notice warning" data-testid="cancelled-on-record">
          <strong>
            Someone on record answered “this wasn’t me” to {cancelled} earlier request{cancelled === 1 ? '' : 's'} for this account.
          </strong>{' '}
          Someone else may be trying again. When you call the number on record, ask about them.
        </p>
      )}
      <div className={styles.tableWrap}>
        <table className={styles.table} data-testid="earlier-requests">
          <thead>
            <tr>
              <th scope="col">Filed</th>
              <th scope="col">Reference</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {request.earlierRequests.map((other) => (
              <tr key={other.reference}>
                <td>{formatWhen(other.createdAt)}</td>
                <td>{other.reference}</td>
                <td>{other.state}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
