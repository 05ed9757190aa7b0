import { formatDateTime } from '@/lib/format/date';
import type { MailMessage } from '@/lib/mail/outbox';
import { absoluteUrl, renderMail } from '@/lib/mail/render';

/** Tells the account's owner their password changed, so an unexpected change is noticed. No secret inside. */
export function passwordChangedMail(to: { email: string; displayName: string; agencyName: string; timeZone?: string }, when: Date): MailMessage {
  return {
    template: 'password-changed',
    to: to.email,
    ...renderMail({
      subject: 'Your CareNotes password was changed',
      paragraphs: [
        `Hello ${to.displayName},`,
        `The password of your CareNotes account at ${to.agencyName} was changed on ${formatDateTime(when, to.timeZone)}. You have been signed out everywhere else.`,
        'If you did this, you do not need to do anything.',
        'If you did not, contact your provider administrator now: they can reset your password and check your account.',
      ],
      action: { label: 'Sign-in help', url: absoluteUrl('/help#contact-admin') },
      footer: ['CareNotes staff will never ask for your password.'],
    }),
  };
}
