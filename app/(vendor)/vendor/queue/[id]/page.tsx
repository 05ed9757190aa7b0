import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { DoneNotice } from '@/components/ui/done-notice';
import { requirePageActor } from '@/lib/auth/guards';
import { firstValues, type PageSearchParams } from '@/lib/http/search-params';
import { formatWhen } from '@/lib/mail/templates/super-admin-shared';
import { getRequestForVerifier } from '@/lib/super-admin/get-request-for-verifier';
import { NO_EMAIL_STEPS_FOR_VERIFIER } from '@/lib/super-admin/state-words';
import { STEP_DONE, STEP_GONE } from '@/lib/super-admin/step-done';
import { VERIFIER_ACCESS } from '@/lib/super-admin/verifier-guard';
import styles from '../queue.module.css';
import { Comparison } from './comparison';
import { NextStep } from './next-step';
import { OtherAdmins } from './other-admins';
import { EarlierRequests } from './earlier-requests';
import { Repeats } from './repeats';

export const metadata: Metadata = { title: 'Reset request' };

export default async function RequestPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: PageSearchParams }) {
  const { id } = await params;
  const actor = await requirePageActor(VERIFIER_ACCESS, `/vendor/queue/${id}`);
  const request = await getRequestForVerifier(actor, id);
  if (!request) notFound();
  const { done } = await firstValues(searchParams);

  return (
    <div className={styles.wide}>
      <p>
        <Link href="/vendor/queue">Back to the queue</Link>
      </p>
      <h1>Request {request.reference}</h1>
      <DoneNotice messages={STEP_DONE} done={done} pathname={`/vendor/queue/${encodeURIComponent(id)}`} viewer={actor} />
      <DoneNotice messages={STEP_GONE} done={done} pathname={`/vendor/queue/${encodeURIComponent(id)}`} viewer={actor} tone="warning" />
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
          <span className="typed-lines">{request.stateReason}</span>
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

      {request.matchesAdmin && <OtherAdmins request={request} />}

      {request.repeats.length > 0 && <Repeats request={request} />}

      {request.earlierRequests.length > 0 && <EarlierRequests request={request} />}

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
