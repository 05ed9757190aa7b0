import { z } from 'zod';
import { hasHiddenCharacters, hasStackedMarks, oneLine, STACKED_MARKS_MESSAGE, tidyFreeText, type OneLineShape } from '@/lib/validation/free-text';

// Fields of text people type for others to read, with the rules of lib/validation/free-text.ts: line
// breaks only where a paragraph makes sense, hidden characters never.

/** One line: a `name` (a person's name, a job title) lets through the joiners writing puts between letters, an `identifier` none. */
export function singleLine(label: string, emptyMessage: string, max: number, shape: OneLineShape) {
  return z
    .string({ error: emptyMessage })
    .transform(oneLine)
    .pipe(
      z
        .string()
        // An empty field gets one message, not every rule after it too.
        .min(1, { error: emptyMessage, abort: true })
        // Too long is the one message, and no later check reads what is too long (up to what the form lets through).
        .max(max, { error: `${label} must be ${max} characters or fewer`, abort: true })
        .refine((value) => !hasHiddenCharacters(value, shape), `${label} contains a hidden character. Type it in rather than pasting it`)
        .refine((value) => !hasStackedMarks(value), `${label} ${STACKED_MARKS_MESSAGE}`),
    );
}

export function paragraphs(label: string, emptyMessage: string, min: number, max: number) {
  return z
    .string({ error: emptyMessage })
    .transform(tidyFreeText)
    .pipe(
      z
        .string()
        .min(1, { error: emptyMessage, abort: true })
        .min(min, `${label} must be at least ${min} characters`)
        .max(max, { error: `${label} must be ${max} characters or fewer`, abort: true })
        .refine((value) => !hasHiddenCharacters(value, 'paragraphs'), `${label} contains a hidden character. Type it in rather than pasting it`)
        .refine((value) => !hasStackedMarks(value), `${label} ${STACKED_MARKS_MESSAGE}`),
    );
}
