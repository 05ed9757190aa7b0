import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Page not found', robots: { index: false } };

/**
 * Every "not found": an address nobody has, and a page this person may not open (pages answer 404,
 * not 403, so they do not say what exists). A server component inside the site's layout, so it
 * reads the same with JavaScript off; without it Next.js sent a blank page then.
 */
export default function NotFound() {
  return (
    <>
      <h1>We could not find that page</h1>
      <p>The address may be mistyped or out of date, or the page is not one your account can open.</p>
      <ul>
        <li>
          <Link href="/">Start page</Link>
        </li>
        <li>
          <Link href="/help">Help with signing in</Link>
        </li>
        <li>
          <Link href="/status">System status</Link>
        </li>
      </ul>
    </>
  );
}
