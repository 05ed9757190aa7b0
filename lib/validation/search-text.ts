import { z } from 'zod';
import { oneLine } from '@/lib/validation/free-text';

/** A list's search box holds this many characters (its maxLength). */
export const SEARCH_MAX_LENGTH = 100;

// The breaks and tabs a paste brings (a spreadsheet's cell, two lines) stand between words: spaces, as
// a name's own are when it is saved (review r40c F4).
const BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
// What else no name or login name holds (the fields refuse them), and PostgreSQL refuses in text at all
// (a NUL answered the console with a 500: review r40a F2): dropped from a search, which finds the rest.
const NEVER_IN_A_NAME = /[\p{Cc}\p{Cs}]/gu;

/** The words a search names, spaced as a saved name's are, at most SEARCH_MAX_LENGTH characters. */
function searchedWords(q: string): string {
  return Array.from(oneLine(q.replace(BREAKS, ' ').replace(NEVER_IN_A_NAME, ''))).slice(0, SEARCH_MAX_LENGTH).join('');
}

/**
 * A list's `?q=`, from its box or a link made by hand: never refused, since a search changes nothing.
 * Longer searches for its start (dropped, it listed everyone: reviews r34b F4, r40a F4).
 */
export const searchTextSchema = z
  .string()
  .optional()
  .catch(undefined)
  .transform((q) => (q === undefined ? q : searchedWords(q)))
  .optional();

/**
 * A prefix match as an index range on a normalized key, alike on SQLite and PostgreSQL (`COLLATE "C"`):
 * both compare UTF-8 bytes, which is code point order. The range ends at the first string after every
 * one that starts with `prefix` (its last code point raised by one): "田\uFFFF" ended it before
 * "田𠮷", whose next character lies beyond U+FFFF (review r40a F1).
 */
export function prefixRange(prefix: string): { gte: string; lt?: string } {
  const points = Array.from(prefix);
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) return { gte: prefix, lt: points.join('') + String.fromCodePoint(last === 0xd7ff ? 0xe000 : last + 1) };
  }
  return { gte: prefix };
}
