import { SignOutButton } from '@/components/auth/sign-out-button';
import { getActor } from '@/lib/auth/guards';
import { SIGNED_OUT } from '@/lib/auth/sign-in-messages';
import { ANYONE, doneAt } from '@/lib/http/done-notice';

/**
 * "You are signed out", on the sign-in page a sign-out sent the browser to (its `?done=`, signed).
 * Anyone can get such a link, by signing out with no session, and send it on: the notice is shown
 * only to a browser that holds no session, and one that still does is told so (review r34a F1). On a
 * shared computer, the next person relies on it.
 */
export async function SignedOutNotice({ page, done }: { page: '/login'; done: string | undefined }) {
  if (doneAt(page, done, ANYONE) !== SIGNED_OUT) return null;
  const actor = await getActor();
  if (actor) {
    return (
      <div className="notice warning" role="status">
        <p>You are still signed in on this browser.</p>
        <SignOutButton vendor={actor.kind === 'vendor'} />
      </div>
    );
  }
  return (
    <p className="notice success" role="status">
      You are signed out.
    </p>
  );
}
