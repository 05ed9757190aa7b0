import { formatDateTime } from '@/lib/format/date';
import type { MailMessage } from '@/lib/mail/outbox';
import { absoluteUrl, renderMail } from '@/lib/mail/render';

/**
 * `fromKnownBrowser`: the tries came from a browser where the account had signed in before (its own
 * lock), not a stranger's. `otherBrowsersLocked`: the other kind of browser is locked out as well.
 * `setBy`: what the tries of the lock's streak prove of whoever made them (whatTheStreakProves in password-attempt.ts).
 * `temporaryPasswordOpen`: an admin's temporary password, still to be used, opens the account through the lock, up
 * to its `secondFactor`'s step, which the lock holds (decision 065 addendum).
 */
export type AccountLock = {
  until: Date | null;
  failures: number;
  fromAddress: string | null;
  fromKnownBrowser: boolean;
  otherBrowsersLocked: boolean;
  setBy: LockSetBy;
  temporaryPasswordOpen: boolean;
  secondFactor: boolean;
};

/**
 * `guesses`: wrong passwords (or passkeys) at a sign-in; `codes after the password`: the right password, then wrong
 * codes at the sign-in's second step; `a signed-in session`: wrong codes or passwords from a session signed in as the account.
 */
export type LockSetBy = 'guesses' | 'codes after the password' | 'a signed-in session';

/**
 * Tells the account's owner their account is locked (the streak's first lock, and the hard lock):
 * a stranger who guesses at a known account, a lone super admin's above all, must not lock it
 * without anyone knowing. No secret inside; the password is unchanged.
 */
// What the tries prove, said to an owner who did not make them: a right password typed before wrong codes
// is a known password, and a signed-in session is someone inside the account (review r42d F1).
function ifItWasNotYou(setBy: LockSetBy, who: 'agency' | 'vendor', ask: string): string {
  const lone = who === 'agency' ? '; if you are your agency’s only super administrator, ask CareNotes for a reset link at the sign-in help page' : '';
  const reset = `ask ${ask} to ${who === 'agency' ? 'reset' : 'replace'} your password now`;
  switch (setBy) {
    case 'guesses':
      return `If it was not you, someone may be guessing at your password. Nobody signed in: your password and second factors still work. Tell ${ask}${lone}.`;
    case 'codes after the password':
      return `If it was not you, someone knows your password: it was typed right, then the codes were wrong. Nobody signed in. To stop them, ${reset}${lone}.`;
    case 'a signed-in session':
      return `The wrong tries came from a browser signed in to your account. If it was not you, someone is signed in as you: ${reset}, which signs out every browser${lone}.`;
  }
}

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
        lock.temporaryPasswordOpen
          ? lock.secondFactor
            ? 'Until then, no browser can finish signing in to your account, not even with the temporary password your administrator gave you: the code step is locked too.'
            : 'The temporary password your administrator gave you still opens your account from any browser until it expires: sign in with it and choose a new password.'
          : lock.otherBrowsersLocked
          ? 'Every browser is locked out of your account for now, those where you have signed in to it before as well as new ones.'
          : !lock.fromKnownBrowser
            ? 'The lock stops browsers where your account has not signed in before. On a computer or phone where you have signed in to it before, you can still sign in.'
            : 'The wrong tries came from a browser where your account had signed in before; such browsers are locked for now. A browser new to your account is not.',
        'If this was you, wait for the lock to end, or ask ' + ask + ' to unlock your account.',
        ifItWasNotYou(lock.setBy, who, ask),
      ],
      action: { label: 'Sign-in help', url: absoluteUrl('/help') },
      footer: ['CareNotes staff will never ask for your password, codes or recovery codes.'],
    }),
  };
}
