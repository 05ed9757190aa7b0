import { randomBytes } from 'node:crypto';

// Crockford base32: no I, L, O or U, so a reference read out over the phone cannot be misheard
// as another. 10 characters = 50 bits: short enough to read, far too many to guess.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const REFERENCE_LENGTH = 10;
const STORED = new RegExp(`^[${ALPHABET}]{${REFERENCE_LENGTH}}$`);

/** A new reference as stored: 10 Crockford characters, no separator. */
export function generateReference(): string {
  // 256 is a multiple of 32, so taking 5 bits of each byte has no bias.
  return [...randomBytes(REFERENCE_LENGTH)].map((byte) => ALPHABET[byte & 31]).join('');
}

/** As shown to people: two groups of five, "7K3QZ-M4T9P". */
export function formatReference(reference: string): string {
  return `${reference.slice(0, 5)}-${reference.slice(5)}`;
}

/**
 * The stored form of what someone typed, or null. Forgiving as Crockford intends: any case,
 * spaces and hyphens ignored, O read as 0 and I or L as 1.
 */
export function parseReference(input: string): string | null {
  const cleaned = input
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return STORED.test(cleaned) ? cleaned : null;
}

/** What a public page says was just done with a request: filed, or cancelled with the link in its notice. */
export type RequestNotice = 'submitted' | 'cancelled';

/**
 * The signed done notice's name (decision 060) for a request just filed or cancelled: it carries the
 * reference, and the page it lands on shows it only when the signature holds, so a link to that page
 * with a reference of someone's choosing shows none.
 */
export const requestNotice = (what: RequestNotice, reference: string) => `${what}-${reference}`;

/** The reference a verified done notice names for `what`, or undefined. */
export const referenceInNotice = (what: RequestNotice, notice: string | undefined) =>
  notice?.startsWith(`${what}-`) ? notice.slice(what.length + 1) : undefined;
