import { formatDateTime } from '@/lib/format/date';
import type { MailMessage } from '@/lib/mail/outbox';
import { absoluteUrl, renderMail } from '@/lib/mail/render';

/**
 * Tells the owner that their passkey was suspended because a copy of it may exist (lib/mfa/suspend-passkey.ts),
 * and what to do: replace it. Sent once per suspension. `to.timeZone` and `to.vendor` as secondFactorChangedMail.
 */
export function passkeySuspendedMail(to: { email: string; displayName: string; timeZone?: string; vendor?: boolean }, passkeyName: string, when: Date): MailMessage {
  const securityPage = to.vendor ? '/vendor/security' : '/account/security';
  return {
    template: 'passkey-suspended',
    to: to.email,
    ...renderMail({
      subject: 'A copy of your CareNotes passkey may exist',
      paragraphs: [
        `Hello ${to.displayName},`,
        `On ${formatDateTime(when, to.timeZone)}, your passkey “${passkeyName}” was used with a count lower than at an earlier use. A passkey’s count only goes up, so another copy of it may exist, on another device or in someone else’s hands.`,
        `We have suspended it: neither it nor any copy of it can sign in or confirm anything now. Your password, your other passkeys and your recovery codes still work, and so does your authenticator app${
          // An admin of an agency requiring passkeys for admins has no app code to fall back on (review r55h M2).
          to.vendor ? '' : ' unless your agency requires administrators to use passkeys'
        }.`,
        `What to do: sign in another way (another passkey, or your password with a recovery code, or with your app’s code where it is still accepted), open Sign-in security, add a new passkey, then remove “${passkeyName}”. Removing it also signs out every other browser signed in to your account.`,
        to.vendor
          ? 'If you cannot sign in, tell the team that runs CareNotes password help: they can clear your second factors and replace your password.'
          : 'If you cannot sign in, contact your agency’s CareNotes administrator: they can clear your second factors and reset your password. If you are your agency’s only administrator, send a super administrator password reset request from the sign-in help page.',
      ],
      action: { label: 'Open Sign-in security', url: absoluteUrl(securityPage) },
      footer: ['CareNotes staff will never ask for your password, codes or recovery codes.'],
    }),
  };
}
