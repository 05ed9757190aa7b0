import { formatDateTime } from '@/lib/format/date';
import type { MailMessage } from '@/lib/mail/outbox';
import { absoluteUrl, renderMail } from '@/lib/mail/render';

export type RoleChange = { accountName: string; accountLogin: string; agencyName: string; byName: string; fromLabel: string; toLabel: string; when: Date; timeZone: string };

/**
 * The receipt for a role change, to the account and the agency's super admins: rights that appear
 * or vanish without anyone expecting it are how an account takeover shows.
 */
export function roleChangedReceiptMail(to: { email: string; displayName: string }, change: RoleChange): MailMessage {
  return {
    template: 'role-changed-receipt',
    to: to.email,
    ...renderMail({
      subject: `CareNotes role changed at ${change.agencyName}`,
      paragraphs: [
        `Hello ${to.displayName},`,
        `${change.byName} changed the role of ${change.accountName} (${change.accountLogin}) at ${change.agencyName} from ${change.fromLabel} to ${change.toLabel} on ${formatDateTime(change.when, change.timeZone)}. They were signed out everywhere, so the new role applies from their next sign-in.`,
        'This wasn’t expected? Someone may be misusing an administrator account. Contact your agency’s other administrators at once, and check the audit log in the admin console.',
      ],
      action: { label: 'Open the admin console', url: absoluteUrl('/admin') },
      footer: ['Every role change is reported to the account and to the agency’s super administrators.'],
    }),
  };
}
