import { formatDateTime } from '@/lib/format/date';
import type { MailMessage } from '@/lib/mail/outbox';
import { absoluteUrl, renderMail } from '@/lib/mail/render';

export type SprayAlertFigures = { since: Date; accounts: number; attempts: number; addresses: { ip: string; attempts: number }[] };

/** Tells an agency's admin that many of its accounts are failing to sign in at once: a password spray or a lock-out attempt. */
export function signInSprayAlertMail(
  to: { email: string; displayName: string; agencyName: string; timeZone?: string },
  figures: SprayAlertFigures,
  when: Date,
): MailMessage {
  const addresses = figures.addresses.map((a) => `${a.ip} (${a.attempts} attempt${a.attempts === 1 ? '' : 's'})`).join(', ');
  return {
    template: 'sign-in-spray-alert',
    to: to.email,
    ...renderMail({
      subject: `Many failed sign-ins at ${to.agencyName}`,
      paragraphs: [
        `Hello ${to.displayName},`,
        `Since ${formatDateTime(figures.since, to.timeZone)}, ${figures.attempts} sign-in attempts failed at ${to.agencyName}; they tried ${figures.accounts} of its accounts (as of ${formatDateTime(when, to.timeZone)}).`,
        `They came from ${figures.addresses.length}${figures.addresses.length >= 20 ? ' or more' : ''} network address${figures.addresses.length === 1 ? '' : 'es'}: ${addresses || 'none recorded'}.`,
        'This looks like someone trying common passwords on many accounts. Addresses that keep failing are slowed down; people who type their own password still get in.',
        'Accounts locked by these attempts are listed in the admin console, where you can unlock them together. Ask staff to choose long passphrases that are not common.',
      ],
      action: { label: 'Open the admin console', url: absoluteUrl('/admin') },
      footer: ['You get at most one of these messages an hour while the attempts go on. CareNotes staff will never ask for your password.'],
    }),
  };
}
