import { describe, expect, it } from 'vitest';
import { hashPassword } from './hash';
import { checkNewPassword, containsMuchOf, matchesAnyHash, MAX_PASSWORD_LENGTH, type PasswordContext } from './policy';

const policy = { minLength: 15 };
const context: PasswordContext = {
  loginName: 'jnunez',
  displayName: 'José Núñez-García',
  agencyCode: 'ACME-NY',
  agencyName: 'Sunrise Home Care',
};

const TOO_SHORT = 'Password must be at least 15 characters. Try a passphrase of 3 or 4 unrelated words.';
const TOO_LONG = 'Password must be 128 characters or fewer.';
const CONTROL = 'Password must not include tabs, line breaks or other control characters.';
const COMMON = 'This password is too common. Choose something less predictable.';
const CONTEXT = 'Password must not contain your name, login name, agency or product name.';

describe('checkNewPassword', () => {
  it('refuses a listed word padded with digits or symbols at either end, look-alikes undone, and the quoted example (review r52d F2)', () => {
    for (const password of [
      'password123456789',
      'password1234567890',
      'P@ssw0rd12345678',
      'Welcome12345678!',
      'iloveyou12345678',
      'letmein1234567890',
      'qwertyuiop123456',
      '2024letmein2024!!',
      '!!!!dragon1234567',
      'passwordpassword1',
      'abc123abc123abc1',
      'passwordpasswor',
      'iloveyouiloveyo',
      '$unshine12345678',
      '5unshine12345678',
      '@lexander1234567',
      '0liver1234567890!',
      '4dministrator2024',
      '3l3phant12345678',
      '$0ccer1234567890',
      '4$hley1234567890',
      'f0r3$71234567890',
      '2024$0ccer2024!!',
      'correct horse battery staple',
      // A refused password typed twice is still the refused password (review r52g F1).
      '123456789012345123456789012345',
      'abcdefghijklmnoabcdefghijklmno',
      'password1234567password1234567',
      'P@ssw0rd12345678P@ssw0rd12345678',
      'qwertyuiop123456qwertyuiop123456',
      'Welcome12345678!Welcome12345678!',
    ]) {
      expect(checkNewPassword(password, policy, context), password).toEqual([COMMON]);
    }
    // Digits and symbols inside a passphrase, or a word that is not listed, are no padding of a listed word.
    for (const password of ['blue coffee mountain 77', '7 violet kettles harbour', 'violet kettle harbour', 'Tr0ub4dor&3 lantern kettle', 'garden path to the garden', 'champignon lune pluie champignon', 'dziewczyna-kwiat-kwiat-dziewczyna']) {
      expect(checkNewPassword(password, policy, context), password).toEqual([]);
    }
  });

  it('accepts a 15-character passphrase with no digits, capitals or symbols', () => {
    expect(checkNewPassword('violet kettle h', policy, context)).toEqual([]);
    expect(checkNewPassword('violet kettle harbour', policy, context)).toEqual([]);
  });

  it('refuses a password below the minimum, with the passphrase hint', () => {
    expect(checkNewPassword('violet kettle', policy, context)).toEqual([TOO_SHORT]);
    expect(checkNewPassword('violet kettl', { minLength: 8 }, context)).toEqual([]);
  });

  it('counts code points after NFKC, not UTF-16 units', () => {
    // 14 emoji are 28 UTF-16 units but 14 characters.
    const animals = [...'🐢🦊🐙🦉🐝🦋🐳🦔🐌🦀🐧🦩🐸🦒🐞'];
    expect(checkNewPassword(animals.slice(0, 14).join(''), policy, context)).toEqual([TOO_SHORT]);
    expect(checkNewPassword(animals.join(''), policy, context)).toEqual([]);
  });

  it('accepts 128 characters and refuses 129', () => {
    // Words that do not repeat: a phrase typed again and again is as guessable as the phrase once.
    const words = 'violet kettle harbour lantern meadow copper quiet river stone amber falcon willow thistle granite orchard beacon marble saffron juniper canyon harvest pebble';
    expect(checkNewPassword(words.slice(0, MAX_PASSWORD_LENGTH), policy, context)).toEqual([]);
    expect(checkNewPassword(words.slice(0, MAX_PASSWORD_LENGTH + 1), policy, context)).toEqual([TOO_LONG]);
  });

  it('refuses control characters', () => {
    expect(checkNewPassword('violet kettle\tharbour', policy, context)).toEqual([CONTROL]);
    expect(checkNewPassword('violet kettle\nharbour', policy, context)).toEqual([CONTROL]);
  });

  it('refuses a code point Unicode has not assigned (its normalized form may change with a later Node), but takes new emoji and private use (review r50d F4)', () => {
    const UNASSIGNED = 'Password includes a character this system cannot read yet (one newer than its Unicode tables). Choose another.';
    for (const character of ['\u0378', '\u{2FFFD}', '\uFFFF', '\u{E0080}']) {
      expect(checkNewPassword(`violet kettle harbour ${character}`, policy, context), character.codePointAt(0)!.toString(16)).toEqual([UNASSIGNED]);
    }
    // A pictograph's range is kept for emoji: one a later Unicode adds is typed by phones already.
    for (const character of ['\u{1FAFF}', '\u{E000}', '🫠']) expect(checkNewPassword(`violet kettle harbour ${character}`, policy, context)).toEqual([]);
  });

  it('refuses a common password whatever its case or width', () => {
    expect(checkNewPassword('1qaz2wsx3edc4rfv', policy, context)).toEqual([COMMON]);
    expect(checkNewPassword('１ＱＡＺ２ＷＳＸ３ＥＤＣ４ＲＦＶ', policy, context)).toEqual([COMMON]);
    expect(checkNewPassword('password1234', { minLength: 8 }, context)).toEqual([COMMON]);
  });

  it('refuses one character, or any shorter run, repeated as common', () => {
    expect(checkNewPassword('z'.repeat(20), policy, context)).toEqual([COMMON]);
    expect(checkNewPassword('ab'.repeat(8), policy, context)).toEqual([COMMON]);
    expect(checkNewPassword('harbour7harbour7', policy, context)).toEqual([COMMON]);
    expect(checkNewPassword('harbour7 harbour7', policy, context)).toEqual([COMMON]);
    expect(checkNewPassword('ab ab ab ab ab ab', policy, context)).toEqual([COMMON]);
    expect(checkNewPassword('abababababababab.', policy, context)).toEqual([COMMON]);
  });

  it('refuses a few keys, or letters and digits counting up or down, as common', () => {
    expect(checkNewPassword('aaaaaaaaaaaaaab', policy, context)).toEqual([COMMON]);
    expect(checkNewPassword('1234567890123456', policy, context)).toEqual([COMMON]);
    expect(checkNewPassword('9876543210987654', policy, context)).toEqual([COMMON]);
    expect(checkNewPassword('abcdefghijklmnop', policy, context)).toEqual([COMMON]);
    // In other scripts' digits and letters too (NFKD would make the Cyrillic "й" an "и").
    expect(checkNewPassword('١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦', policy, context)).toEqual([COMMON]);
    expect(checkNewPassword('๙๘๗๖๕๔๓๒๑๐๙๘๗๖๕', policy, context)).toEqual([COMMON]);
    expect(checkNewPassword('१२३४५६७८९०१२३४५', policy, context)).toEqual([COMMON]);
    expect(checkNewPassword('абвгдежзийклмноп', policy, context)).toEqual([COMMON]);
    // A passphrase is no sequence, nor are a few digits in it, in any script.
    expect(checkNewPassword('violet kettle 1234', policy, context)).toEqual([]);
    expect(checkNewPassword('синий чайник гавань ٣٤٥', policy, context)).toEqual([]);
  });

  it.each([
    ['Chinese', '紫色水壶港口猫头鹰在夜晚飞翔很安静'],
    ['Japanese', '青いやかんと静かな港の猫たちが眠る'],
    ['Korean', '파란 주전자와 조용한 항구의 고양이'],
    ['Arabic', 'قطة زرقاء تنام تحت الشجرة'],
    ['Persian', 'گربه آبی زیر درخت می‌خوابد'],
    ['Hindi', 'नीली केतली बंदरगाह पर रखी है'],
    ['Thai', 'แมวสีฟ้านอนใต้ต้นไม้ใหญ่'],
    ['Russian', 'синий чайник у тихой гавани'],
  ])('accepts a passphrase in %s', (_script, passphrase) => {
    expect(checkNewPassword(passphrase, policy, context)).toEqual([]);
  });

  it('counts no character that shows nothing, and refuses those that turn text around', () => {
    expect(checkNewPassword(`e${'\uFE0F'.repeat(14)}`, policy, context)).toContain(TOO_SHORT);
    expect(checkNewPassword(`x${'\u200D'.repeat(14)}`, policy, context)).toContain(TOO_SHORT);
    expect(checkNewPassword(`violet${'\u200B'.repeat(10)}`, policy, context)).toContain(TOO_SHORT);
    expect(checkNewPassword('violet kettle\u2028harbour', policy, context)).toEqual([CONTROL]);
    expect(checkNewPassword('violet kettle\u202Eharbour', policy, context)).toEqual([CONTROL]);
    // An emoji made of several joined is still a character, and a passphrase with one is fine.
    expect(checkNewPassword('violet kettle 👩\u200D👩\u200D👧 harbour', policy, context)).toEqual([]);
  });

  it('refuses a short word padded with one key held down, at any minimum', () => {
    for (const padded of [`qwerty${' '.repeat(9)}`, 'dragon!!!!!!!!!', 'monkey.........', 'abc123!!!!!!!!!', '!@#$!!!!!!!!!!!', 'a .,,,,,,,,,,,,', 'ab !!!!!!!!!!!!!']) {
      expect(checkNewPassword(padded, policy, context), padded).toEqual([COMMON]);
    }
    expect(checkNewPassword('qwerty!!', { minLength: 8 }, context)).toEqual([COMMON]);
    // A passphrase's spaces and a word's doubled letters are no padding.
    expect(checkNewPassword('mississippi hippos', policy, context)).toEqual([]);
    expect(checkNewPassword('violet -- kettle -- harbour', policy, context)).toEqual([]);
  });

  it('refuses a letter under a pile of marks', () => {
    expect(checkNewPassword(`k${[...Array(14)].map((_, i) => String.fromCodePoint(0x350 + i)).join('')}`, policy, context)).toContain(
      'Password has a letter with more accents or marks on it than any language uses. Type it in rather than pasting it.',
    );
  });

  it('refuses a listed password with punctuation or invisible characters put in', () => {
    expect(checkNewPassword('pass-word-12345', policy, context)).toEqual([COMMON]);
    expect(checkNewPassword(`password${'\u200B'.repeat(4)}12345`, { minLength: 8 }, context)).toEqual([COMMON]);
  });

  it('refuses a listed password with spaces put in or around it', () => {
    expect(checkNewPassword('password12345   ', policy, context)).toEqual([COMMON]);
    expect(checkNewPassword('1qaz 2wsx 3edc 4rfv', policy, context)).toEqual([COMMON]);
  });

  it('counts what was typed when NFKC makes a character many: one “ﷺ” is no 18-character password', () => {
    expect(checkNewPassword('\uFDFA', policy, context)).toEqual([TOO_SHORT]);
    expect(checkNewPassword('\u2167'.repeat(5), policy, context)).toContain(TOO_SHORT);
    expect(checkNewPassword('\uFB03'.repeat(8), policy, context)).toContain(TOO_SHORT);
    // And what is hashed when it is longer than 128.
    expect(checkNewPassword('\uFDFA'.repeat(8), policy, context)).toEqual(expect.arrayContaining([TOO_SHORT, TOO_LONG]));
  });

  it.each([
    ['their login name', 'my jnunez password'],
    ['their login name in capitals', 'my JNUNEZ password'],
    ['a word of the display name, without accents', 'garcia the gardener'],
    ['a word of the display name, as spelled', 'núñez rides a bicycle'],
    ['the agency code without its hyphen', 'welcome to acmeny now'],
    ['the agency name, spaces removed', 'sunrisehomecare2024!'],
    ['the product name', 'my carenotes password'],
    ['the product name in fullwidth', 'my ＣａｒｅＮｏｔｅｓ pass'],
  ])('refuses a password containing %s', (_name, password) => {
    expect(checkNewPassword(password, policy, context)).toEqual([CONTEXT]);
  });

  it('ignores context words shorter than four characters', () => {
    const short = { loginName: 'jo', displayName: 'Jo Li', agencyCode: 'NY', agencyName: 'Abc' };
    expect(checkNewPassword('jo and li went to ny abc', policy, short)).toEqual([]);
  });

  it('matches a name with or without its accents', () => {
    expect(checkNewPassword('nunez rides a bicycle', policy, context)).toEqual([CONTEXT]);
    expect(checkNewPassword('José builds boats', policy, { ...context, displayName: 'Jose Smith' })).toEqual([
      CONTEXT,
    ]);
  });

  it('gives every applicable message at once', () => {
    expect(checkNewPassword('carenotes\t', policy, context)).toEqual([TOO_SHORT, CONTROL, CONTEXT]);
  });
});

