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
  /**
   * Only for a request opened by re-filing: how many filings it holds, and the references of the
   * earliest and the latest (its own first, formatted; GATHERED_AT_EACH_END of each). Its repeats
   * end with it, so whoever answers must be able to recognise their own filing among them.
   */
  gathers?: Gathered;
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
      ...(input.gathers ? [gathered(input.gathers, input.toAccountHolder)] : []),
      'Before anything happens, CareNotes verifiers call your agency’s phone number on record. If they approve, a single-use link is e-mailed only to the address on record for that account.',
      (input.gathers?.total ?? 1) > 1
        ? input.toAccountHolder
          ? 'If you made none of them, cancel the request now with the link below: that ends them all.'
          : 'If you know none of them was made by them, cancel it now with the link below: that ends them all.'
        : input.toAccountHolder
          ? 'If you did not ask for this, cancel the request now with the link below.'
          : 'If you know this request was not made by them, cancel it now with the link below.',
      NEVER_ASKS,
    ],
    action: { label: 'This wasn’t me: cancel the request', url: absoluteUrl(`/super-admin-reset/cancel/${input.cancelToken}`) },
    footer: [`You get this message because this address is on record for an administrator of ${agency.name}.`],
  });
  return { template: 'super-admin-request-notice', to: input.to, ...content, sensitive: true };
}

/**
 * How many of a re-filed request's earliest references, and of its latest, its notice names: a
 * stranger may have attached thousands of filings to the request it replaces (review r31a F1), and
 * the owner's own may have come before them or after (review r31d); the rest are counted.
 */
export const GATHERED_AT_EACH_END = 10;

/** A re-filed request's filings: how many, the earliest references, and the latest if more. */
export type Gathered = { total: number; earliest: string[]; latest: string[] };

/** A re-filed request's paragraph: which filings it holds, and not to cancel one's own. */
function gathered({ total, earliest, latest }: Gathered, toAccountHolder: boolean): string {
  const whose = toAccountHolder ? 'your account' : 'this account';
  const between = total - earliest.length - latest.length;
  const references =
    between > 0 ? `${earliest.join(', ')}, then ${between.toLocaleString('en-US')} more, then ${latest.join(', ')}` : [...earliest, ...latest].join(', ');
  const filings =
    total === 1
      ? `This request was filed while an earlier request for ${whose} was open (reference ${earliest[0]}).`
      : `This request gathers ${total.toLocaleString('en-US')} filings made while an earlier request for ${whose} was open (references ${references}).`;
  const mine = total === 1 ? (toAccountHolder ? 'If it is yours' : 'If it is theirs') : toAccountHolder ? 'If one of them is yours' : 'If one of them is theirs';
  return `${filings} ${mine}, do not cancel: a CareNotes verifier will call your agency’s phone number on record.`;
}
