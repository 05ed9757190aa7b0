import { formatDateTime } from '@/lib/format/date';
import type { MailMessage } from '@/lib/mail/outbox';
import { absoluteUrl, renderMail } from '@/lib/mail/render';

/**
 * `fromKnownBrowser`: the tries came from a browser where the account had signed in before (its own
 * lock), not a stranger's. `otherBrowsersLocked`: the other kind of browser is locked out as well.
 */
export type AccountLock = { until: Date | null; failures: number; fromAddress: string | null; fromKnownBrowser: boolean; otherBrowsersLocked: boolean };

/**
 * Tells the account's owner their account is locked (the streak's first lock, and the hard lock):
 * a stranger who guesses at a known account, a lone super admin's above all, must not lock it
 * without anyone knowing. No secret inside; the password is unchanged.
 */
export function accountLockedMail(to: { email: string; displayName: string; timeZone?: string }, lock: AccountLock, who: 'agency' | 'vendor'): MailMessage {
  const from = lock.fromAddress ? ` The last one came from the network address ${lock.fromAddress}.` : '';
  const ask = who === 'agency' ? 'your provider administrator' : 'the colleague who runs the CareNotes password help portal';
  return {
    template: 'account-locked',
    to: to.email,
    ...renderMail({
      subject: 'Your CareNotes account is locked',
      paragraphs: [
        `Hello ${to.displayName},`,
        lock.until
          ? `After ${lock.failures} wrong passwords or codes in a row, your account is locked until ${formatDateTime(lock.until, to.timeZone)}. It unlocks by itself then; more wrong tries lock it for longer.${from}`
          : `After ${lock.failures} wrong passwords or codes in a row, your account is locked until an administrator unlocks it.${from}`,
        lock.otherBrowsersLocked
          ? 'Every browser is locked out of your account for now, those where you have signed in to it before as well as new ones.'
          : !lock.fromKnownBrowser
            ? 'The lock stops browsers where your account has not signed in before. On a computer or phone where you have signed in to it before, you can still sign in.'
            : 'The wrong tries came from a browser where your account had signed in before; such browsers are locked for now. A browser new to your account is not.',
        'If this was you, wait for the lock to end, or ask ' + ask + ' to unlock your account.',
        `If it was not you, someone may be guessing at your password. Nobody signed in: your password and second factors still work. Tell ${ask}${who === 'agency' ? '; if you are your agency’s only super administrator, ask CareNotes for a reset link at the sign-in help page' : ''}.`,
      ],
      action: { label: 'Sign-in help', url: absoluteUrl('/help') },
      footer: ['CareNotes staff will never ask for your password, codes or recovery codes.'],
    }),
  };
}
