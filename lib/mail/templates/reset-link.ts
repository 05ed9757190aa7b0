import type { MailMessage } from '@/lib/mail/outbox';
import { absoluteUrl, renderMail } from '@/lib/mail/render';
import { formatDateTime } from '@/lib/format/date';
import { NEVER_ASKS } from './super-admin-shared';

export type ResetLinkMailInput = {
  /** The address on record of the account: the only place the link ever goes. */
  to: string;
  displayName: string;
  token: string;
  expiresAt: Date;
  /** The agency's time zone: the expiry is said in it. */
  timeZone: string;
  /** The super-admin request the link completes, as people see it; absent when an agency administrator sent it. */
  superAdminReference?: string;
};

/**
 * The single-use link to choose a new password. The body is the secret itself, so the message is
 * `sensitive`: sealed in the outbox and wiped once delivered.
 */
export function resetLinkMail(input: ResetLinkMailInput): MailMessage {
  const why =
    input.superAdminReference !== undefined
      ? `CareNotes verifiers approved your super administrator password reset request ${input.superAdminReference}. Use the link below to choose a new password.`
      : 'An administrator of your agency sent you this link so that you can choose a new password yourself.';
  const content = renderMail({
    subject: 'Your CareNotes password reset link',
    paragraphs: [
      `Hello ${input.displayName},`,
      why,
      `The link works once, until ${formatDateTime(input.expiresAt, input.timeZone)}. Choosing a new password unlocks your account and signs it out everywhere.`,
      'If you did not expect this message, do not use the link, and tell your agency’s administrators.',
      NEVER_ASKS,
    ],
    action: { label: 'Choose a new password', url: absoluteUrl(`/reset/${input.token}`) },
    footer: ['Do not forward this message: anyone with the link can set your password until it is used or expires.'],
  });
  return { template: 'reset-link', to: input.to, ...content, sensitive: true };
}
