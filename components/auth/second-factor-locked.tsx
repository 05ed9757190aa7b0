import Link from 'next/link';
import { SECOND_FACTOR_LOCKED_MESSAGE } from '@/lib/auth/sign-in-form';

/** Where a code step ends when wrong codes lock the account, with JavaScript or without. */
export function SecondFactorLocked({ audience }: { audience: 'agency' | 'vendor' }) {
  return (
    <>
      <h1>Sign-in ended</h1>
      <p className="notice warning" role="alert">
        {SECOND_FACTOR_LOCKED_MESSAGE}
      </p>
      <p>
        {audience === 'agency' ? (
          <>
            <Link href="/login">Sign in</Link> · <Link href="/help">Sign-in help guide</Link>
          </>
        ) : (
          <Link href="/vendor/login">Sign in</Link>
        )}
      </p>
    </>
  );
}
