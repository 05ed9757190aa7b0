import Link from 'next/link';
import { VENDOR_PROMISE } from '@/lib/help/guide-steps';
import { publicPage } from '@/lib/auth/guards';

export default publicPage(function HomePage() {
  return (
    <>
      <h1>CareNotes sign-in and password help</h1>
      <p className="lead">Sign in, get back into your account, or check whether CareNotes is working.</p>
      <ul className="card-list">
        <li>
          <Link href="/login">Sign in</Link>
          <p>With your provider code, login name and password.</p>
        </li>
        <li>
          <Link href="/help">Can’t sign in?</Link>
          <p>Step-by-step help. Your provider administrator can reset your password or unlock your account.</p>
        </li>
        <li>
          <Link href="/status">System status</Link>
          <p>Whether CareNotes is working, planned maintenance, and e-mail alerts.</p>
        </li>
      </ul>
      <p className="notice">{VENDOR_PROMISE}</p>
      <h2>For administrators</h2>
      <p>
        Locked out of an administrator account? Ask another administrator at your agency first. If no one can help, use
        the <a href="/super-admin-reset">super administrator password reset request</a>.
      </p>
      <p className="muted">
        CareNotes staff: <Link href="/vendor/login">vendor sign in</Link>.
      </p>
    </>
  );
});
