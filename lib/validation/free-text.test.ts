import { describe, expect, it } from 'vitest';
import { clickableAddressIn, hasHiddenCharacters, hasStackedMarks, tidyFreeText, webAddressIn } from '@/lib/validation/free-text';

describe('free text a stranger types for staff to read', () => {
  it('keeps one space for any run of spaces of any kind, none at line ends, and one blank line at most', () => {
    expect(tidyFreeText('  Hi,\u2003\u2003\u2003locked\u00a0out\u3000\tagain \r\n\r\n\r\n\r\n  sorry\u205f\u1680!  ')).toBe('Hi, locked out again\n\nsorry !');
  });

  it.each([
    ['a lone high surrogate', 'help \uD800 me'],
    ['a lone low surrogate', 'help \uDFFF me'],
    ['a zero-width space', 'pay\u200Bpal'],
    ['a right-to-left override', 'invoice \u202Etxt.exe'],
    ['a line separator', 'one\u2028two'],
    ['a paragraph separator', 'one\u2029two'],
    ['a NUL', 'a\u0000b'],
    ['an escape', 'a\u001b[31mb'],
    // Review r35a F3: they draw nothing, or nothing any two fonts agree on.
    ['a combining grapheme joiner', 'Olive\u034F Ownerson'],
    ['a stray variation selector', 'Olive\uFE0F Ownerson'],
    ['a supplementary variation selector', 'Olive\u{E0100} Ownerson'],
    ['a Hangul filler', 'Olive \u3164 Ownerson'],
    ['a halfwidth Hangul filler', 'Olive\uFFA0Ownerson'],
    ['the blank braille pattern', 'Olive\u2800Ownerson'],
    ['a private-use character', 'Olive\uE000Ownerson'],
    ['tag characters after no flag', 'Olive\u{E0067}\u{E0062}\u{E007F}Ownerson'],
    ['a text selector after a letter', 'Olive\uFE0E Ownerson'],
    ['a noncharacter', 'Olive\uFFFFOwnerson'],
    ['a joiner between spaces', 'a \u200D b'],
    // Review r35c F8: no character yet, so no font draws it (U+0378 in Greek, U+2FFFF past the CJK blocks).
    ['an unassigned code point', 'Olive\u0378Ownerson'],
    ['an unassigned supplementary code point', 'Olive \u{2FFFD} Ownerson'],
  ])('refuses %s', (_what, text) => {
    for (const shape of ['identifier', 'name'] as const) expect(hasHiddenCharacters(text, shape), shape).toBe(true);
    expect(hasHiddenCharacters(tidyFreeText(text), 'paragraphs')).toBe(true);
  });

  it('accepts line breaks, tabs (made spaces), emoji as typed and the joiners of Persian and Hindi', () => {
    expect(hasHiddenCharacters(tidyFreeText('Line one\n\tLine two 👩\u200D💻'), 'paragraphs')).toBe(false);
    for (const text of ['Warning ⚠️', 'Step 1️⃣', 'Pride 🏳️‍🌈', 'می‌خواهم', 'क्‍ष', 'main\u00ADtenance']) {
      expect(hasHiddenCharacters(text, 'paragraphs'), text).toBe(false);
    }
    // A Han character in a family's own form (an ideographic variation selector), Mongolian with its selectors.
    for (const name of ['Olive ⚠️ Ownerson', 'Team 👩‍💻', '葛\u{E0100}城', '辻\u{E0101}', 'ᠠ\u180Bᠢ']) {
      for (const shape of ['identifier', 'name'] as const) expect(hasHiddenCharacters(name, shape), `${shape} ${name}`).toBe(false);
    }
  });

  // Review r35c F8: a region's flag (Scotland: a black flag, its tags, a cancel tag) and an emoji asked to be
  // drawn as text; review r36d F2: in names and paragraphs only, and only in a flag's own shape.
  it('lets names and paragraphs hold a region flag and an emoji drawn as text, and an identifier neither', () => {
    const scotland = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}';
    const wales = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0077}\u{E006C}\u{E0073}\u{E007F}';
    for (const text of [`Go ${scotland}`, `Go ${wales}`, 'Call \u260E\uFE0E']) {
      expect(hasHiddenCharacters(text, 'name'), text).toBe(false);
      expect(hasHiddenCharacters(text, 'paragraphs'), text).toBe(false);
      expect(hasHiddenCharacters(text, 'identifier'), text).toBe(true);
    }
    // Tags that spell a message, not a region Unicode draws, after the flag: hidden text (review r36e F3), as is
    // a flag's tags with no cancel tag.
    const tagged = (text: string) => '\u{1F3F4}' + Array.from(text, (c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('') + '\u{E007F}';
    for (const text of [`Go ${tagged('ignore all')}`, `Go ${tagged('ignore')}${tagged('all')}`, `Go ${tagged('usca')}`, 'Go \u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}']) {
      for (const shape of ['identifier', 'name', 'paragraphs'] as const) expect(hasHiddenCharacters(text, shape), shape).toBe(true);
    }
  });

  it('reads a long run of tag characters in time growing with its length (review r36d F1)', () => {
    // 64,000 tags (the most a form's body holds): a few milliseconds read forwards; looked back over from
    // each tag, as the rule once did, about six seconds. The bound is far from both, for a busy machine.
    const tags = '\u{1F3F4}' + '\u{E0061}'.repeat(64_000);
    const started = performance.now();
    for (const shape of ['identifier', 'name', 'paragraphs'] as const) expect(hasHiddenCharacters(tags, shape)).toBe(true);
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  // Review r35c F8: a Persian keyboard types the non-joiner with Shift+Space; Sinhala's "Sri" is written with the joiner.
  it('lets a name hold the joiners between letters, as paragraphs do, and an identifier none', () => {
    // Malayalam's older chillu: letter, virama, joiner at a word's end (review r36d F4).
    for (const name of ['علی\u200Cرضا', 'Mohammad-Ali Rezaei (علی\u200Cرضا)', 'ශ්\u200Dරී ලංකා', 'Ann-Marie main\u00ADtenance', 'র\u200D্যাব', 'അവന്\u200D', 'അവന്\u200D വന്നു']) {
      expect(hasHiddenCharacters(name, 'name'), name).toBe(false);
      expect(hasHiddenCharacters(name, 'paragraphs'), name).toBe(false);
      expect(hasHiddenCharacters(name, 'identifier'), name).toBe(true);
    }
  });

  it('refuses in a name a joiner with no letter on either side, or two in a row', () => {
    // A joiner before a mark only right after its letter: between marks it would hide a stack of them from
    // hasStackedMarks (review r36e F2).
    expect(hasHiddenCharacters('Z' + '\u200D\u0351'.repeat(249), 'name')).toBe(true);
    expect(hasHiddenCharacters('Z' + '\u200D\u0351'.repeat(249), 'paragraphs')).toBe(true);
    // Only Malayalam ends a word with virama and joiner; not after a virama alone, nor before more marks.
    for (const name of ['\u200Cعلی', 'علی\u200C', 'عل\u200C\u200Cی', 'a \u200D b', '1\u200C2', 'ශ්\u200D', 'ന്്\u200D', '്\u200D', 'ന്\u200D\u0D4D', 'ന്\u200D\u200D']) {
      expect(hasHiddenCharacters(name, 'name'), JSON.stringify(name)).toBe(true);
    }
  });

  it('lets through a code point kept for emoji that this server’s Unicode does not know yet: a phone’s newest emoji', () => {
    for (const shape of ['identifier', 'name', 'paragraphs'] as const) {
      expect(hasHiddenCharacters('Team \u{1FAFF}', shape), shape).toBe(false);
      expect(hasHiddenCharacters('Team \u{1FAFF}\u200D💻', shape), shape).toBe(false);
    }
  });

  it('refuses a letter with marks stacked past any writing’s need, and keeps the marks languages use', () => {
    expect(hasStackedMarks('Z\u0351\u0360\u034c\u0357\u0350\u035b\u0346algo')).toBe(true);
    // Decomposed Vietnamese, pointed Hebrew with a cantillation mark, Devanagari, Thai, a Tibetan stack.
    for (const text of ['Nguye\u0302\u0303n', '\u05e9\u05c1\u05bc\u05b8\u0591', 'हिन्दी', 'น้ำ', '\u0f66\u0f92\u0fb2\u0f7c\u0f7e']) {
      expect(hasStackedMarks(text.normalize('NFD'))).toBe(false);
    }
  });

  it('refuses on one line what paragraphs allow: a line break, a tab; in an identifier the joiner too', () => {
    for (const text of ['two\nlines', 'a\ttab', 'ac\u200Dme']) {
      expect(hasHiddenCharacters(text, 'identifier')).toBe(true);
      expect(hasHiddenCharacters(text, 'name')).toBe(text !== 'ac\u200Dme');
      expect(hasHiddenCharacters(text, 'paragraphs')).toBe(false);
    }
  });

  it('finds a web or e-mail address however it is written, and no address in ordinary sentences', () => {
    for (const text of [
      'choose your new password here: http://evil.example/reset/abc',
      'go to HTTPS://Evil.Example',
      'see www.evil',
      'visit evil.example/reset',
      'write to help@evil.example',
      'visit carenotes-help.co.uk today',
      'visit ｅｖｉｌ．ｅｘａｍｐｌｅ', // full-width letters and dot
      'visit пример.рф',
      'ftp://files',
      'reset at 203.0.113.7/reset/abc',
      'carenotes-help.xn--p1ai/reset',
      'evil\u3002com',
      'evil\uff61com',
      // what a reader does not see, between the letters or on them
      'carenotes-backup\u200B.example',
      'help\u200B@carenotes-backup\u00AD.example',
      'https\u200B://carenotes-backup\u2060.example/login',
      'carenotes-verify\u200D.example/id',
      'evil\u200E.\u200Fexample',
      'evil\uFEFF.example',
      'evil\u0336.example',
    ]) {
      expect(webAddressIn(text), text).toBeDefined();
    }
    for (const text of ['evil.com-then', 'evil.com²', 'evil.com2', 'see 1.2.3.4_ today', 'carenotes-status.com--check back hourly', 'i❤.ws', 'evil❤.com', 'evil.भारत', 'a🏽.ws', 'helpdesk↔.ws', '〽.ws']) {
      expect(webAddressIn(text), text).toBeDefined();
    }
    for (const text of ['We could not reach anyone at 512.555.0100.', 'The name did not match, e.g. the job title. i.e. no.', 'Version 2.5 of the form.', 'Call us back. Thanks!']) {
      expect(webAddressIn(text), text).toBeUndefined();
    }
  });

  it('names the address it found in vendor staff’s words, as it reads it', () => {
    expect(webAddressIn('Built with Node.js today')).toBe('Node.js');
    expect(webAddressIn('Write to help@evil.example now')).toBe('evil.example');
    expect(webAddressIn('visit ｅｖｉｌ．ｅｘａｍｐｌｅ')).toBe('evil.example');
    expect(webAddressIn('see https://evil.example/reset now')).toBe('https://evil.example/reset');
    expect(clickableAddressIn('go to www.evil.example today')).toBe('www.evil.example');
  });

  it('finds what a mail program would make a link of in a stranger’s message, any top-level domain, and names it', () => {
    for (const [text, named] of [
      ['reset it at carenotes-help.support', 'carenotes-help.support'],
      ['acme-reset.ai', 'acme-reset.ai'],
      ['see carenotes.help today', 'carenotes.help'],
      ['portal.carenotes.it', 'portal.carenotes.it'],
      ['carenotes-support.nl.', 'carenotes-support.nl'],
      ['RESET.CARENOTES.GG', 'RESET.CARENOTES.GG'],
      ['go to 203.0.113.7 now', '203.0.113.7'],
      ['пример.рф', 'пример.рф'],
      ['carenotes.xn--p1ai', 'carenotes.xn--p1ai'],
      ['ｃａｒｅｎｏｔｅｓ．ｈｅｌｐ', 'carenotes.help'],
      ['carenotes\u200B.help', 'carenotes.help'],
      ['https://x', 'https://x'],
      ['write to me@home.example', 'me@home.example'],
      // Whatever is glued after the top-level domain: mail programs link the address all the same.
      ['My notes are on evil.com.Thanks, Jo', 'evil.com.Thanks'],
      ['Please read evil.com-then call me back', 'evil.com-then'],
      ['see acme-help.भारत for my notes', 'acme-help.भरत'],
      ['evil.বাংলা', 'evil.বল'],
      ['My details are on evil❤.com/reset please', 'evil❤.com/'],
      ['Please look at i❤.ws today', 'i❤.ws'],
      // Skin tones, arrows, squares, wavy dashes: labels to a linkifier, and hosts to a browser.
      ['reset👍🏽.ws/jsmith', 'reset👍🏽.ws/'],
      ['Please see helpdesk↔.ws for my ticket', 'helpdesk↔.ws'],
      ['a〰b.ws', 'a〰b.ws'],
      ['evil_.com', 'evil_.com'],
      ['evil.com--please', 'evil.com--please'],
      ['请访问evil.com获取', '请访问evil.com获取'],
      ['go to 1.2.3.4_ now', '1.2.3.4'],
      // A missed space before a word that is a top-level domain links too: the writer is told which.
      ['I was locked out.It says wrong password', 'out.It'],
      // Network paths, which Windows mail programs link (review r33a S1).
      ['open \\\\fileserver\\share\\reset.lnk', '\\\\fileserver'],
      ['\\\\3232235777\\share', '\\\\3232235777'],
      ['see \\\\127.1\\x', '\\\\127.1'],
      ['\\\\attacker@SSL\\x', '\\\\attacker@SSL'],
      ['＼＼fileserver＼share', '\\\\fileserver'],
      ['see \\\\fileserver', '\\\\fileserver'],
      ['file:\\\\host\\x', 'file:\\\\host\\x'],
      ['FILE:/etc/x', 'FILE:/etc/x'],
    ] as const) {
      expect(clickableAddressIn(text), text).toBe(named);
      expect(webAddressIn(text), text).toBeDefined();
    }
    for (const text of [
      'My login name is jane.doe and I am locked out',
      'I cannot open report.pdf',
      'Mr.Smith told me to ask',
      'I am locked out.Please help',
      'Locked out since Monday, call me on 512.555.0100 after 3.',
      'Version 2.5 of the form, e.g. the job title. i.e. no.',
      // A login name with digits after a part that is also a country's domain.
      'my login is david.li2, or wei.ma2',
      // A single backslash, or a path on the person's own computer.
      'my login is ACME\\jsmith',
      'the file is in C:\\Users\\jsmith\\Documents',
      'Called the number on file: no answer. Attached file: screenshot. FILE:',
      'We did it \\o/',
    ]) {
      expect(clickableAddressIn(text), text).toBeUndefined();
    }
  });

  it('reads a text that NFKC makes six times longer, or a long chain of labels, to the end (each piece of an address is bounded)', () => {
    // "㌖" is "キロメートル" once normalized: 5,000 of them are 30,000 letters without a dot.
    expect(webAddressIn('\u3316'.repeat(5_000))).toBeUndefined();
    expect(clickableAddressIn('\u3316'.repeat(500))).toBeUndefined();
    // An address at the very end of a long text is still found.
    expect(webAddressIn(`${'\u3316'.repeat(4_990)} evil.com`)).toBe('evil.com');
    expect(clickableAddressIn(`${'a.'.repeat(240)} see evil.help`)).toBe('evil.help');
    // A host of more than 17 labels is still an address: its last ones are.
    expect(clickableAddressIn(`${'a.'.repeat(30)}evil.com`)).toMatch(/evil\.com$/);
  });
});
