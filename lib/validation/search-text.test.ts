import { describe, expect, it } from 'vitest';
import { prefixRange, SEARCH_MAX_LENGTH, searchTextSchema } from './search-text';

/** Whether `text` lies in the range, compared as both databases compare: UTF-8 bytes. */
function inRange(text: string, range: { gte: string; lt?: string }): boolean {
  const bytes = (value: string) => Buffer.from(value, 'utf8');
  return Buffer.compare(bytes(text), bytes(range.gte)) >= 0 && (range.lt === undefined || Buffer.compare(bytes(text), bytes(range.lt)) < 0);
}

describe('prefixRange', () => {
  it('holds every string that starts with the prefix, whatever comes next, and nothing else', () => {
    const range = prefixRange('田');
    for (const text of ['田', '田 smith', '田\uffff', '田𠮷 smith', '田\u{10FFFD}', '田😀']) expect(inRange(text, range), text).toBe(true);
    for (const text of ['由', '甲', 'ta', '畑', '\u{20BB7}']) expect(inRange(text, range), text).toBe(false);
  });

  it('raises the last character past the gap of the surrogates, and past U+10FFFF the one before it', () => {
    expect(prefixRange('a\ud7ff')).toEqual({ gte: 'a\ud7ff', lt: 'a\ue000' });
    expect(prefixRange('a\u{10FFFF}')).toEqual({ gte: 'a\u{10FFFF}', lt: 'b' });
    expect(prefixRange('\u{10FFFF}')).toEqual({ gte: '\u{10FFFF}' });
  });
});

describe('searchTextSchema', () => {
  it('drops controls and lone surrogates, and cuts a longer search to its start, by characters', () => {
    expect(searchTextSchema.parse('jor\u0000dan\u0007\u001f\u007f')).toBe('jordan');
    // Breaks and tabs between words are spaces, and runs of them one, as in a saved name.
    expect(searchTextSchema.parse('Jordan\tSmith')).toBe('Jordan Smith');
    expect(searchTextSchema.parse(' jordan  \r\n smith\u0085x\u2028y ')).toBe('jordan smith x y');
    expect(searchTextSchema.parse('a\ud800b')).toBe('ab');
    expect(searchTextSchema.parse('𠮷'.repeat(SEARCH_MAX_LENGTH + 1))).toBe('𠮷'.repeat(SEARCH_MAX_LENGTH));
    expect(searchTextSchema.parse(undefined)).toBeUndefined();
    expect(searchTextSchema.parse(['two', 'values'])).toBeUndefined();
  });
});
