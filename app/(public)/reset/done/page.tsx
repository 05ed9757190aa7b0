import type { Metadata } from 'next';
import Link from 'next/link';
import { publicPage } from '@/lib/auth/guards';

export const metadata: Metadata = { title: 'Your new password is set' };

/** Where a reset link's form lands once the new password is saved, with JavaScript or without. */
export default publicPage(function ResetDonePage() {
  return (
    <>
      <h1>Your new password is set</h1>
      <div className="notice success" role="status">
        <p>Your account is unlocked and every earlier session has been signed out.</p>
        {/* A copy of the form sent after one was set is answered here too, whatever it carried (review r54a F1, r54d F3). */}
        <p>If you sent the form more than once with different passwords, only one of them is set: if the first you try is refused, sign in with the other.</p>
        <p style={{ marginBottom: 0 }}>
          <Link className="button" href="/login">
            Sign in
          </Link>
        </p>
      </div>
    </>
  );
});
