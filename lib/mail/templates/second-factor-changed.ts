import { formatDateTime } from '@/lib/format/date';
import type { MailMessage } from '@/lib/mail/outbox';
import { absoluteUrl, renderMail } from '@/lib/mail/render';

export type SecondFactorChange =
  | 'authenticator app added'
  | 'passkey added'
  | 'second factor removed'
  | 'new recovery codes made'
  | 'recovery code used to sign in'
  | 'recovery code used in a sign-in that did not go through'
  | 'second factors cleared by an administrator';

/** Tells the account's owner that their second factors changed, so an unexpected change is noticed. No secret inside. */
/** `to.timeZone`: the agency's, as every mail to its staff says times (the vendor's staff: the default). */
export function secondFactorChangedMail(to: { email: string; displayName: string; timeZone?: string }, change: SecondFactorChange, when: Date): MailMessage {
  return {
    template: 'second-factor-changed',
    to: to.email,
    ...renderMail({
      subject: 'Your CareNotes sign-in security changed',
      paragraphs: [
        `Hello ${to.displayName},`,
        `On ${formatDateTime(when, to.timeZone)}: ${change}.`,
        'If you did this, you do not need to do anything.',
        'If you did not, contact your provider administrator now: they can reset your password and your second factors.',
      ],
      action: { label: 'Sign-in help', url: absoluteUrl('/help#contact-admin') },
      footer: ['CareNotes staff will never ask for your password, codes or recovery codes.'],
    }),
  };
}
