import { isCommonPassword } from './blocklist';
import { verifyPassword } from './hash';

/** The vendor's product name: a word people reach for when asked for a password inside it. */
export const PRODUCT_NAME = 'CareNotes';

export const MAX_PASSWORD_LENGTH = 128;

export type PasswordPolicy = { minLength: number };

export type PasswordContext = {
  loginName: string;
  displayName: string;
  agencyCode: string;
  agencyName: string;
};

// Shorter words would refuse too many good passwords by accident ("Al", "NY").
const MIN_CONTEXT_WORD_LENGTH = 4;

// Letters and digits only, without accents, so "Acme-NY" is found in "my acmeny garden" and "García" in
// "garcia1975": a person who avoids typing accents is no less guessable.
function simplify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

function contextWords(context: PasswordContext): string[] {
  const nameWords = context.displayName.split(/[\s\p{Pd}]+/u);
  return [context.loginName, context.agencyCode, context.agencyName, context.displayName, ...nameWords, PRODUCT_NAME]
    .map(simplify)
    .filter((word) => [...word].length >= MIN_CONTEXT_WORD_LENGTH);
}

// A shorter run repeated to fill the whole ("zzzz…", "abababab…", "harbour7harbour7") is as guessable as
// the run alone, whatever its length. A listed password with spaces put in or around it is still listed.
const REPEATED = /^(.+)\1+$/su;

/**
 * The rules for a password someone chooses (NIST SP 800-63B-4, ASVS 6.2): length, a blocklist and context
 * words, and deliberately no composition rules. Returns the messages to show; an empty array means acceptable.
 */
export function checkNewPassword(password: string, policy: PasswordPolicy, context: PasswordContext): string[] {
  const normalized = password.normalize('NFKC'); // as it will be hashed
  // Code points, so an emoji counts as one character. NFKC can make one character many ("ﷺ" is 18
  // letters, "Ⅷ" four): the shorter of what was typed and what is hashed is the length that was chosen.
  const typed = [...password].length;
  const hashed = [...normalized].length;
  const messages: string[] = [];

  if (Math.min(typed, hashed) < policy.minLength) {
    messages.push(
      `Password must be at least ${policy.minLength} characters. Try a passphrase of 3 or 4 unrelated words.`,
    );
  }
  if (Math.max(typed, hashed) > MAX_PASSWORD_LENGTH) {
    messages.push(`Password must be ${MAX_PASSWORD_LENGTH} characters or fewer.`);
  }
  if (/\p{Cc}/u.test(normalized)) {
    messages.push('Password must not include tabs, line breaks or other control characters.');
  }
  if (isCommonPassword(normalized) || isCommonPassword(normalized.replace(/\s+/gu, '')) || REPEATED.test(normalized)) {
    messages.push('This password is too common. Choose something less predictable.');
  }
  const simplified = simplify(normalized);
  if (contextWords(context).some((word) => simplified.includes(word))) {
    messages.push('Password must not contain your name, login name, agency or product name.');
  }
  return messages;
}

/**
 * True when the password holds half of `known` or more in one run (letters and digits only, in any
 * case): the temporary password the administrator read out, with a hyphen put in, a character
 * changed or a word added, is still mostly known to them.
 */
export function containsMuchOf(password: string, known: string): boolean {
  const chosen = simplify(password.normalize('NFKC'));
  const secret = simplify(known.normalize('NFKC'));
  const run = Math.ceil(secret.length / 2);
  if (run === 0) return false;
  for (let start = 0; start + run <= secret.length; start++) {
    if (chosen.includes(secret.slice(start, start + run))) return true;
  }
  return false;
}

/**
 * True when the password matches any of the hashes (the temporary password, the last N passwords).
 * One at a time rather than all at once: each verify takes 19 MiB, and the first match can stop early.
 */
export async function matchesAnyHash(password: string, hashes: string[]): Promise<boolean> {
  for (const hash of hashes) {
    if (await verifyPassword(hash, password)) return true;
  }
  return false;
}
