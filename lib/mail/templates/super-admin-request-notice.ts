import type { MailMessage } from '@/lib/mail/outbox';
import { absoluteUrl, renderMail } from '@/lib/mail/render';
import { formatDateTime } from '@/lib/format/date';
import { NEVER_ASKS } from './super-admin-shared';

export type RequestNoticeInput = {
  to: string;
  /** True for the account the request names, false for the agency's other administrators. */
  toAccountHolder: boolean;
  account: { displayName: string; loginName: string };
  agency: { name: string; code: string; timeZone: string };
  /** As people see it (formatted by the super-admin feature). */
  reference: string;
  submittedAt: Date;
  cancelToken: string;
};

/**
 * The canary: sent to the addresses on record, never to the one typed in the form. Nothing the
 * requester typed appears here (only what is on record), so the form cannot be used to put words
 * in front of an agency's administrators. The "this wasn't me" link is a secret: sealed while queued.
 */
export function superAdminRequestNoticeMail(input: RequestNoticeInput): MailMessage {
  const { account, agency } = input;
  const whose = input.toAccountHolder
    ? `your administrator account ${account.loginName}`
    : `the administrator account ${account.loginName} (${account.displayName})`;
  const content = renderMail({
    subject: input.toAccountHolder
      ? 'Someone asked CareNotes to reset your administrator password'
      : `Someone asked CareNotes to reset the password of ${account.displayName}`,
    paragraphs: [
      `On ${formatDateTime(input.submittedAt, agency.timeZone)}, someone filed the CareNotes super administrator password reset form for ${whose} at ${agency.name} (${agency.code}). Reference: ${input.reference}.`,
      'Before anything happens, CareNotes verifiers call your agency’s phone number on record. If they approve, a single-use link is e-mailed only to the address on record for that account.',
      input.toAccountHolder
        ? 'If you did not ask for this, cancel the request now with the link below.'
        : 'If you know this request was not made by them, cancel it now with the link below.',
      NEVER_ASKS,
    ],
    action: { label: 'This wasn’t me: cancel the request', url: absoluteUrl(`/super-admin-reset/cancel/${input.cancelToken}`) },
    footer: [`You get this message because this address is on record for an administrator of ${agency.name}.`],
  });
  return { template: 'super-admin-request-notice', to: input.to, ...content, sensitive: true };
}
