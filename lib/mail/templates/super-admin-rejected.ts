import type { MailMessage } from '@/lib/mail/outbox';
import { absoluteUrl, renderMail } from '@/lib/mail/render';
import { NEVER_ASKS } from './super-admin-shared';

/** To the address on record: the request was not approved, and why. */
export function superAdminRejectedMail(input: { to: string; displayName: string; reference: string; reason: string }): MailMessage {
  const content = renderMail({
    subject: `Your CareNotes request ${input.reference} was not approved`,
    paragraphs: [
      `Hello ${input.displayName},`,
      `CareNotes verifiers did not approve the super administrator password reset request ${input.reference}. The reason they gave, in their words:`,
      { quote: input.reason },
      'If you still cannot sign in, ask another administrator of your agency to reset your password. If there is none, you can file a new request.',
      NEVER_ASKS,
    ],
    action: { label: 'File a new request', url: absoluteUrl('/super-admin-reset') },
  });
  return { template: 'super-admin-rejected', to: input.to, ...content };
}
