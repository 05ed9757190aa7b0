import { formatDateTime } from '@/lib/format/date';
import type { MailMessage } from '@/lib/mail/outbox';
import { absoluteUrl, renderMail } from '@/lib/mail/render';

type Account = { email: string; displayName: string; agencyName: string; timeZone?: string };

/**
 * To a staff member whose password an administrator reset (with their second factors, when
 * `secondFactorsCleared`: a lost phone). Never holds the temporary password.
 */
export function passwordResetByAdminMail(to: Account, adminName: string, when: Date, { secondFactorsCleared = false } = {}): MailMessage {
  const what = secondFactorsCleared
    ? 'reset your CareNotes password and cleared your second factors (authenticator apps, passkeys and recovery codes)'
    : 'reset your CareNotes password';
  return {
    template: 'password-reset-by-admin',
    to: to.email,
    ...renderMail({
      subject: 'Your CareNotes password was reset by your administrator',
      paragraphs: [
        `Hello ${to.displayName},`,
        `${adminName}, an administrator at ${to.agencyName}, ${what} on ${formatDateTime(when, to.timeZone)}.`,
        'They will give you a temporary password in person or by phone. It is never sent by e-mail. When you sign in with it, you will be asked to choose your own password.',
        'If you did not ask for this, contact your provider administrator.',
      ],
      action: { label: 'Sign in', url: absoluteUrl('/login') },
      footer: ['CareNotes staff will never ask for your password.'],
    }),
  };
}

/**
 * The receipt for any reset of an administrator's account, to the agency's super admins and
 * the account itself: who did it, when, and what to do if nobody expected it.
 */
/** How an administrator account was reset: its password (one way or the other), or its second factors. */
export type AdminAccountReset = 'temporary password' | 'reset link by e-mail' | 'second factors cleared';

export function adminAccountResetReceiptMail(
  to: { email: string; displayName: string },
  reset: { accountName: string; accountLogin: string; agencyName: string; timeZone: string; byName: string; method: AdminAccountReset; when: Date },
): MailMessage {
  const account = `the administrator account ${reset.accountName} (${reset.accountLogin}) at ${reset.agencyName}`;
  const when = `by ${reset.byName} on ${formatDateTime(reset.when, reset.timeZone)}`;
  const factors = reset.method === 'second factors cleared';
  return {
    template: 'admin-reset-receipt',
    to: to.email,
    ...renderMail({
      subject: factors ? `Administrator second factors cleared at ${reset.agencyName}` : `Administrator password reset at ${reset.agencyName}`,
      paragraphs: [
        `Hello ${to.displayName},`,
        factors
          ? `The second factors (authenticator apps, passkeys and recovery codes) of ${account} were cleared ${when}, and its password reset to a temporary one. The account must choose a new password and add a new factor at its next sign-in.`
          : `The password of ${account} was reset ${when} (${reset.method}).`,
        'This wasn’t expected? Someone may be trying to take over an administrator account. Contact your agency’s other administrators at once, and check the audit log in the admin console.',
      ],
      action: { label: 'Open the admin console', url: absoluteUrl('/admin') },
      footer: ['Every reset of an administrator account is reported to the agency’s super administrators and to the account itself.'],
    }),
  };
}
