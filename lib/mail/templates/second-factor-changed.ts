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
  | 'recovery code used to confirm it was you'
  | 'second factors cleared and password replaced by an administrator';

/**
 * Tells the account's owner that their second factors changed, so an unexpected change is noticed. No secret
 * inside. `to.timeZone`: the agency's, as every mail to its staff says times (the vendor's staff: the default).
 * Who to turn to is the owner's own: vendor staff have no provider administrator, and an agency's only
 * administrator has no other (review r41i F2).
 */
export function secondFactorChangedMail(to: { email: string; displayName: string; timeZone?: string; vendor?: boolean }, change: SecondFactorChange, when: Date): MailMessage {
  const byOthers = change === 'second factors cleared and password replaced by an administrator';
  return {
    template: 'second-factor-changed',
    to: to.email,
    ...renderMail({
      subject: 'Your CareNotes sign-in security changed',
      paragraphs: [
        `Hello ${to.displayName},`,
        `On ${formatDateTime(when, to.timeZone)}: ${change}.`,
        byOthers ? 'If you asked for this, sign in with the new password the team gave you, and add a second factor.' : 'If you did this, you do not need to do anything.',
        to.vendor
          ? `If you did not${byOthers ? ' ask for this' : ''}, tell the team that runs CareNotes password help now: they can clear your second factors and replace your password.`
          : `If you did not${byOthers ? ' ask for this' : ''}, contact your agency’s CareNotes administrator now: they can reset your password and your second factors. If you are your agency’s only administrator, send a super administrator password reset request from the sign-in help page.`,
      ],
      ...(to.vendor ? {} : { action: { label: 'Sign-in help', url: absoluteUrl('/help#contact-admin') } }),
      footer: ['CareNotes staff will never ask for your password, codes or recovery codes.'],
    }),
  };
}
