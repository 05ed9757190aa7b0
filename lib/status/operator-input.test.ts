import { z } from 'zod';
import { extendMaintenanceSchema } from '@/lib/maintenance/change-maintenance';
import { scheduleMaintenanceSchema } from '@/lib/maintenance/schedule-maintenance';
import { openIncidentSchema } from '@/lib/status/open-incident';
import { describe, expect, it } from 'vitest';
import { messageSchema, NO_COMPONENT, operatorTextSchema, titleSchema } from '@/lib/status/operator-input';

const hex = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i));

const C0 = range(0x00, 0x1f);
const C1_AND_DEL = range(0x7f, 0x9f);
// Lone surrogates, noncharacters and bidi overrides/isolates: none may reach a mail or the feed.
const NEVER = ['\uD800', '\uDFFF', '\uFFFE', '\uFFFF', '\u202E', '\u2066', '\u2069'];

describe('operator titles', () => {
  it.each([...C0, ...C1_AND_DEL, ...NEVER, '\u200B', '\u200D', '\uFEFF', '\u2028', '\u2029'].map((c) => [hex(c), c]))(
    'refuse %s inside the text, with a message that says what to do',
    (_name, c) => {
      // At either end, whitespace among them is trimmed away before the check, harmlessly. The joiner
      // between two letters is writing (below).
      for (const title of [...(c === '\u200D' ? [] : [`Sign-in${c}failing`]), `Sign-in ${c} failing`, `a${c}${c}b`]) {
        const result = titleSchema.safeParse(title);
        expect(result.success, JSON.stringify(title)).toBe(false);
        expect(result.error!.issues[0]!.message).toBe('Title contains a control or hidden character. Type it in rather than pasting it');
      }
    },
  );

  // Review r35c F8: a title is read, not matched, and keeps what a message keeps.
  it('keep the joiners between letters, as messages do, and refuse one with no letter on either side', () => {
    for (const title of ['ورود کند است برای علی\u200Cرضا', 'ශ්\u200Dරී ලංකා sign-in slow']) expect(titleSchema.parse(title), title).toBe(title);
    for (const title of ['Sign-in \u200C failing', '\u200CSign-in', 'Sign\u200C\u200Cin']) expect(titleSchema.safeParse(title).success, JSON.stringify(title)).toBe(false);
  });

  it('keep markup-looking text, quotes and emoji as typed (escaping is the renderers’ job)', () => {
    for (const title of ['Sign-in <slow> & "failing" ]]> <![CDATA[x]]>', 'Ümlaut façade ✓ 😀', '&amp; &#0; &#x1;']) {
      expect(titleSchema.parse(` ${title} `)).toBe(title);
    }
  });
});

// Review r25b: direction marks reordered "02:00 - 04:00" on the page; invisible letters and piled-up
// marks made a title look empty or draw over the page around it.
const LOOKS_LIKE_NOTHING = ['\u200E', '\u200F', '\u061C', '\u200B', '\u2060', '\u{E0041}', '\u3164', '\u115F', '\u034F', '\u2800', '\uFE0F'];

