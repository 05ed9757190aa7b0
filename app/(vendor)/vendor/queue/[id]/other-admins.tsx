import { formatWhen } from '@/lib/mail/templates/super-admin-shared';
import type { RequestForVerifier } from '@/lib/super-admin/get-request-for-verifier';
import styles from '../queue.module.css';
import { ROLE_LABEL } from '@/lib/auth/role-labels';

/** The agency's other administrators (could one of them reset it instead?) and who was notified. */
export function OtherAdmins({ request }: { request: RequestForVerifier }) {
  return (
    <>
      <h2>Other administrators of the agency</h2>
      {request.otherAdmins.length === 0 ? (
        <p>None: this is the agency’s only active administrator.</p>
      ) : (
        <div className={styles.tableWrap}>
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Signed in within 30 days</th>
                <th scope="col">Account</th>
              </tr>
            </thead>
            <tbody>
              {request.otherAdmins.map((admin) => (
                <tr key={`${admin.displayName}-${admin.role}`}>
                  <td>{admin.displayName}</td>
                  <td>{ROLE_LABEL[admin.role]}</td>
                  <td>
                    {admin.signedInRecently ? <span className={styles.yes}>Yes</span> : <span className={styles.no}>No</span>}
                    {admin.lastSignInAt && <span className="muted"> (last {formatWhen(admin.lastSignInAt)})</span>}
                  </td>
                  <td>{admin.lock}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        {request.noticesQueued
          ? `A notice with a “this wasn’t me” link went to ${request.noticesQueued} address${request.noticesQueued === 1 ? '' : 'es'} on record.`
          : request.noticesHeldBack
            ? 'No notice was sent for this request: a daily limit held it back, so no one on record was warned of it.'
            : 'No notice could be sent: there is no e-mail address on record for the account or the other administrators.'}
      </p>
    </>
  );
}
