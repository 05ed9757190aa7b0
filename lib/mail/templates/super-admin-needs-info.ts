import type { MailMessage } from '@/lib/mail/outbox';
import { absoluteUrl, renderMail } from '@/lib/mail/render';
import { NEVER_ASKS } from './super-admin-shared';

/** To the address on record: a verifier needs more before the request can go on. */
export function superAdminNeedsInfoMail(input: { to: string; displayName: string; reference: string; message: string }): MailMessage {
  const content = renderMail({
    subject: `CareNotes needs more information about your request ${input.reference}`,
    paragraphs: [
      `Hello ${input.displayName},`,
      `A CareNotes verifier needs more information about your super administrator password reset request ${input.reference}. Their words:`,
      { quote: input.message },
      'A verifier will call your agency’s phone number on record. Please make sure someone there can reach you.',
      NEVER_ASKS,
    ],
    action: { label: 'Check the state of your request', url: absoluteUrl('/super-admin-reset/status') },
  });
  return { template: 'super-admin-needs-info', to: input.to, ...content };
}
