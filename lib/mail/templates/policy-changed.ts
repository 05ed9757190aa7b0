import { formatDateTime } from '@/lib/format/date';
import type { MailMessage } from '@/lib/mail/outbox';
import { absoluteUrl, renderMail } from '@/lib/mail/render';
import type { PolicyChange } from '@/lib/policy/agency-policy';

export type PolicySave = { agencyName: string; byName: string; changes: PolicyChange[]; when: Date; timeZone: string };

/**
 * The receipt for a change to the agency's security policy, to each of its super admins: a rule turned off or
 * a lock made laxer, unseen, is how someone holding a super admin's session prepares the next step (review r55g F1).
 */
export function policyChangedMail(to: { email: string; displayName: string }, save: PolicySave): MailMessage {
  const looser = save.changes.some((change) => change.looser);
  return {
    template: 'policy-changed-receipt',
    to: to.email,
    ...renderMail({
      subject: `CareNotes security policy changed at ${save.agencyName}`,
      paragraphs: [
        `Hello ${to.displayName},`,
        `${save.byName} changed the security policy of ${save.agencyName} on ${formatDateTime(save.when, save.timeZone)}:`,
        save.changes.map((change) => `- ${change.label}: was ${change.from}, now ${change.to}${change.looser ? ' (less strict)' : ''}`).join('\n'),
        ...(looser ? ['Changes marked “less strict” make it easier to sign in to your agency’s accounts, for their owners and for anyone guessing.'] : []),
        'This wasn’t expected? Someone may be misusing a super administrator account. Contact your agency’s other administrators at once, check the audit log in the admin console, and set the policy back.',
      ],
      action: { label: 'Open the security policy', url: absoluteUrl('/admin/policy') },
      footer: ['Every change to the security policy is reported to the agency’s super administrators.'],
    }),
  };
}
