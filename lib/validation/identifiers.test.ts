import { describe, expect, it } from 'vitest';
import { hasHiddenCharacters } from '@/lib/validation/free-text';
import {
  agencyOrNameSchema,
  loginNameSchema,
  normalizeKey,
  providerCodeSchema,
  signInPasswordSchema,
  vendorEmailSchema,
} from './identifiers';

function messages(result: { success: boolean; error?: { issues: { message: string }[] } }): string[] {
  return result.error?.issues.map((issue) => issue.message) ?? [];
}

describe('normalizeKey', () => {
  it.each([
    ['folds fullwidth letters to plain lower case', 'ＡＣＭＥ', 'acme'],
    ['folds fullwidth letters to plain lower case', 'ＡＣＭＥ－ＮＹ', 'acme-ny'],
    ['trims ordinary and ideographic spaces', '  Acme-NY\t', 'acme-ny'],
    ['trims ordinary and ideographic spaces', '\u3000Acme\u3000', 'acme'],
    ['treats composed and decomposed accents alike', 'Jose\u0301', normalizeKey('José')],
    ['keeps ß as ß (toLowerCase does not expand it)', 'Straße', 'straße'],
    ['lowers capital ẞ to ß', 'STRAẞE', 'straße'],
    ['does not fold SS to ß', 'STRASSE', 'strasse'],
    ['expands ligatures', 'ﬁnance', 'finance'],
    ['expands compatibility forms', 'Ⅻ', 'xii'],
    ['collapses nothing inside', 'a  b', 'a  b'],
  ])('%s: %j', (_rule, input, expected) => {
    expect(normalizeKey(input)).toBe(expected);
  });
});

describe('hidden characters in an identifier (a code, a login name, an address)', () => {
  it.each([
    ['zero-width space', 'ac\u200Bme'],
    ['NUL', 'acme\u0000'],
    ['right-to-left override', 'acme\u202E'],
    ['zero-width joiner', 'ac\u200Dme'],
    ['byte order mark', '\uFEFFacme'],
    ['line separator', 'ac\u2028me'],
    ['paragraph separator', 'ac\u2029me'],
    ['tab', 'ac\tme'],
    ['lone surrogate', 'ac\uD800me'],
  ])('refuses a %s', (_name, input) => {
    expect(hasHiddenCharacters(input, 'identifier')).toBe(true);
  });

  it('accepts ordinary letters, accents, other scripts and punctuation', () => {
    for (const input of ['ACME-NY', 'José Núñez', 'Zoë', 'Łódź', 'Ñandú', '山田', "o'neil.smith_2"]) {
      expect(hasHiddenCharacters(input, 'identifier')).toBe(false);
    }
  });
});

describe('providerCodeSchema', () => {
  it('trims and accepts a code', () => {
    expect(providerCodeSchema.parse('  ACME-NY ')).toBe('ACME-NY');
  });

  it('asks for the code when empty, blank or missing', () => {
    for (const input of ['', '   ', undefined, null]) {
      expect(messages(providerCodeSchema.safeParse(input))).toEqual([
        'Enter your provider code, for example ACME-NY',
      ]);
    }
  });

  it('refuses a code over 32 characters', () => {
    expect(messages(providerCodeSchema.safeParse('A'.repeat(33)))).toEqual([
      'Provider code must be 32 characters or fewer',
    ]);
  });

  it('refuses hidden characters', () => {
    expect(messages(providerCodeSchema.safeParse('AC\u200BME'))).toEqual([
      'Provider code contains a hidden character. Type it in rather than pasting it',
    ]);
  });
});

