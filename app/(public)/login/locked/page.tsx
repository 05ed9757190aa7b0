import type { Metadata } from 'next';
import Link from 'next/link';
import { publicPage } from '@/lib/auth/guards';
import { SECOND_FACTOR_LOCKED_MESSAGE } from '@/lib/auth/sign-in-form';

export const metadata: Metadata = { title: 'Sign-in ended' };

/** Where the code step ends when wrong codes lock the account, with JavaScript or without. */
export default publicPage(function SecondFactorLockedPage() {
  return (
    <>
      <h1>Sign-in ended</h1>
      <p className="notice warning" role="alert">
        {SECOND_FACTOR_LOCKED_MESSAGE}
      </p>
      <p>
        <Link href="/login">Sign in</Link> · <Link href="/help">Sign-in help guide</Link>
      </p>
    </>
  );
});
