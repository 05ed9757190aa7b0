import type { MailMessage } from '@/lib/mail/outbox';
import { absoluteUrl, renderMail } from '@/lib/mail/render';

/** An alert's words, worked out by the status feature once per event (lib/status/status-alert-content.ts). */
export type StatusAlertContent = { template: string; subject: string; paragraphs: string[] };

/**
 * One subscriber's copy. Every alert carries a one-click unsubscribe: the link in the body, and
 * List-Unsubscribe with List-Unsubscribe-Post (RFC 8058) so mail programs offer their own button.
 * It names its subscriber, so that one who unsubscribes while it waits in the outbox is not sent it.
 */
export function statusAlertMail(to: string, content: StatusAlertContent, subscription: { subscriberId: string; unsubscribePath: string }): MailMessage {
  const { subscriberId, unsubscribePath } = subscription;
  const unsubscribeUrl = absoluteUrl(unsubscribePath);
  const { subject, text, html } = renderMail({
    subject: content.subject,
    paragraphs: content.paragraphs,
    action: { label: 'See the current status', url: absoluteUrl('/status') },
    footer: ['You get this because you subscribed to CareNotes status alerts.', `Unsubscribe with one click: ${unsubscribeUrl}`],
  });
  return {
    template: content.template,
    to,
    subject,
    text,
    html,
    headers: {
      'List-Unsubscribe': `<${unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Auto-Submitted': 'auto-generated',
    },
    // The unsubscribe link never expires: no copy of it stays readable in the outbox.
    sensitive: true,
    statusSubscriberId: subscriberId,
    bulk: true,
  };
}
