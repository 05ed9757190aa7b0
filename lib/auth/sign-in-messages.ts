import type { SignInFailure } from '@/lib/auth/sign-in';

function accountThrottled(minutes: number, whomToTell: string): string {
  const wait = minutes === 1 ? '1 minute' : `${minutes} minutes`;
  return (
    `Too many sign-ins to this account in the last 15 minutes. Wait ${wait} and try again. ` +
    `If they were not all yours, someone may be trying to use your account: ${whomToTell}.`
  );
}

// What each sign-in refusal tells a person. INVALID is deliberately the same for an
// unknown agency, unknown user, wrong password, disabled or locked account.
const SIGN_IN_MESSAGES: Record<SignInFailure, string> = {
  INVALID:
    'The details you entered are not right, or the account cannot sign in just now. Check them and try again. ' +
    'After several failed attempts an account is locked for a few minutes; your provider administrator can unlock it.',
  THROTTLED: 'Too many failed sign-ins from your network. Wait 15 minutes and try again.',
  // Told only to whoever typed the account's right password, or to a browser it signed in from before.
  ACCOUNT_THROTTLED: accountThrottled(15, 'ask your provider administrator to reset your password'),
  // A reset link sent since ends it too (decision 058): the link is then the way in, and a new temporary password would end it.
  TEMPORARY_PASSWORD_EXPIRED:
    'Your temporary password has expired, or a reset link sent to your e-mail address replaced it. Use the newest link if you have one; otherwise contact your provider administrator to get a new one.',
  TEMPORARY_PASSWORD_USED:
    'Your temporary password has been used to sign in already, and works only once. Contact your provider administrator to get a new one.',
  BAD_INPUT:
    'Check what you entered. Codes and names cannot contain hidden or control characters, and a password can be at most 1024 characters.',
};

// Vendor staff have no provider administrator: their locks end with time, or by `npm run vendor:unlock`.
const VENDOR_HELPER = 'the colleague who runs the CareNotes password help portal';
const VENDOR_INVALID = SIGN_IN_MESSAGES.INVALID.replace('your provider administrator', VENDOR_HELPER);

/**
 * `retryAfterSeconds`: an address slowed while failing on many accounts waits seconds, not the quarter
 * hour of its limit. `kind`: whose sign-in page it is.
 */
export function signInMessage(reason: SignInFailure, retryAfterSeconds?: number, kind: 'agency' | 'vendor' = 'agency'): string {
  if (reason === 'THROTTLED' && retryAfterSeconds !== undefined && retryAfterSeconds > 0) {
    const wait = retryAfterSeconds === 1 ? '1 second' : `${retryAfterSeconds} seconds`;
    return `Too many failed sign-ins from your network just now. Wait ${wait} and try again.`;
  }
  if (reason === 'ACCOUNT_THROTTLED') {
    const minutes = Math.max(1, Math.ceil((retryAfterSeconds ?? 15 * 60) / 60));
    return accountThrottled(minutes, kind === 'vendor' ? `tell ${VENDOR_HELPER}` : 'ask your provider administrator to reset your password');
  }
  if (kind === 'vendor' && (reason === 'INVALID' || !Object.hasOwn(SIGN_IN_MESSAGES, reason))) return VENDOR_INVALID;
  return SIGN_IN_MESSAGES[reason] ?? SIGN_IN_MESSAGES.INVALID;
}

/** Each kind of account's sign-in page: where a sign-out, or a code step that ran out of time, locked the account or was refused its temporary password, lands with its notice. */
export const SIGN_IN_PATH = { agency: '/login', vendor: '/vendor/login' } as const;

/** The done notice sign-out leaves for the sign-in page; signed for anyone, it proves only that a sign-out sent the browser there just now. */
export const SIGNED_OUT = 'signed-out';

/** The done notice of a code step whose session ran out (SECOND_FACTOR_PENDING_MS) before the code came (review r34b F3). */
export const SECOND_FACTOR_TIMED_OUT = 'second-factor-timed-out';

/**
 * The done notice of a code step whose wrong codes locked the account (its pending session ended). Signed, as
 * the others are: a page anyone could link to would back an impostor's "your account is locked, call us" (review r38b I1).
 */
export const SECOND_FACTOR_LOCKED = 'second-factor-locked';

/** The done notices of a code step whose temporary password another sign-in claimed first, or that ended meanwhile (decision 058). */
export const TEMPORARY_PASSWORD_NOTICE = { TEMPORARY_PASSWORD_USED: 'temporary-password-used', TEMPORARY_PASSWORD_EXPIRED: 'temporary-password-expired' } as const;
