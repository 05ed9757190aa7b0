import { hasStackedMarks, STACKED_MARKS_MESSAGE, UNASSIGNED_CODE_POINT } from '@/lib/validation/free-text';
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
  return withoutAccents(text).replace(/[^\p{L}\p{N}]/gu, '');
}

/** `text` in lower case without accents ("García" → "garcia"); digits and symbols kept. */
function withoutAccents(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

// Letters and digits as typed, in lower case: "й" stays "й", so the Cyrillic alphabet still counts up.
function lettersAsTyped(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

function contextWords(context: PasswordContext): string[] {
  const nameWords = context.displayName.split(/[\s\p{Pd}]+/u);
  return [context.loginName, context.agencyCode, context.agencyName, context.displayName, ...nameWords, PRODUCT_NAME]
    .map(simplify)
    .filter((word) => [...word].length >= MIN_CONTEXT_WORD_LENGTH);
}

// Characters that show nothing (zero-width spaces and joiners, variation selectors, soft hyphens):
// they add no length a person chose.
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;
// Refused like control characters: line and paragraph separators and the marks that turn text around
// change what the field seems to hold, and no keyboard types them.
const FORBIDDEN = /[\p{Cc}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069]/u;
/**
 * Whether a run typed one and a half times or more fills the whole, the last copy perhaps cut short
 * ("zzzz…", "harbour7harbour7", "abc123abc123abc1", "passwordpasswor"), and that run is predictable on
 * its own: too short to be a password, or a common one ("Welcome12345678!Welcome12345678!"). A run that
 * is a good password is judged so, typed twice or not ("champignon lune pluie champignon"); a phrase that
 * only ends as it began ("garden path to the garden") is its own words (reviews r52e F5, r52f F6, r52g F1).
 */
function isRepeated(text: string, minLength: number): boolean {
  const characters = [...text];
  for (let run = 1; (characters.length - run) * 2 >= run; run++) {
    if (characters.every((character, i) => i < run || character === characters[i - run])) {
      // The shortest run that fills it, always shorter than the text: judged as a password of its own.
      return isPredictable(characters.slice(0, run).join(''), minLength);
    }
  }
  return false;
}

/** The word a password is built on is at least this long to be looked up ("dragon", "welcome"). */
const MIN_WORD_LENGTH = 6;

// Look-alike digits and symbols people put for letters ("P@ssw0rd"), undone: each is tried as every letter it stands for.
// A reading takes one letter for all of a group's look-alikes: "1!|" all "i" or all "l".
const LEET: [lookAlikes: string, letters: string[]][] = [
  ['@4', ['a']],
  ['0', ['o']],
  ['1!|', ['i', 'l']],
  ['3', ['e']],
  ['$5', ['s']],
  ['7', ['t']],
];
const LOOK_ALIKES = LEET.map(([lookAlikes]) => lookAlikes).join('');
/** At most this many look-alikes next to either end are tried as letters: "$0ccer…", "f0r3$7…" (review r52f F5). */
const MOST_LOOK_ALIKES_AT_AN_END = 4;

/** The run of look-alikes that `text` starts with (`from: 'start'`) or ends with, at most MOST_LOOK_ALIKES_AT_AN_END. */
function lookAlikeRun(text: string, from: 'start' | 'end'): string {
  const characters = from === 'start' ? [...text] : [...text].reverse();
  let length = 0;
  while (length < MOST_LOOK_ALIKES_AT_AN_END && length < characters.length && LOOK_ALIKES.includes(characters[length]!)) length++;
  return from === 'start' ? characters.slice(0, length).join('') : characters.slice(0, length).reverse().join('');
}

/**
 * The password from its first letter to its last, without the digits and symbols padding either end; and
 * the same with look-alikes next to either end taken for letters, each number of them ("$unshine…",
 * "0liver…", "f0r3$7…"; review r52e F4, r52f F5).
 */
function wordsBetweenPadding(visible: string): string[] {
  const letters = /\p{L}(?:.*\p{L})?/su.exec(visible);
  if (!letters) return [];
  const word = letters[0];
  const before = lookAlikeRun(visible.slice(0, letters.index), 'end');
  const after = lookAlikeRun(visible.slice(letters.index + word.length), 'start');
  const words = new Set<string>();
  for (let left = 0; left <= before.length; left++) {
    for (let right = 0; right <= after.length; right++) words.add(before.slice(before.length - left) + word + after.slice(0, right));
  }
  return [...words];
}

/** How `word` reads with its look-alikes undone, each as every letter it may stand for, then simplified. */
function readingsOf(word: string): Set<string> {
  let readings = [withoutAccents(word)];
  for (const [lookAlikes, letters] of LEET) {
    readings = readings.flatMap((reading) =>
      letters.map((letter) => [...reading].map((character) => (lookAlikes.includes(character) ? letter : character)).join('')),
    );
  }
  return new Set([simplify(word), ...readings.map(simplify)]);
}

/**
 * Whether the password is a listed word, or a repeated run, padded with digits or symbols at either end,
 * its letters perhaps written with look-alikes: "password1234567890", "Welcome12345678!", "P@ssw0rd12345678",
 * "2024letmein2024" (review r52d F2). At a minimum of 15, barely 3,600 listed passwords are long enough to
 * be refused whole.
 */
function isCommonWordPadded(visible: string, minLength: number): boolean {
  const readings = wordsBetweenPadding(visible).flatMap((word) => [...readingsOf(word)]);
  return readings.some((reading) => [...reading].length >= MIN_WORD_LENGTH && (isCommonPassword(reading) || isRepeated(reading, minLength)));
}

/** The passphrase every guide quotes as its example: in no list of leaked passwords, in every attacker's. */
const QUOTED_EXAMPLES = new Set(['correcthorsebatterystaple', 'correcthorsebatterystable']);
/** Fewer different characters than this, and a password is a run of a few keys ("aaaaaaaaaaaaaab"). */
const MIN_DIFFERENT_CHARACTERS = 4;

/**
 * A decimal digit's value in any script ("٣" and "३" are 3), or null for anything else: Unicode gives
 * every script its digits as runs of ten code points, 0 to 9, so the value is the distance to its run's start.
 */
function digitValue(character: string): number | null {
  const isDigit = (point: number) => /\p{Nd}/u.test(String.fromCodePoint(point));
  let point = character.codePointAt(0)!;
  if (!isDigit(point)) return null;
  let distance = 0;
  while (isDigit(point - 1)) {
    point -= 1;
    distance += 1;
  }
  return distance % 10;
}

/**
 * Whether the characters count up or down one by one ("1234567890123…", "zyxwv…", "абвгд…"), digits of
 * any script wrapping from 9 to 0.
 */
function isSequence(characters: string): boolean {
  const all = [...characters];
  if (all.length < MIN_DIFFERENT_CHARACTERS) return false;
  const digits = all.map(digitValue);
  const byDigit = digits.every((value) => value !== null);
  const points = byDigit ? (digits as number[]) : all.map((character) => character.codePointAt(0)!);
  const step = (from: number, to: number) => (byDigit ? (to - from + 10) % 10 : to - from);
  const first = step(points[0]!, points[1]!);
  if (first !== 1 && first !== (byDigit ? 9 : -1)) return false;
  return points.every((point, i) => i === 0 || step(points[i - 1]!, point) === first);
}

// A run of one space, punctuation mark or symbol is one key held down: "dragon!!!!!!!!!" and "qwerty"
// with nine spaces are the short word they pad.
const PADDING = /([^\p{L}\p{N}\p{M}])\1+/gu;

/**
 * Whether the password is as guessable as a listed one: listed itself, or once spaces, punctuation and
 * accents are taken out ("password-1234567", "pass word 12345", "password" with invisible characters);
 * a listed word padded at either end; short but for a padding of one key; a repeated run, with or without
 * its spaces ("iloveyou iloveyou"); a few keys; a sequence.
 */
function isPredictable(visible: string, minLength: number): boolean {
  const letters = simplify(visible);
  return (
    isCommonPassword(visible) ||
    [...visible.replace(PADDING, '$1')].length < minLength ||
    (letters.length > 0 && isCommonPassword(letters)) ||
    QUOTED_EXAMPLES.has(letters) ||
    isCommonWordPadded(visible, minLength) ||
    isRepeated(visible, minLength) ||
    (letters.length > 0 && isRepeated(letters, minLength)) ||
    new Set(visible).size < MIN_DIFFERENT_CHARACTERS ||
    isSequence(letters) ||
    isSequence(lettersAsTyped(visible))
  );
}

/**
 * The rules for a password someone chooses (NIST SP 800-63B-4, ASVS 6.2): length, a blocklist and context
 * words, and deliberately no composition rules. Returns the messages to show; an empty array means acceptable.
 */
export function checkNewPassword(password: string, policy: PasswordPolicy, context: PasswordContext): string[] {
  const normalized = password.normalize('NFKC'); // as it will be hashed
  const visible = normalized.replace(INVISIBLE, '');
  // Code points, so an emoji counts as one character, and none that shows nothing. NFKC can make one
  // character many ("ﷺ" is 18 letters, "Ⅷ" four): the shorter of what was typed and what is hashed
  // is the length that was chosen.
  const typed = [...password.replace(INVISIBLE, '')].length;
  const hashed = [...normalized].length;
  const messages: string[] = [];

  if (Math.min(typed, [...visible].length) < policy.minLength) {
    messages.push(
      `Password must be at least ${policy.minLength} characters. Try a passphrase of 3 or 4 unrelated words.`,
    );
  }
  if (Math.max(typed, hashed) > MAX_PASSWORD_LENGTH) {
    messages.push(`Password must be ${MAX_PASSWORD_LENGTH} characters or fewer.`);
  }
  if (FORBIDDEN.test(normalized)) {
    messages.push('Password must not include tabs, line breaks or other control characters.');
  }
  // A later Node's Unicode may give an unassigned code point a normalized form, and the password set today would
  // stop matching what its owner types (RFC 8265 refuses them for this; review r50d F4).
  if (UNASSIGNED_CODE_POINT.test(password)) {
    messages.push('Password includes a character this system cannot read yet (one newer than its Unicode tables). Choose another.');
  }
  // A letter under a pile of marks ("k" and fourteen accents) is one letter, however long it counts.
  if (hasStackedMarks(normalized)) messages.push(`Password ${STACKED_MARKS_MESSAGE}.`);
  // Refused as one: either it is too short, or the length is padding.
  if ([...visible].length >= policy.minLength && isPredictable(visible, policy.minLength)) {
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
  // The password as it looks, too: an old one with a zero-width space or a soft hyphen added looks the
  // same and is the same to whoever knew it (review r25c), and so does one with a space doubled or
  // added at an end (r29b). Each form is checked only when it differs from the others.
  const visible = password.replace(INVISIBLE, '');
  const spaced = visible.replace(/\s+/gu, ' ').trim();
  const forms = [...new Set([password, visible, spaced])];
  for (const hash of hashes) {
    for (const form of forms) if (await verifyPassword(hash, form)) return true;
  }
  return false;
}
