import { SignOutButton } from '@/components/auth/sign-out-button';
import { getActor } from '@/lib/auth/guards';
import { SECOND_FACTOR_PENDING_MS } from '@/lib/auth/session';
import { SECOND_FACTOR_LOCKED, SECOND_FACTOR_TIMED_OUT, SIGN_IN_PATH, SIGNED_OUT, signInMessage, TEMPORARY_PASSWORD_NOTICE } from '@/lib/auth/sign-in-messages';
import { thisBrowser } from '@/lib/auth/browser-session';
import { ANYONE, doneAt } from '@/lib/http/done-notice';

const SAID = {
  [SIGNED_OUT]: 'You are signed out.',
  [SECOND_FACTOR_TIMED_OUT]: `Your sign-in ran out of time: the code must be entered within ${SECOND_FACTOR_PENDING_MS / 60_000} minutes of your password. Sign in again.`,
  [SECOND_FACTOR_LOCKED]: 'Too many wrong codes. Your account is locked for a while: sign in again later, or ask your administrator to unlock it.',
  [TEMPORARY_PASSWORD_NOTICE.TEMPORARY_PASSWORD_USED]: signInMessage('TEMPORARY_PASSWORD_USED'),
  [TEMPORARY_PASSWORD_NOTICE.TEMPORARY_PASSWORD_EXPIRED]: signInMessage('TEMPORARY_PASSWORD_EXPIRED'),
} as const;

/**
 * What ended the session, on the sign-in page it sent the browser to (its `?done=`, signed): a
 * sign-out, a code step that ran out of time or locked the account, or one whose temporary password another sign-in claimed
 * first or that ended meanwhile. Each is signed for the browser it was sent to (its notice cookie), so a link someone else
 * got says nothing here (review r42a F1); the code step's time-out alone is said to anyone. The notice is shown only to a
 * browser that holds no session, and one that still does is told so (review r34a F1).
 * On a shared computer, the next person relies on it. The session is read only for a valid `done`:
 * the bare page stays the same for everyone, and is sent from memory (server.mjs).
 */
export async function SignedOutNotice({ page, done }: { page: (typeof SIGN_IN_PATH)[keyof typeof SIGN_IN_PATH]; done: string | undefined }) {
  if (done === undefined) return null;
  // Signed for this browser by what ended its session; for anyone only a code step that ran out (a page's guard, which sets no cookie).
  const name = doneAt(page, done, await thisBrowser()) ?? doneAt(page, done, ANYONE);
  if (name === undefined || !Object.hasOwn(SAID, name)) return null;
  const actor = await getActor();
  if (actor) {
    return name === SIGNED_OUT ? (
      <div className="notice warning" role="status">
        <p>You are still signed in on this browser.</p>
        <SignOutButton vendor={actor.kind === 'vendor'} />
      </div>
    ) : null;
  }
  return (
    <p className={`notice ${name === SIGNED_OUT ? 'success' : 'warning'}`} role="status">
      {SAID[name as keyof typeof SAID]}
    </p>
  );
}