describe('loginNameSchema', () => {
  it('accepts a name with accents', () => {
    expect(loginNameSchema.parse(' josé.núñez ')).toBe('josé.núñez');
  });

  it('asks for the login name when empty', () => {
    expect(messages(loginNameSchema.safeParse(''))).toEqual(['Enter your login name']);
  });

  it('refuses over 64 characters and bidi controls', () => {
    expect(messages(loginNameSchema.safeParse('a'.repeat(65)))).toEqual([
      'Login name must be 64 characters or fewer',
    ]);
    expect(loginNameSchema.safeParse('admin\u202Etxt').success).toBe(false);
  });

  it('refuses a name under a pile of combining marks, and accepts the marks a language uses', () => {
    expect(messages(loginNameSchema.safeParse(`admin${'\u0351\u0360\u034c'.repeat(2)}`))).toEqual([
      'Login name has a letter with more accents or marks on it than any language uses. Type it in rather than pasting it',
    ]);
    expect(providerCodeSchema.safeParse(`ACME${'\u0301'.repeat(6)}`).success).toBe(false);
    expect(vendorEmailSchema.safeParse(`ops${'\u0301'.repeat(6)}@vendor.example`).success).toBe(false);
    // Vietnamese spelled decomposed: two marks on a letter at most.
    expect(loginNameSchema.parse('nguyễn.thị'.normalize('NFD'))).toBe('nguyễn.thị'.normalize('NFD'));
  });
});

describe('agencyOrNameSchema', () => {
  // Review r35c F8: an agency's name is a name, written with the joiner between letters where its language is.
  it('takes a Persian agency name as typed, and still refuses a joiner with no letters around it', () => {
    expect(agencyOrNameSchema.parse(' مراقبت\u200Cهای خانگی ')).toBe('مراقبت\u200Cهای خانگی');
    expect(agencyOrNameSchema.safeParse('Acme \u200C Care').success).toBe(false);
  });

  it('says only that a value is too long, and checks nothing else of it (review r36d F1: a form’s 64 KB were read)', () => {
    expect(messages(agencyOrNameSchema.safeParse(`a\u200B${'b'.repeat(300)}`))).toEqual(['Provider code or agency name must be 200 characters or fewer']);
    expect(messages(loginNameSchema.safeParse(`a\u200B${'b'.repeat(300)}`))).toEqual(['Login name must be 64 characters or fewer']);
  });

  it('while a login name and a provider code refuse the joiner even between letters', () => {
    expect(messages(loginNameSchema.safeParse('علی\u200Cرضا'))).toEqual(['Login name contains a hidden character. Type it in rather than pasting it']);
    expect(providerCodeSchema.safeParse('ශ්\u200Dරී').success).toBe(false);
  });
});

describe('vendorEmailSchema', () => {
  it('trims and accepts a work address', () => {
    expect(vendorEmailSchema.parse(' jane.doe@vendor.example ')).toBe('jane.doe@vendor.example');
  });

  it('asks for the address when empty, with that message only', () => {
    expect(messages(vendorEmailSchema.safeParse(''))).toEqual(['Enter your work e-mail address']);
  });

  it('explains the format of a malformed address', () => {
    expect(messages(vendorEmailSchema.safeParse('jane.doe'))).toEqual([
      'Enter an e-mail address in the correct format, like name@example.com',
    ]);
  });

  it('refuses an address over 254 characters', () => {
    const long = `${'a'.repeat(250)}@vendor.example`;
    expect(messages(vendorEmailSchema.safeParse(long))).toEqual(['E-mail address must be 254 characters or fewer']);
  });
});

describe('signInPasswordSchema', () => {
  it('keeps the password exactly as typed', () => {
    expect(signInPasswordSchema.parse('  ｐａｓｓ word  ')).toBe('  ｐａｓｓ word  ');
  });

  it('asks for the password when empty or missing', () => {
    expect(messages(signInPasswordSchema.safeParse(''))).toEqual(['Enter your password']);
    expect(messages(signInPasswordSchema.safeParse(undefined))).toEqual(['Enter your password']);
  });

  it('accepts 1024 characters and refuses a 6 MB string before any hashing', () => {
    expect(signInPasswordSchema.safeParse('x'.repeat(1024)).success).toBe(true);
    const result = signInPasswordSchema.safeParse('x'.repeat(6 * 1024 * 1024));
    expect(messages(result)).toEqual(['A password can be at most 1024 characters']);
  });
});
