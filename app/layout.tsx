import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'CareNotes password help', template: '%s · CareNotes password help' },
  description: 'Sign in, get back into your CareNotes account, and check the system status.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to main content
        </a>
        <header className="site-header">
          <nav aria-label="Site">
            <Link href="/">CareNotes password help</Link>
          </nav>
        </header>
        {/* tabIndex -1: the skip link's target takes focus, so the next Tab starts inside the page, not at the header. */}
        <main id="main" tabIndex={-1}>
          {children}
        </main>
      </body>
    </html>
  );
}
