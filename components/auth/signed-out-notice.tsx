import { SIGNED_OUT } from '@/lib/auth/sign-in-messages';
import { ANYONE, doneAt } from '@/lib/http/done-notice';

/** "You are signed out", on the sign-in page a sign-out sent the browser to (its `?done=`, signed). */
export function SignedOutNotice({ page, done }: { page: '/login'; done: string | undefined }) {
  if (doneAt(page, done, ANYONE) !== SIGNED_OUT) return null;
  return (
    <p className="notice success" role="status">
      You are signed out.
    </p>
  );
}
