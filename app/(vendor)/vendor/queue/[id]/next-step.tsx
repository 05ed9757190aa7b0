import { CONTACT_CHANGED } from '@/lib/super-admin/approve-request';
import type { RequestForVerifier } from '@/lib/super-admin/get-request-for-verifier';
import styles from '../queue.module.css';
import { ActionForm } from './action-form';
import { approveAction, claimAction, recordCallbackAction, rejectAction, requestMoreInfoAction, verifyAction } from './actions';

/** The forms the state machine offers this verifier now (request.actions), and what to do when none. */
export function NextStep({ request }: { request: RequestForVerifier }) {
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
        fields={[{ kind: 'textarea', name: 'reason', label: 'Reason', hint: 'Mailed to the address on record, if there is one, as your words. No web or e-mail addresses.', defaultValue: defaultReason }]}
      />
    </section>
  );

  if (request.linkLapsed) {
    return (
      <p className="notice" data-testid="link-lapsed">
        Its link lapsed unused: it expired or was revoked before the account holder set a password with it. This request is closed and
        cannot be approved again. If they still need a new password, they send the public form again: that opens a new request, with a
        new notice to the addresses on record, to verify and approve from the start.
      </p>
    );
  }
  if (!request.isOpen) return <p className="notice">This request is closed. There is nothing more to do.</p>;
  if (request.state === 'APPROVED') {
    return (
      <p className="notice">
        The system queued the link for e-mail to the address on record at filing (see its delivery above). Nothing more to do:
        the request completes when the account holder uses it. If the link expires or is revoked unused, the request closes, and
        a new filing starts a new request.
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
            seen={{ claimerSeen: request.claimedById ?? '' }}
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
            fields={[{ kind: 'textarea', name: 'message', label: 'What do you need?', hint: 'Mailed to the address on record (never to the one typed in the request), as your words. No web or e-mail addresses.' }]}
          />
        </section>
      )}
      {can('reject') && rejectForm(request.noEmailAtFiling ? 'There is no e-mail address on record for this account, so no reset link can be sent.' : undefined)}
    </>
  );
}