describe('operator text that shows something other than what it holds', () => {
  it.each(LOOKS_LIKE_NOTHING.map((c) => [hex(c), c]))('refuses %s in a title and in a message', (_name, c) => {
    for (const [schema, text] of [
      [titleSchema, `Maintenance 02:00 -${c} 04:00`],
      [messageSchema, `Sign-in returns\nat 02:00 -${c} 04:00`],
    ] as const) {
      const result = schema.safeParse(text);
      expect(result.success, JSON.stringify(text)).toBe(false);
      expect(result.error!.issues[0]!.message).toMatch(/hidden character/);
    }
  });

  it('refuses a letter under a pile of marks, and keeps the marks languages use and emoji as typed', () => {
    expect(titleSchema.safeParse(`Z${'\u0301'.repeat(40)}algo`).success).toBe(false);
    expect(messageSchema.safeParse(`Z${'\u0301'.repeat(40)}algo`).success).toBe(false);
    // Review r25d: the emoji people type, and the joiners Persian and Hindi are written with.
    for (const text of ['Tiếng Việt chậm', 'Warning ⚠️ sign-in', 'Team 👩‍💻 on it', 'Team 👩🏽‍💻 on it', 'We ❤️‍🔥 uptime', 'Step 1️⃣ then #️⃣', 'Pride 🏳️‍🌈', 'می‌خواهم', 'क्‍ष', 'main\u00ADtenance']) {
      expect(messageSchema.parse(text), text).toBe(text);
    }
    for (const title of ['Warning ⚠️ sign-in slow', 'Step 1️⃣ done', 'Team 👩‍💻 on it', 'Pride 🏳️‍🌈']) {
      expect(titleSchema.parse(title), title).toBe(title);
    }
    // A joiner or selector with no emoji or letter around it is still refused.
    for (const text of ['a \u200D b', '02:00 \uFE0F 04:00', 'x\u00AD']) {
      expect(messageSchema.safeParse(text).success, JSON.stringify(text)).toBe(false);
    }
  });
});

describe('operator long texts', () => {
  it('keep line breaks and tabs, and store a textarea’s CRLF as LF', () => {
    expect(messageSchema.parse('First line\r\nSecond\tline\rThird\n\nFourth')).toBe('First line\nSecond\tline\nThird\n\nFourth');
    expect(operatorTextSchema('Description', 2000).parse('  a\r\n  ')).toBe('a');
  });

  it.each([...C0.filter((c) => c !== '\t' && c !== '\n' && c !== '\r'), ...C1_AND_DEL, ...NEVER].map((c) => [hex(c), c]))(
    'refuse %s',
    (_name, c) => {
      const result = messageSchema.safeParse(`Nobody can${c} sign in.`);
      expect(result.success).toBe(false);
      expect(result.error!.issues[0]!.message).toBe('Message contains a control or hidden character. Type it in rather than pasting it');
    },
  );

  it('still ask for a message and bound its length', () => {
    expect(messageSchema.safeParse(' \r\n ').error?.issues[0]?.message).toBe('Enter a message for the status page');
    expect(messageSchema.safeParse('x'.repeat(5001)).error?.issues[0]?.message).toBe('Message must be 5000 characters or fewer');
    expect(operatorTextSchema('Description', 2000).safeParse('x'.repeat(2001)).success).toBe(false);
  });

  it('stop at the length: a long text is not read by the checks after it (the address check took seconds on 60 KB)', () => {
    // Long, and holding an address and a hidden character: only the length is said.
    const long = `${'a.'.repeat(30_000)}evil.example​`;
    for (const [result, message] of [
      [titleSchema.safeParse(long), 'Title must be 200 characters or fewer'],
      [messageSchema.safeParse(long), 'Message must be 5000 characters or fewer'],
    ] as const) {
      expect(result.error?.issues.map((issue) => issue.message)).toEqual([message]);
    }
  });
});

