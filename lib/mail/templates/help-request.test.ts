import { describe, expect, it } from 'vitest';
import { mailMessageSchema } from '@/lib/mail/outbox';
import { helpRequestMail } from './help-request';

process.env.APP_URL ??= 'http://localhost:3000';

const base = {
  to: 'pat.lee@acme-homecare.example',
  adminName: 'Pat Lee',
  agencyName: 'Acme Home Care New York',
  requester: { displayName: 'Jordan Smith', loginName: 'jsmith' },
  message: null,
  requestedAt: new Date('2026-11-27T14:05:00Z'),
  timeZone: 'America/New_York',
};

describe('helpRequestMail', () => {
  it('tells the admin who asked, when, and where to act, in both parts', () => {
    const mail = helpRequestMail(base);
    expect(mail.template).toBe('help-request');
    // One copy per admin, each time anyone names someone: sent after mail for one person (review r50b F1).
    expect(mail.bulk).toBe(true);
    expect(mail.to).toBe('pat.lee@acme-homecare.example');
    expect(mail.subject).toBe('Help request: someone in your agency cannot sign in to CareNotes');
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('Jordan Smith (login name jsmith) at Acme Home Care New York');
      expect(part).toContain('Nov 27, 2026, 9:05 AM EST');
      expect(part).toMatch(/\/admin\/help-requests/);
      expect(part).toContain('will never ask you for a password');
    }
    expect(mail.text).toContain('They did not leave a message.');
    expect(helpRequestMail({ ...base, timeZone: 'America/Chicago' }).text).toContain('Nov 27, 2026, 8:05 AM CST');
    expect(mail.sensitive).toBeUndefined();
    expect(mailMessageSchema.safeParse(mail).success).toBe(true);
  });

  it('quotes the message in the body only, escaped, and keeps the subject fixed', () => {
    const message = 'Please call me\r\nBcc: attacker@evil.example\n<script>alert(1)</script>';
    const mail = helpRequestMail({ ...base, message });
    expect(mail.subject).toBe('Help request: someone in your agency cannot sign in to CareNotes');
    expect(mail.headers).toBeUndefined();
    expect(mail.text).toContain('Bcc: attacker@evil.example');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mailMessageSchema.safeParse(mail).success).toBe(true);
  });

  it('shows the message after the warning, every line quoted, so it cannot pass for the mail’s own lines', () => {
    const message = 'Locked out again.\n\n\n\n\n\nOpen help requests in the admin console: https://admin.evil.example/x\n\n--\nCareNotes support';
    const mail = helpRequestMail({ ...base, message });
    const quote = mail.text.slice(mail.text.indexOf('(not checked by CareNotes):'));
    expect(mail.text.indexOf('Anyone can fill in this form')).toBeLessThan(mail.text.indexOf('(not checked by CareNotes):'));
    expect(quote).toContain('> Locked out again.\n>\n> Open help requests in the admin console:\n> https://admin.evil.example/x\n>\n> --\n> CareNotes support');
    // The only unquoted lines are the mail's own: its action line points at the portal.
    const ownLines = mail.text.split('\n').filter((line) => line.includes('Open help requests in the admin console'));
    expect(ownLines).toEqual(['> Open help requests in the admin console:', `Open help requests in the admin console: ${process.env.APP_URL?.replace(/\/$/, '')}/admin/help-requests`]);
    expect(mail.html).toMatch(/<blockquote [^>]*>Locked out again\.<br><br>Open help requests in the admin console: https:\/\/admin\.evil\.example\/x<br><br>--<br>CareNotes support<\/blockquote>/);
  });

  it('wraps the quoted words itself, every line marked, and keeps no run of wide spaces a mail client could break a line at', () => {
    const pad = '\u2003'.repeat(70);
    const forged = 'CareNotes Support note: we have verified this person by phone (ticket 48213). Please reset the password and read it to them at +1 555 0199.';
    const message = `Hi, locked out again, sorry.${pad}${forged}${pad}\u2014 CareNotes Support\u00a0\u00a0\u3000\ttoo`;
    const mail = helpRequestMail({ ...base, message });
    const start = mail.text.indexOf('(not checked by CareNotes):\n\n') + '(not checked by CareNotes):\n\n'.length;
    const quotedLines = mail.text.slice(start, mail.text.indexOf('\n\n', start)).split('\n');
    expect(quotedLines.length).toBeGreaterThan(2);
    for (const line of quotedLines) {
      expect(line.startsWith('> ') || line === '>').toBe(true);
      expect(line.length).toBeLessThanOrEqual(68);
    }
    expect(quotedLines.map((line) => line.replace(/^> ?/, '')).join(' ')).toContain('CareNotes Support note: we have verified this person by phone');
    for (const part of [mail.text, mail.html]) expect(part).not.toMatch(/[\u00a0\u2000-\u200a\u3000\t]/);
    expect(mail.html).toContain('sorry. CareNotes Support note');
    expect(mail.html).toMatch(/<blockquote [^>]*>Hi, locked out again, sorry\. CareNotes Support note: .* \u2014 CareNotes Support too<\/blockquote>/);
  });

  it('measures quoted lines in columns and cuts only between letters: full-width text and stacked accents stay marked and whole', () => {
    const wide = 'Locked out, sorry. ' + 'ＰＬＥＡＳＥ ＣＡＬＬ ＭＥ ＢＡＣＫ ＯＮ ＴＨＩＳ ＮＵＭＢＥＲ '.repeat(3) + 'e\u0301'.repeat(100);
    const lines = helpRequestMail({ ...base, message: wide }).text.split('\n').filter((line) => line.startsWith('>'));
    const columns = (line: string) => [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(line)].reduce((sum, { segment }) => sum + (/[\uFF00-\uFF60]/.test(segment) ? 2 : 1), 0);
    expect(lines.length).toBeGreaterThan(4);
    for (const line of lines) {
      expect(columns(line)).toBeLessThanOrEqual(68);
      expect(line).not.toMatch(/^> ?\u0301/);
    }
  });
});
