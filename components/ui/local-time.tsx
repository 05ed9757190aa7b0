'use client';

import { useSyncExternalStore } from 'react';
import { formatDateTime } from '@/lib/format/date';

/**
 * A moment in the reader's own zone. The server's HTML (and a browser without JavaScript) says it
 * in UTC, naming the zone, so a page rendered once and sent to everyone from memory (/status)
 * depends on no viewer; after hydration the browser writes it again in its own zone. UTC stays
 * on hover (title) and in the machine-readable datetime.
 */
const subscribeToNothing = () => () => {};

export function LocalTime({ value }: { value: Date | string }) {
  // False while the server renders and during hydration, true after: the two renders agree.
  const hydrated = useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
  const iso = typeof value === 'string' ? new Date(value).toISOString() : value.toISOString();
  const utc = formatDateTime(iso, 'UTC');
  return (
    <time dateTime={iso} title={utc}>
      {hydrated ? formatDateTime(iso, 'local') : utc}
    </time>
  );
}
