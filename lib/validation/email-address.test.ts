import { describe, expect, it } from 'vitest';
import { emailAddressSchema, isMailableAddress } from '@/lib/validation/email-address';

describe('isMailableAddress', () => {
  it('takes the addresses in real use that z.email() refused: other scripts, IDN domains, RFC 5322 characters (review r35a F1)', () => {
    for (const address of ['olga.ówens@solocare.example', 'sam@acme-homecäre.example', 'ivan@пример.рф', 'li@例子.中国', 'first/last@x.example', 'a&b@x.example', 'ann~x@x.example', "o'brien@x.example", 'plain@example.test']) {
      expect(isMailableAddress(address), address).toBe(true);
    }
  });

  it('refuses whatever a mail program could read as another address, a comment or a header, and what no server takes', () => {
    for (const address of ['a b@x.example', 'a@b', 'a,b@x.example', 'x@evil.example,y', 'a<b@x.example', '"q"@x.example', 'a\r\nBcc: x@x.example', 'a\u0000@x.example', 'a\u200b@x.example', 'a..b@x.example', '.a@x.example', 'a@x..example', 'a@-x.example', 'a@b@c.example', `${'a'.repeat(65)}@x.example`, '']) {
      expect(isMailableAddress(address), JSON.stringify(address)).toBe(false);
    }
  });

  it('is what the forms take too: what the outbox can send to, no more, no less (review r35c F7)', () => {
    expect(emailAddressSchema.safeParse('olga.ówens@solocare.example').success).toBe(true);
    expect(emailAddressSchema.safeParse(`${'a'.repeat(65)}@x.example`).success).toBe(false);
    expect(emailAddressSchema.safeParse('not an address').error?.issues[0]?.message).toBe('Enter an e-mail address in the correct format, like name@example.com');
  });

  it('takes a local part in full-width letters or ligatures as the letters they stand for, the mailbox its key names (review r51d F1)', () => {
    expect(emailAddressSchema.parse('ｗａｔｃｈｅｒ@example.com')).toBe('watcher@example.com');
    expect(emailAddressSchema.parse('ﬁona@example.com')).toBe('fiona@example.com');
    // Letters of other scripts, and the domain, as typed (mail servers read the domain as addressKey does).
    expect(emailAddressSchema.parse('olga.ówens@homecäre.example')).toBe('olga.ówens@homecäre.example');
    // Checked after: what NFKC turns into a character no address may hold is refused.
    for (const address of ['a＜b@x.example', 'a＠b@x.example', 'a　b@x.example', 'a\uFF0Cb@x.example']) {
      expect(emailAddressSchema.safeParse(address).success, address).toBe(false);
    }
  });
});
