import type { MailMessage } from '@/lib/mail/outbox';
import { renderMail } from '@/lib/mail/render';
import { formatDateTime } from '@/lib/format/date';
import { NEVER_ASKS } from './super-admin-shared';

/** A receipt to the account and the agency's other administrators once the link has been used. */
export function superAdminResetCompletedMail(input: {
  to: string;
  toAccountHolder: boolean;
  account: { displayName: string; loginName: string };
  agency: { name: string; timeZone: string };
  /** As people see it (formatted by the super-admin feature). */
  reference: string;
  completedAt: Date;
}): MailMessage {
  const whose = input.toAccountHolder
    ? `your account ${input.account.loginName}`
    : `${input.account.displayName} (${input.account.loginName})`;
  const content = renderMail({
    subject: input.toAccountHolder
      ? 'Your CareNotes password was changed'
      : `The CareNotes password of ${input.account.displayName} was changed`,
    paragraphs: [
      `On ${formatDateTime(input.completedAt, input.agency.timeZone)}, a new password was set for ${whose} at ${input.agency.name} with a single-use link, completing super administrator request ${input.reference}. Every session of that account has been ended.`,
      'If this was not expected, tell your agency’s other administrators at once: they can reset the password and check the account.',
      NEVER_ASKS,
    ],
  });
  return { template: 'super-admin-reset-completed', to: input.to, ...content };
}
