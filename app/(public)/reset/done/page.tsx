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
        {/* A copy of the form sent after the first is answered here too, whatever it carried (review r54a F1). */}
        <p>If you sent the form more than once, the password you sent first is the one that is set.</p>
        <p style={{ marginBottom: 0 }}>
          <Link className="button" href="/login">
            Sign in
          </Link>
        </p>
      </div>
    </>
  );
});