describe('maintenance times typed in a zone the operator picks', () => {
  const schedule = (startsAt: string, endsAt: string, timeZone?: string) =>
    scheduleMaintenanceSchema.safeParse({ title: 'Upgrade', startsAt, endsAt, ...(timeZone ? { timeZone } : {}), 'component-c1': 'on' });
  const errorsOf = (result: ReturnType<typeof schedule>) => (result.success ? {} : z.flattenError(result.error).fieldErrors);

  it('refuses a month, day, hour or minute out of its range on its field, instead of rolling it over', () => {
    for (const startsAt of ['2027-13-01T02:00', '2027-00-10T02:00', '2027-02-30T02:00', '2027-03-10T24:00', '2027-03-10T02:75']) {
      expect(errorsOf(schedule(startsAt, '2028-01-01T02:00')).startsAt, startsAt).toEqual(['The start is not a real date and time: the month runs 01–12, the time 00:00–23:59']);
    }
    expect(schedule('2028-02-29T02:00', '2028-02-29T03:00').success).toBe(true);
  });

  it('reads the times in UTC when no zone is sent, and in the chosen zone otherwise', () => {
    expect(schedule('2027-03-13T22:00', '2027-03-13T23:00').data).toMatchObject({
      startsAt: new Date('2027-03-13T22:00:00Z'),
      endsAt: new Date('2027-03-13T23:00:00Z'),
    });
    const newYork = schedule('2027-03-13T22:00', '2027-03-14T04:00', 'America/New_York').data;
    // The night the clocks go forward: 22:00 EST is 03:00Z, 04:00 EDT is 08:00Z.
    expect(newYork).toMatchObject({ startsAt: new Date('2027-03-14T03:00:00Z'), endsAt: new Date('2027-03-14T08:00:00Z'), componentIds: ['c1'] });
    expect(newYork).not.toHaveProperty('timeZone');
  });

  it('refuses a time the zone skips or has twice, on that field, and an unknown zone', () => {
    expect(errorsOf(schedule('2027-03-14T02:30', '2027-03-14T05:00', 'America/New_York')).startsAt?.[0]).toMatch(/does not exist in America\/New_York, or happens twice/);
    const doubled = errorsOf(schedule('2027-11-07T00:30', '2027-11-07T01:30', 'America/New_York'));
    expect(doubled.endsAt?.[0]).toMatch(/happens twice/);
    expect(doubled.startsAt).toBeUndefined();
    expect(errorsOf(schedule('2027-11-07T00:30', '2027-11-07T01:30', 'Mars/Olympus')).timeZone).toEqual(['Choose a time zone from the list']);
  });

  it('reads an extension in the chosen zone too', () => {
    expect(extendMaintenanceSchema.parse({ windowId: 'w1', endsAt: '2027-07-01T09:00', timeZone: 'Europe/Berlin' })).toEqual({
      windowId: 'w1',
      endsAt: new Date('2027-07-01T07:00:00Z'),
    });
  });

  it('refuses a web or e-mail address in what is mailed to subscribers: titles, messages, maintenance notes', () => {
    const refusal = (result: { success: boolean; error?: { issues: { message: string }[] } }) => result.error?.issues.map((issue) => issue.message);
    expect(refusal(titleSchema.safeParse('Action required: confirm at carenotes-login.example'))).toEqual([
      'Title must not contain a web or e-mail address, and “carenotes-login.example” reads as one: status alerts link only to CareNotes’ own pages',
    ]);
    expect(messageSchema.safeParse('Re-confirm your password today at https://carenotes-login.example/confirm').success).toBe(false);
    expect(operatorTextSchema('Description', 2000).safeParse('Write to help@carenotes-help.example').success).toBe(false);
    expect(messageSchema.parse('Sign-in is slow since 9:40. Call support on 512.555.0100.')).toBe('Sign-in is slow since 9:40. Call support on 512.555.0100.');
  });
});

describe('the incident form’s fields', () => {
  it('refuses a field named like an object’s own workings (toString) as one the form does not have, not taken for one it has', () => {
    const form = { title: 'Sign-in slow', impact: 'PARTIAL_OUTAGE', status: 'INVESTIGATING', message: 'Looking into it.', 'component-c1': 'on' };
    expect(openIncidentSchema.parse(form)).toMatchObject({ componentIds: ['c1'] });
    for (const field of ['toString', 'hasOwnProperty', 'valueOf']) {
      const issues = openIncidentSchema.safeParse({ ...form, [field]: 'x' }).error?.issues;
      expect(issues?.map((issue) => issue.code), field).toEqual(['unrecognized_keys']);
    }
  });

  it('says every field that is wrong at once, a component not chosen with the rest (review r51f F2)', () => {
    for (const schema of [openIncidentSchema, scheduleMaintenanceSchema]) {
      const issues = schema.safeParse({ title: '', impact: 'PARTIAL_OUTAGE', status: 'INVESTIGATING', message: 'Looking into it.' }).error?.issues ?? [];
      expect(issues.map((issue) => issue.path.join('.'))).toEqual(expect.arrayContaining(['title', 'components']));
      expect(issues.find((issue) => issue.path[0] === 'components')?.message).toBe(NO_COMPONENT);
    }
  });
});
