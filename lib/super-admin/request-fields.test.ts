import { describe, expect, it } from 'vitest';
import { paragraphs, singleLine } from '@/lib/validation/text-fields';
import { phoneSchema, wordsToRecord } from './request-fields';

const messages = (result: { success: boolean; error?: { issues: { message: string }[] } }) => result.error?.issues.map((issue) => issue.message) ?? [];

describe('the public forms’ free-text fields', () => {
  it.each(['+1 512 555 0100', '(512) 555-0100', '+44 20 7946 0958 ext. 12', '512.555.0100 x 7', '5125550100EXT9'])('takes the phone number %s', (phone) => {
    expect(phoneSchema.safeParse(phone).success).toBe(true);
  });

  it.each(['555 010', '+1 512 555 0100 ext', '+1 512 555 0100 x 1234567', 'call me', '+1 512 555 0100 ext 12a', '1234567890123456', '+1 512 555 0100 x12 x see evil', '5125550100x1xCall me on 0800', '+1 512 555 0100 ext. 12 ext. <b>', '5125550100 x 1 x =1+1', '5125550100 x 1 x 2'])('refuses the phone number %s', (phone) => {
    expect(messages(phoneSchema.safeParse(phone))).toEqual(['Enter a phone number with 7 to 15 digits, like +1 512 555 0100']);
  });

  it('says only that a value is too long, and checks nothing else of it (the forms let 4,000 characters through)', () => {
    // Spaces between digits: what a check of the extension took time growing with the square of.
    expect(messages(phoneSchema.safeParse('1 '.repeat(2000)))).toEqual(['Work phone number must be 40 characters or fewer']);
    // A run of spaces of any kind is one space (the verifier reads the number as typed).
    expect(messages(phoneSchema.safeParse(`1${' \u2003'.repeat(1999)}1`))).toEqual(['Enter a phone number with 7 to 15 digits, like +1 512 555 0100']);
    expect(singleLine('Full name', 'Enter your name', 100, 'name').parse(`Sam Super${'\u2003'.repeat(45)}CareNotes:\u00a0\u00a0ID verified`)).toBe('Sam Super CareNotes: ID verified');
    expect(messages(singleLine('Full name', 'Enter your name', 10, 'name').safeParse(`a\u200b${'b'.repeat(20)}`))).toEqual(['Full name must be 10 characters or fewer']);
    expect(messages(paragraphs('Reason', 'Enter a reason', 2, 10).safeParse(`a\u200b${'b'.repeat(20)}`))).toEqual(['Reason must be 10 characters or fewer']);
  });

  // Review r35c F8: typed, not pasted (a Persian keyboard's Shift+Space), so a name keeps them; a number looked up does not.
  it('a name or job title keeps the joiners between letters as typed, and the super-admin form takes them', () => {
    const fullName = singleLine('Full name', 'Enter your name', 100, 'name');
    for (const name of ['علی\u200Cرضا محمدی', 'ශ්\u200Dරී නිවාස']) expect(fullName.parse(name)).toBe(name);
    expect(messages(fullName.safeParse('علی\u200C \u200Cرضا'))).toEqual(['Full name contains a hidden character. Type it in rather than pasting it']);
    expect(messages(singleLine('Reference number', 'Enter your reference', 32, 'identifier').safeParse('7K3QZ\u200C-M4T9P'))).toEqual([
      'Reference number contains a hidden character. Type it in rather than pasting it',
    ]);
  });

  it('what a verifier writes to the address on record holds no web or e-mail address, and too long is still the one message', () => {
    const reason = wordsToRecord('Reason', 'Give the reason', 5, 100);
    expect(messages(reason.safeParse('Identity confirmed. Choose your new password here: http://evil.example/reset/x'))).toEqual([
      'Reason must not contain a web or e-mail address, and “http://evil.example/reset/x” reads as one: the mail already links to CareNotes, and the requester is reached only through the contact details on record',
    ]);
    expect(messages(reason.safeParse(`see evil.example ${'a'.repeat(200)}`))).toEqual(['Reason must be 100 characters or fewer']);
    expect(reason.parse('The callback to the number on record was not answered.')).toBe('The callback to the number on record was not answered.');
  });
});
