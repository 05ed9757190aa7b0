'use client';

import { Apology } from '@/components/ui/apology';

// Next.js shows this instead of a page that threw; it never shows the error's own text, which
// could be framework or database detail. The digest matches the server's log line.
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <Apology reference={error.digest} onRetry={reset} />;
}
