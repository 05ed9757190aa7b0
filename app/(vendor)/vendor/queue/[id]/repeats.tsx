import { formatWhen } from '@/lib/mail/templates/super-admin-shared';
import type { RequestForVerifier } from '@/lib/super-admin/get-request-for-verifier';
import styles from '../queue.module.css';
import { UNVERIFIED } from './comparison';

/** Submissions that named the same account while this request was open, attached here. */
export function Repeats({ request }: { request: RequestForVerifier }) {
  return (
    <>
      <h2>Sent again ({request.repeatCount} time{request.repeatCount === 1 ? '' : 's'})</h2>
      <p>
        The same account was named again while this request was open. Each was attached here; no notice was sent for them. What
        was typed is {UNVERIFIED}.
      </p>
      <div className={styles.tableWrap}>
        <table className={styles.table} data-testid="repeats">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Their reference</th>
              <th scope="col">Name and job title typed</th>
              <th scope="col">E-mail and phone typed (unverified)</th>
              <th scope="col">Reason typed</th>
              <th scope="col">Sent from</th>
            </tr>
          </thead>
          <tbody>
            {request.repeats.map((repeat) => (
              <tr key={repeat.reference}>
                <td>{formatWhen(repeat.createdAt)}</td>
                <td>{repeat.reference}</td>
                <td>
                  {repeat.fullName}, {repeat.jobTitle}
                </td>
                <td>
                  {repeat.workEmail}
                  <br />
                  {repeat.workPhone}
                </td>
                <td className={styles.quote}>{repeat.reason}</td>
                <td>{repeat.ip ?? 'unknown address'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