describe('containsMuchOf', () => {
  const known = 'HXN47KQ2MZ9PRT3W';
  it.each([known, 'hxn47kq2-mz9prt3w', 'HXN47KQ2MZ9PRT3X', 'my HXN4 7KQ2 garden', 'ＨＸＮ４７ＫＱ２ and more', 'x MZ9PRT3W y'])('finds half of it or more in %j', (password) => {
    expect(containsMuchOf(password, known)).toBe(true);
  });
  it.each(['maple river quiet lantern', 'HXN47KQ garden MZ9PRT3', 'W3TRP9ZM2QK74NXH'])('leaves %j, which holds no half of it in a row', (password) => {
    expect(containsMuchOf(password, known)).toBe(false);
  });
});

describe('matchesAnyHash', () => {
  it('finds the password among earlier hashes, NFKC-equivalent included', async () => {
    const hashes = [await hashPassword('first old passphrase'), await hashPassword('second old passphrase')];
    expect(await matchesAnyHash('second old passphrase', hashes)).toBe(true);
    expect(await matchesAnyHash('ｓｅｃｏｎｄ old passphrase', hashes)).toBe(true);
    expect(await matchesAnyHash('a brand new passphrase', hashes)).toBe(false);
    expect(await matchesAnyHash('anything', [])).toBe(false);
  });

  it('finds an old password with invisible characters added: zero-width space and joiner, word joiner, soft hyphen, a variation selector', async () => {
    const hashes = [await hashPassword('second old passphrase')];
    for (const invisible of ['\u200B', '\u200D', '\u2060', '\u00AD', '\uFE0F']) {
      expect(await matchesAnyHash(`second old${invisible} passphrase${invisible}`, hashes), JSON.stringify(invisible)).toBe(true);
    }
    expect(await matchesAnyHash('second old\u200B passphrases', hashes)).toBe(false);
  });

  it('finds an old password with a space doubled, or added at an end: it looks the same (r29b)', async () => {
    const hashes = [await hashPassword('second old passphrase')];
    for (const variant of ['second  old passphrase', ' second old passphrase', 'second old passphrase  ', 'second\u00A0old\u3000passphrase', 'second \u200Bold passphrase']) {
      expect(await matchesAnyHash(variant, hashes), JSON.stringify(variant)).toBe(true);
    }
    expect(await matchesAnyHash('secondold passphrase', hashes)).toBe(false);
  });
});
