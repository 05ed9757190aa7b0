import { z } from 'zod';
import { emailAddressSchema } from '@/lib/validation/email-address';
import { hasHiddenCharacters, hasStackedMarks, oneLine, refuseAddresses, STACKED_MARKS_MESSAGE, tidyFreeText, webAddressIn, type OneLineShape } from '@/lib/validation/free-text';

// Free-text fields of the public forms. Line breaks are allowed only where a paragraph makes sense;
// hidden characters never (lib/validation/free-text.ts).

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

const PHONE_MESSAGE = 'Enter a phone number with 7 to 15 digits, like +1 512 555 0100';

export const phoneSchema = singleLine('Work phone number', 'Enter your work phone number, for example +1 512 555 0100', 40, 'identifier').refine(
  (value) => {
    // Split on the marker alone, then trimmed: "\s*" on both sides of it took time growing with the square of a run of spaces.
    const [number = '', extension] = value.split(/ext\.?|x/i).map((piece) => piece.trim());
    if (extension !== undefined && !/^\d{1,6}$/.test(extension)) return false;
    const digits = number.replace(/\D/g, '').length;
    return /^\+?[\d\s().-]+$/.test(number) && digits >= 7 && digits <= 15;
  },
  PHONE_MESSAGE,
);

export const workEmailSchema = singleLine('Work e-mail address', 'Enter your work e-mail address', 254, 'identifier').pipe(emailAddressSchema);

/** What a verifier writes to the address on record (a rejection's reason, a question): paragraphs without a web or e-mail address. */
export function wordsToRecord(label: string, emptyMessage: string, min: number, max: number) {
  return paragraphs(label, emptyMessage, min, max).superRefine(
    refuseAddresses(
      webAddressIn,
      (address) =>
        `${label} must not contain a web or e-mail address, and ${address} reads as one: the mail already links to CareNotes, and the requester is reached only through the contact details on record`,
    ),
  );
}
