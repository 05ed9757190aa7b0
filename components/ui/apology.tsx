import Link from 'next/link';

/** What a person sees when a page fails on our side: plain words, a way forward, a reference. */
export function Apology({ reference, onRetry }: { reference?: string; onRetry: () => void }) {
  return (
    <div className="apology">
      <h1>Sorry, this page is not working right now</h1>
      <p>
        Something went wrong on our side, or the service is busy. Nothing you did caused it. Wait a minute and try again.
      </p>
      <p>
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      </p>
      <p>
        If it keeps happening, check the <Link href="/status">system status</Link> or follow the{' '}
        <Link href="/help">sign-in help guide</Link>.
        {reference && (
          <>
            {' '}
            If you contact support, quote the reference <strong>{reference}</strong>.
          </>
        )}
      </p>
    </div>
  );
}
