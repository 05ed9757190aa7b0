import Link from 'next/link';

export default function HomePage() {
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
          <Link href="/help">Can&apos;t sign in?</Link>
          <p>Step-by-step help. Your provider administrator can reset your password or unlock your account.</p>
        </li>
      </ul>
      <p className="notice">CareNotes staff cannot reset passwords, and no one from CareNotes will ever ask for your password.</p>
      <p className="muted">
        CareNotes staff: <Link href="/vendor/login">vendor sign in</Link>.
      </p>
    </>
  );
}
