import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { requirePageActor } from '@/lib/auth/guards';
import { ROLE_LABEL } from '@/lib/auth/role-labels';
import { formatWhen } from '@/lib/mail/templates/super-admin-shared';
import { getRequestForVerifier, type RequestForVerifier } from '@/lib/super-admin/get-request-for-verifier';
import { CONTACT_CHANGED } from '@/lib/super-admin/approve-request';
import { NO_EMAIL_STEPS_FOR_VERIFIER } from '@/lib/super-admin/state-words';
import { VERIFIER_ACCESS } from '@/lib/super-admin/verifier-guard';
import styles from '../queue.module.css';
import { ActionForm } from './action-form';
import { approveAction, claimAction, recordCallbackAction, rejectAction, requestMoreInfoAction, verifyAction } from './actions';

export const metadata: Metadata = { title: 'Reset request' };

const DONE: Record<string, string> = {
  claim: 'You are working this request.',
  checklist: 'Checklist saved.',
  verify: 'Verified. A second verifier must now approve it.',
  'more-info': 'The request is on hold. The requester was written to at the address on record.',
  approve: 'Approved. The system queued a single-use link for e-mail to the address on record at filing; its delivery shows below. No one at CareNotes sees it.',
  reject: 'Rejected.',
};


function Same({ same }: { same: boolean | null }) {
  if (same === null) return null;
  return same ? <span className={styles.yes}> · same as typed</span> : <span className={styles.no}> · differs from what was typed</span>;
}

const UNVERIFIED = 'typed by the requester — unverified; never use to contact';

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

