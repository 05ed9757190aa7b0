import Link from 'next/link';

/** One message for a used, expired, revoked or unknown link, opened or sent with the form: which of them it was helps no one. */
export function LinkCannotBeUsed() {
  return (
    <div className="notice warning" role="status">
      <h2 style={{ marginTop: 0 }}>This link cannot be used</h2>
      <p>
        It has already been used, it has expired, or it is not a complete link. Each link works only once, for a limited time.
      </p>
      <p style={{ marginBottom: 0 }}>
        <Link href="/help">Follow the sign-in help guide</Link> to get back into your account: another administrator of your
        agency can reset your password, or, if there is none, you can send a new request.
      </p>
    </div>
  );
}
