import type { MailMessage } from '@/lib/mail/outbox';
import { absoluteUrl, renderMail } from '@/lib/mail/render';
import { formatDateTime } from '@/lib/format/date';
import { NEVER_ASKS } from './super-admin-shared';

/**
 * To the account holder whose reset link from CareNotes (a super administrator request) a sign-in
 * with one of her second factors ended: she did not lose them, or someone else holds one. Either way
 * she hears of it at the address the link went to, with what to do if it was not her.
 */
export function fourEyesLinkEndedMail(to: { email: string; displayName: string; timeZone?: string }, signedInAt: Date, fromAddress: string): MailMessage {
  return {
    template: 'four-eyes-link-ended',
    to: to.email,
    ...renderMail({
      subject: 'Your CareNotes reset link no longer works',
      paragraphs: [
        `Hello ${to.displayName},`,
        `On ${formatDateTime(signedInAt, to.timeZone)}, your account signed in with your password and second factor, or with a passkey, from the network address ${fromAddress}. The password reset link CareNotes mailed you after your request no longer works: it would have removed the second factors that signed in.`,
        'If that was you, you do not need to do anything.',
        'If it was not you, someone holds your password and a second factor, or a passkey of yours. Tell your agency’s other administrators at once, or file a new request at the sign-in help page.',
        NEVER_ASKS,
      ],
      action: { label: 'Sign-in help', url: absoluteUrl('/help') },
    }),
  };
}
