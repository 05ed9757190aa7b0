'use client';

import { useEffect, useRef } from 'react';
import { summaryOf, type FormResult, type SummaryEntry } from '@/components/ui/form-errors';

type ErrorSummaryProps = {
  title?: string;
  /** An action's result: its field messages (in `order` first) or its general message. */
  state?: FormResult;
  order?: readonly string[];
  /** Prefix of the fields' ids when a page holds several forms with the same field names. */
  idPrefix?: string;
  /** Entries built by the caller, for results that are not an action's state. */
  errors?: SummaryEntry[];
  /** With `errors`: the result they came from; a new one takes focus again. */
  focusKey?: unknown;
};

/**
 * The box at the top of a form after a failed submit; each message links to its field. It takes
 * focus each time a new failed result arrives, so a screen reader hears it and the keyboard starts
 * there (GOV.UK error summary).
 */
export function ErrorSummary({ title = 'There is a problem', state, order = [], idPrefix, errors, focusKey: givenKey }: ErrorSummaryProps) {
  const box = useRef<HTMLDivElement>(null);
  const entries = (errors ?? (state ? summaryOf(state, order) : [])).map((entry) => ({
    ...entry,
    field: entry.field && idPrefix ? `${idPrefix}-${entry.field}` : entry.field,
  }));
  const shown = entries.length > 0;
  // Keyed on the result object itself: a second identical failure is a new result and takes focus again,
  // while re-renders of the same result (a pending flag, a keystroke) leave focus where the person put it.
  const focusKey = givenKey ?? state ?? (shown ? entries.map((e) => e.message).join('\n') : null);
  useEffect(() => {
    if (shown) box.current?.focus();
  }, [focusKey, shown]);
  if (!shown) return null;
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} ref={box} data-testid="error-summary">
      <h2 id="error-summary-title">{title}</h2>
      <ul>
        {entries.map(({ field, message }) => (
          <li key={`${field ?? ''}${message}`}>{field ? <a href={`#${field}`}>{message}</a> : message}</li>
        ))}
      </ul>
    </div>
  );
}
