import Link from 'next/link';

/** A wrong or incomplete unsubscribe link, opened or sent with the button: one answer for both. */
export function LinkDoesNotWork() {
  return (
    <div className="notice warning" role="status">
      <p style={{ margin: 0 }}>
        This link does not work. Copy the whole link from the e-mail and try again, or use the unsubscribe button of your mail
        program. <Link href="/status">Back to the status page</Link>
      </p>
    </div>
  );
}