function Comparison({ request }: { request: RequestForVerifier }) {
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

function NextStep({ request }: { request: RequestForVerifier }) {
  const can = (action: (typeof request.actions)[number]) => request.actions.includes(action);
  const rejectForm = (defaultReason?: string) => (
    <section className={styles.panel}>
      <h3>Reject</h3>
      <ActionForm
        action={rejectAction}
        requestId={request.id}
        idPrefix="reject"
        submitLabel="Reject the request"
        secondary
        fields={[{ kind: 'textarea', name: 'reason', label: 'Reason', hint: 'Mailed to the address on record, if there is one.', defaultValue: defaultReason }]}
      />
    </section>
  );

  if (!request.isOpen) return <p className="notice">This request is closed. There is nothing more to do.</p>;
  if (request.state === 'APPROVED') {
    return (
      <p className="notice">
        The system queued the link for e-mail to the address on record at filing (see its delivery above). Nothing more to do:
        the request completes when the account holder uses it.
      </p>
    );
  }
  return (
    <>
      {can('claim') && (
        <section className={styles.panel}>
          <h3>{request.claimedBy && request.state === 'IN_REVIEW' ? `Claimed by ${request.claimedBy}` : 'Work this request'}</h3>
          <ActionForm
            action={claimAction}
            requestId={request.id}
            idPrefix="claim"
            submitLabel={request.claimedBy && request.state === 'IN_REVIEW' ? 'Take over this request' : 'Claim this request'}
          />
        </section>
      )}
      {can('recordCallback') && (
        <section className={styles.panel}>
          <h3>Checklist</h3>
          <ActionForm
            action={recordCallbackAction}
            requestId={request.id}
            idPrefix="checklist"
            submitLabel="Save checklist"
            secondary
            fields={[
              {
                kind: 'checkbox',
                name: 'callbackDone',
                label: `I called back the agency’s phone number on record${request.agency ? ` (${request.agency.phoneOnRecord})` : ''}`,
                hint: 'Never the number typed in the request.',
                defaultChecked: request.checklist.callbackDone,
              },
              { kind: 'textarea', name: 'callbackNotes', label: 'Call notes', hint: 'Who answered, who you spoke to, what they confirmed.', defaultValue: request.checklist.callbackNotes ?? '' },
              { kind: 'checkbox', name: 'identityConfirmed', label: 'I confirmed the identity of the person asking', defaultChecked: request.checklist.identityConfirmed },
              {
                kind: 'checkbox',
                name: 'noOtherAdminConfirmed',
                label: 'I confirmed that no other administrator of the agency can reset the password',
                defaultChecked: request.checklist.noOtherAdminConfirmed,
              },
            ]}
          />
        </section>
      )}
      {can('verify') && (
        <section className={styles.panel}>
          <h3>Verify</h3>
          <p>When the checklist is complete and saved, mark the request verified. A second verifier then approves it.</p>
          <ActionForm action={verifyAction} requestId={request.id} idPrefix="verify" submitLabel="Mark as verified" />
        </section>
      )}
      {request.state === 'VERIFIED' && (
        <section className={styles.panel}>
          <h3>Approve</h3>
          {request.approveBlocked ? (
            <p className="notice warning" data-testid="approve-blocked">
              {request.approveBlocked}
            </p>
          ) : request.contactChanged ? (
            <>
              <p className="notice warning" data-testid="contact-changed">
                The account’s e-mail or phone on record changed after this request was filed. It cannot be approved: {CONTACT_CHANGED}
              </p>
              <ActionForm action={approveAction} requestId={request.id} idPrefix="approve" submitLabel="Send it back to review" secondary />
            </>
          ) : (
            <>
              <p>
                Verified by {request.verifiedBy}. Approving makes the system queue a single-use link for e-mail to{' '}
                <strong>{request.account?.maskedEmail}</strong>, the address on record when the request was filed. You will not see the link.
              </p>
              <ActionForm action={approveAction} requestId={request.id} idPrefix="approve" submitLabel="Approve and e-mail the link" />
            </>
          )}
        </section>
      )}
      {can('requestMoreInfo') && (
        <section className={styles.panel}>
          <h3>Ask for more information</h3>
          <ActionForm
            action={requestMoreInfoAction}
            requestId={request.id}
            idPrefix="more-info"
            submitLabel="Put on hold and write to the address on record"
            secondary
            fields={[{ kind: 'textarea', name: 'message', label: 'What do you need?', hint: 'Mailed to the address on record, never to the address typed in the request.' }]}
          />
        </section>
      )}
      {can('reject') && rejectForm(request.noEmailAtFiling ? 'There is no e-mail address on record for this account, so no reset link can be sent.' : undefined)}
    </>
  );
}

export default async function RequestPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ done?: string }> }) {
  const { id } = await params;
  const actor = await requirePageActor(VERIFIER_ACCESS, `/vendor/queue/${id}`);
  const request = await getRequestForVerifier(actor, id);
  if (!request) notFound();
  const { done } = await searchParams;

  return (
    <div className={styles.wide}>
      <p>
        <Link href="/vendor/queue">Back to the queue</Link>
      </p>
      <h1>Request {request.reference}</h1>
      {done && DONE[done] && (
        <p className="notice success" role="status">
          {DONE[done]}
        </p>
      )}
      <dl className="summary">
        <dt>State</dt>
        <dd>
          <span className={styles.tag} data-testid="state">
            {request.stateLabel}
          </span>
        </dd>
        <dt>Submitted</dt>
        <dd>
          {formatWhen(request.submittedAt)}
          {request.isOpen && (
            <>
              {' '}
              <span className={`${styles.tag} ${request.urgency === 'normal' ? '' : styles[request.urgency]}`}>waiting {request.waited}</span>
            </>
          )}
        </dd>
        <dt>Expires</dt>
        <dd>{formatWhen(request.expiresAt)}</dd>
        <dt>Claimed by</dt>
        <dd>{request.claimedBy ?? 'nobody yet'}</dd>
        {request.verifiedBy && request.verifiedAt && (
          <>
            <dt>Verified by</dt>
            <dd>
              {request.verifiedBy}, {formatWhen(request.verifiedAt)}
            </dd>
          </>
        )}
        {request.approvedBy && request.approvedAt && (
          <>
            <dt>Approved by</dt>
            <dd>
              {request.approvedBy}, {formatWhen(request.approvedAt)}
            </dd>
          </>
        )}
        {request.completedAt && (
          <>
            <dt>Completed</dt>
            <dd>{formatWhen(request.completedAt)}</dd>
          </>
        )}
      </dl>
      {request.stateReason && (
        <p className="notice warning">
          <strong>{request.state === 'CANCELLED' ? 'Cancelled: ' : 'Reason: '}</strong>
          {request.stateReason}
        </p>
      )}
      {request.delivery && (
        <p className={`notice ${request.delivery.state === 'sent' ? 'success' : request.delivery.state === 'queued' ? '' : 'warning'}`} data-testid="delivery">
          <strong>The link’s e-mail: </strong>
          {request.delivery.words}
        </p>
      )}
      {request.contactChangedAt && request.isOpen && (
        <p className="notice warning" data-testid="contact-changed-at">
          On {formatWhen(request.contactChangedAt)} an approval found the account’s e-mail or phone on record changed since the
          request was filed, and sent it back to review. Verify again, against the details on record now.
        </p>
      )}
      {request.noEmailAtFiling && request.isOpen && (
        <section className="notice warning" data-testid="no-email-process" aria-labelledby="no-email-heading">
          <h2 id="no-email-heading">No e-mail address on record</h2>
          <ol>
            {NO_EMAIL_STEPS_FOR_VERIFIER.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ol>
        </section>
      )}
      {!request.matchesAdmin && (
        <p className="notice warning" data-testid="unmatched">
          <strong>This request matches no administrator account.</strong> The requester was told the same as everyone else.
          Nothing can be reset from it: reject it. If the agency exists, you may call its number on record to warn it.
        </p>
      )}

      <h2>Typed and on record</h2>
      <Comparison request={request} />
      <h3>Reason given</h3>
      <p className={styles.quote}>{request.submitted.reason}</p>

      {request.matchesAdmin && (
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
              : 'No notice could be sent: there is no e-mail address on record for the account or the other administrators.'}
          </p>
        </>
      )}

      {request.repeats.length > 0 && (
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
      )}

      <h2>Your next step</h2>
      <NextStep request={request} />

      <h2>History</h2>
      <ol className={styles.history}>
        {request.history.map((event) => (
          <li key={event.seq}>
            {formatWhen(event.at)}: {event.what}
            {event.refused && <strong className={styles.no}> (refused)</strong>}, by {event.who}
            {event.note && <span className="muted"> — {event.note}</span>}
          </li>
        ))}
      </ol>
    </div>
  );
}
