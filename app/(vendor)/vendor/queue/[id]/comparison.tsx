import type { ReactNode } from 'react';
import { formatWhen } from '@/lib/mail/templates/super-admin-shared';
import type { RequestForVerifier } from '@/lib/super-admin/get-request-for-verifier';
import styles from '../queue.module.css';
import { ROLE_LABEL } from '@/lib/auth/role-labels';


function Same({ same }: { same: boolean | null }) {
  if (same === null) return null;
  return same ? <span className={styles.yes}> · same as typed</span> : <span className={styles.no}> · differs from what was typed</span>;
}

export const UNVERIFIED = 'typed by the requester — unverified; never use to contact';

/** Contact details the requester typed: anyone can type anything, so they are never a way to reach anyone. */
function Unverified({ value }: { value: string }) {
  return (
    <>
      {value}
      <br />
      <strong className={styles.no} data-testid="unverified">
        {UNVERIFIED}
      </strong>
    </>
  );
}

function Row({ label, typed, onRecord }: { label: string; typed: ReactNode; onRecord: ReactNode }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td data-label="Typed">{typed}</td>
      <td data-label="On record">{onRecord}</td>
    </tr>
  );
}

/** What the requester typed beside what is on record: the typed details are compared, never used. */
export function Comparison({ request }: { request: RequestForVerifier }) {
  const { submitted, agency, account } = request;
  const none = <span className="muted">—</span>;
  return (
    <div className={styles.tableWrap}>
      <table className={`${styles.table} ${styles.stack}`}>
        <thead>
          <tr>
            <td />
            <th scope="col">Typed in the form</th>
            <th scope="col">On record</th>
          </tr>
        </thead>
        <tbody>
          <Row label="Agency" typed={submitted.providerCode} onRecord={agency ? `${agency.name} (${agency.code})` : <span className={styles.no}>No agency with this code</span>} />
          <Row
            label="Agency phone"
            typed={none}
            onRecord={agency ? <strong data-testid="phone-on-record">{agency.phoneOnRecord} (call back this number)</strong> : none}
          />
          <Row label="Login name" typed={submitted.loginName} onRecord={account ? account.loginName : <span className={styles.no}>No administrator with this login name</span>} />
          <Row
            label="Name"
            typed={submitted.fullName}
            onRecord={account ? (<>{account.displayName}<Same same={account.typedNameMatches} /></>) : none}
          />
          <Row label="Job title / role" typed={submitted.jobTitle} onRecord={account ? ROLE_LABEL[account.role] : none} />
          <Row
            label="E-mail"
            typed={<Unverified value={submitted.workEmail} />}
            onRecord={account ? (account.maskedEmail ? (<>{account.maskedEmail}<Same same={account.typedEmailMatches} /></>) : <span className={styles.no}>None on record</span>) : none}
          />
          <Row label="Phone" typed={<Unverified value={submitted.workPhone} />} onRecord={account ? (account.maskedPhone ?? 'None on record') : none} />
          <Row
            label="Account"
            typed={none}
            onRecord={
              account ? (
                <>
                  {account.active ? 'Active' : 'Disabled'}, {account.lock};{' '}
                  {account.lastSignInAt ? `last signed in ${formatWhen(account.lastSignInAt)}` : 'never signed in'}
                </>
              ) : (
                none
              )
            }
          />
          <Row label="Sent from" typed={submitted.ip ?? 'unknown address'} onRecord={none} />
        </tbody>
      </table>
    </div>
  );
}
