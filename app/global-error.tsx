'use client';

import { Apology } from '@/components/ui/apology';
import './globals.css';

// When the root layout itself fails, this replaces the whole document.
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body>
        <main id="main">
          <Apology reference={error.digest} onRetry={reset} />
        </main>
      </body>
    </html>
  );
}
