import { describe, expect, it } from 'vitest';
import { carriesSecret, redactPath } from '@/lib/http/redact-path.mjs';

describe('redactPath', () => {
  it.each([
    ['/reset/abcDEF123_-', '/reset/[redacted]'],
    ['/reset/abc?x=1', '/reset/[redacted]?x=1'],
    ['/reset/abc/', '/reset/[redacted]'],
    ['/reset/abc/def/ghi', '/reset/[redacted]'],
    ['/super-admin-reset/cancel/tok3n', '/super-admin-reset/cancel/[redacted]'],
    ['/status/unsubscribe?s=1&t=secret', '/status/unsubscribe?s=1&t=[redacted]'],
    ['/status/subscribe/confirm?t=secret&s=2', '/status/subscribe/confirm?t=[redacted]&s=2'],
    ['/status/unsubscribe?T=secret&token=two&t=three', '/status/unsubscribe?T=[redacted]&token=[redacted]&t=[redacted]'],
    ['/super-admin-reset/status?reference=REF123', '/super-admin-reset/status?reference=[redacted]'],
    ['/dev/mailbox?key=K', '/dev/mailbox?key=[redacted]'],
    ['/help', '/help'],
    ['/help?tab=1', '/help?tab=1'],
  ])('%s → %s', (path, expected) => {
    expect(redactPath(path)).toBe(expected);
  });

  // Requests no browser sends from a mail link, but a client may: the token must not survive any of them.
  it.each([
    '/%72eset/SECRETTOKEN',
    '/reset\\SECRETTOKEN',
    '/reset%5CSECRETTOKEN',
    '\\reset/SECRETTOKEN',
    '/super-admin-reset\\cancel\\SECRETTOKEN',
    '/RESET/SECRETTOKEN',
    '//reset/SECRETTOKEN',
    '/reset//SECRETTOKEN',
    '/super-admin-reset//cancel/SECRETTOKEN',
    '/super-admin-reset/%63ancel/SECRETTOKEN',
    '/status/unsubscribe?%74=SECRETTOKEN',
    '/status/unsubscribe?s=1&%54oken=SECRETTOKEN',
    '/status/unsubscribe?t+=SECRETTOKEN',
    '/reset/SECRET%TOKEN',
    'http://127.0.0.1:3000/reset/SECRETTOKEN',
    '/reset/SECRETTOKEN/SECRETTOKEN',
    '/reset/x/SECRETTOKEN',
    '/reset/x%0ASECRETTOKEN',
    '/super-admin-reset/cancel/x/SECRETTOKEN',
    'http://127.0.0.1:3000//super-admin-reset/cancel/SECRETTOKEN?t=SECRET',
    // A done notice can name a request's reference.
    '/super-admin-reset/cancelled?done=cancelled-SECRETREF.1796321048.signature',
  ])('%s loses its token', (path) => {
    expect(redactPath(path)).not.toContain('SECRET');
  });

  // A malformed escape once made the whole path undecodable, and the rules above were matched on the
  // raw text: an encoded letter of `reset` then kept the token (review r25a F3).
  const TOKEN = 'Zq3vXh0N7pL2sK9dW4yB1cR6tF8gJ5mA0eU3iO7wQ2x';
  it.each([
    `/%72eset/${TOKEN}%`,
    `/reset%2F${TOKEN}%`,
    `/super-admin-reset/%63ancel/${TOKEN}%E0`,
    `/%72eset/x%E0%72${TOKEN}`,
    `/x?t%=${TOKEN}`,
    `/status/unsubscribe?tok=${TOKEN}&s=1`,
    `/anything/${TOKEN}.json`,
    // Partly escaped, under no rule's name or path.
    `/status?x=${TOKEN.slice(0, 10)}%4B${TOKEN.slice(11)}`,
    `/help/${TOKEN.slice(0, 30)}%2d${TOKEN.slice(31)}`,
  ])('%s loses its token, a malformed escape or an unknown name notwithstanding', (path) => {
    expect(TOKEN).toHaveLength(43);
    expect(redactPath(path)).not.toContain(TOKEN.slice(0, 20));
    expect(redactPath(path)).not.toContain(TOKEN.slice(-20));
  });

  it('leaves words of other lengths alone', () => {
    expect(redactPath(`/help?q=${'a'.repeat(42)}`)).toBe(`/help?q=${'a'.repeat(42)}`);
    expect(redactPath(`/help?q=${'a'.repeat(44)}`)).toBe(`/help?q=${'a'.repeat(44)}`);
  });

  it('tells which targets carry a secret, in the path or the query, however written: their answers get no-store and no Referer', () => {
    for (const target of ['/reset/T/', '//RESET/T', '/super-admin-reset/cancel/T/', '/status/subscribe/confirm/?s=1&e=2&t=T', '/status/unsubscribe?%74=T', '/status/stop-alerts?s=1&Token=T', '/super-admin-reset/submitted/?reference=R', '/super-admin-reset/submitted?done=submitted-R.1.S', '/x?t+=T', '/dev/mailbox/abc?key=K']) {
      expect(carriesSecret(target), target).toBe(true);
    }
    for (const target of ['/help/', '/status?s=1', '/login?callbackUrl=%2Fadmin', '/reset', '/status?tt=1&at=2', '/status?t']) {
      expect(carriesSecret(target), target).toBe(false);
    }
  });

  it('cuts a path longer than any of the portal’s to 512 characters, saying how much is left out', () => {
    expect(redactPath(`/help?${'x'.repeat(15_000)}`)).toBe(`/help?${'x'.repeat(506)}…[14494 more characters]`);
    expect(redactPath(`/help?${'x'.repeat(506)}`)).toBe(`/help?${'x'.repeat(506)}`);
    expect(redactPath(`/reset/SECRETTOKEN?${'x'.repeat(600)}`)).toMatch(/^\/reset\/\[redacted\]\?x+…\[\d+ more characters\]$/);
  });
});
