import type { MailMessage } from '@/lib/mail/outbox';
import { absoluteUrl, renderMail } from '@/lib/mail/render';

/** Double opt-in: nothing is sent to the address until its owner follows this link. */
export function statusSubscriptionConfirmMail(to: string, confirmPath: string, validDays: number): MailMessage {
  const { subject, text, html } = renderMail({
    subject: 'Confirm your CareNotes status alerts',
    paragraphs: [
      'Someone, probably you, asked to get an e-mail when CareNotes has an incident or planned maintenance.',
      `To start getting these alerts, confirm your subscription within ${validDays} days. If you did not ask for this, ignore this message: no alert is sent to you unless this link is followed.`,
    ],
    action: { label: 'Confirm my subscription', url: absoluteUrl(confirmPath) },
    footer: [`Current status: ${absoluteUrl('/status')}`],
  });
  // Sealed: anyone reading the outbox could otherwise confirm an address that never agreed.
  // Bulk: anyone may cause one, for any address, 20 an hour from each of their addresses; a burst of them never goes
  // before the mail people are waiting for, a reset link first (review r52b F2).
  return { template: 'status-subscription-confirm', to, subject, text, html, headers: { 'Auto-Submitted': 'auto-generated' }, sensitive: true, bulk: true };
}
