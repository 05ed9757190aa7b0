import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePageActor } from '@/lib/auth/guards';
import { FOR_RECIPIENT_COUNTED_DAYS } from '@/lib/mail/dead-letters';
import { QUEUE_ALERT_EVERY_MS } from '@/lib/super-admin/alert-queue-health';
import { QUEUE_ALERT_DEPTH, QUEUE_ALERT_OLDEST_MS } from '@/lib/super-admin/get-queue-health';
import { getOperatorOverview } from '@/lib/vendor/get-operator-overview';

export const metadata: Metadata = { title: 'Vendor workspace' };

export default async function VendorHomePage() {
  const actor = await requirePageActor({ principal: 'vendor' }, '/vendor');
  const { deadMail, queue, sprays } = actor.role === 'OPERATOR' ? await getOperatorOverview(actor) : { deadMail: { afterAttempts: 0, forRecipient: 0 }, queue: null, sprays: [] };
  return (
    <>
      <h1>Vendor workspace</h1>
      <p>
        Signed in as {actor.displayName} ({actor.role === 'VERIFIER' ? 'verifier' : 'status operator'}).
      </p>
      {actor.role === 'VERIFIER' && (
        <p>
          <Link href="/vendor/queue">Super administrator reset requests: the verification queue</Link>
        </p>
      )}
      {actor.role === 'OPERATOR' && (
        <p>
          <Link href="/vendor/status">Status operations: incidents, component states and maintenance</Link>
        </p>
      )}
      <p className="notice">Vendor accounts cannot see, set or reset any password, and never act inside an agency.</p>
      {actor.role === 'OPERATOR' && (
        <section aria-labelledby="mail-heading">
          <h2 id="mail-heading">Mail delivery</h2>
          {deadMail.afterAttempts + deadMail.forRecipient === 0 && <p>No dead mail waits to be queued again, and none in the last {FOR_RECIPIENT_COUNTED_DAYS} days went to an address no mail server takes.</p>}
          {deadMail.afterAttempts > 0 && (
            <p className="notice warning" data-testid="dead-mail">
              {deadMail.afterAttempts} message{deadMail.afterAttempts === 1 ? '' : 's'} could not be delivered after every retry. List them
              with <code>npm run mail:dead</code> and queue them again with <code>npm run mail:dead -- --requeue all</code> once the
              mail server works.
            </p>
          )}
          {deadMail.forRecipient > 0 && (
            <p className="notice warning" data-testid="unmailable-mail">
              In the last {FOR_RECIPIENT_COUNTED_DAYS} days, {deadMail.forRecipient} message{deadMail.forRecipient === 1 ? ' was' : 's were'} never
              sent, and never will be: the address on record is not one a mail server can take. <code>npm run mail:dead</code> lists
              them; the mails to come go out once the address is corrected on record.
            </p>
          )}
        </section>
      )}
      {queue && (
        <section aria-labelledby="queue-heading">
          <h2 id="queue-heading">Verification queue</h2>
          <p data-testid="queue-health">
            {queue.depth} request{queue.depth === 1 ? '' : 's'} waiting for verifiers
            {queue.oldestWaited ? `; the oldest has waited ${queue.oldestWaited}` : ''}.
          </p>
          {queue.reasons.length > 0 && (
            <div className="notice warning" data-testid="queue-alert">
              {queue.reasons.map((reason) => (
                <p key={reason}>{reason}</p>
              ))}
            </div>
          )}
          <p className="muted">
            Operators are mailed, at most every {QUEUE_ALERT_EVERY_MS / 3600_000} hours, when {QUEUE_ALERT_DEPTH} or more requests wait
            or the oldest has waited {QUEUE_ALERT_OLDEST_MS / 3600_000} hours.
          </p>
        </section>
      )}
      {actor.role === 'OPERATOR' && (
        <section aria-labelledby="spray-heading">
          <h2 id="spray-heading">Failed sign-ins across agencies</h2>
          {sprays.length === 0 ? (
            <p>No agency has alerted its administrators of many failing accounts in the last hour.</p>
          ) : (
            <table className="table stack-table" data-testid="spray-alerts">
              <thead>
                <tr>
                  <th scope="col">Agency</th>
                  <th scope="col">Since (UTC)</th>
                  <th scope="col">Accounts</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Busiest addresses</th>
                </tr>
              </thead>
              <tbody>
                {sprays.map((spray) => (
                  <tr key={spray.agencyId}>
                    <td data-label="Agency">
                      {spray.agencyName} ({spray.agencyCode})
                    </td>
                    <td data-label="Since (UTC)">{spray.since.toISOString().slice(0, 16).replace('T', ' ')}</td>
                    <td data-label="Accounts">{spray.accounts}</td>
                    <td data-label="Attempts">{spray.attempts}</td>
                    <td data-label="Busiest addresses">{spray.addresses.slice(0, 5).map((a) => `${a.ip} (${a.attempts})`).join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </>
  );
}
