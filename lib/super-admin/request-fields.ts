import { emailAddressSchema } from '@/lib/validation/email-address';
import { refuseAddresses, webAddressIn } from '@/lib/validation/free-text';
import { paragraphs, singleLine } from '@/lib/validation/text-fields';

// Free-text fields of the public forms. Line breaks are allowed only where a paragraph makes sense;
// hidden characters never (lib/validation/free-text.ts).

const PHONE_MESSAGE = 'Enter a phone number with 7 to 15 digits, like +1 512 555 0100';

export const phoneSchema = singleLine('Work phone number', 'Enter your work phone number, for example +1 512 555 0100', 40, 'identifier').refine(
  (value) => {
    // Split on the marker alone, then trimmed: "\s*" on both sides of it took time growing with the square of a run of spaces.
    // One marker at most: what followed a second went unchecked (review r50d F1).
    const pieces = value.split(/ext\.?|x/i).map((piece) => piece.trim());
    if (pieces.length > 2) return false;
    const [number = '', extension] = pieces;
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
