import type { MailMessage } from '@/lib/mail/outbox';
import { absoluteUrl, renderMail } from '@/lib/mail/render';

/** To an operator: the verification queue is deeper or older than its thresholds. Plain values only. */
export function superAdminQueueAlertMail(input: {
  to: string;
  depth: number;
  oldestWaited: string | null;
  reasons: string[];
  everyHours: number;
}): MailMessage {
  const content = renderMail({
    subject: `Verification queue needs attention: ${input.depth} waiting${input.oldestWaited ? `, oldest ${input.oldestWaited}` : ''}`,
    paragraphs: [
      'The super administrator verification queue has passed a threshold:',
      ...input.reasons,
      'Each of these requests is an agency whose only administrator cannot sign in. Please make sure verifiers are working the queue.',
    ],
    action: { label: 'Open the vendor workspace', url: absoluteUrl('/vendor') },
    footer: [`You get this at most once every ${input.everyHours} hours while the queue stays over a threshold.`],
  });
  return { template: 'super-admin-queue-alert', to: input.to, ...content };
}
