import { describe, expect, it } from 'vitest';
import { hashSecretToken, looksLikeSecretToken, newSecretToken } from './secret-token';

describe('secret tokens', () => {
  it('are 256 bits, base64url, and different every time', () => {
    const tokens = new Set(Array.from({ length: 1000 }, newSecretToken));
    expect(tokens.size).toBe(1000);
    for (const token of tokens) {
      expect(looksLikeSecretToken(token)).toBe(true);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
  });

  it('are stored as their SHA-256 in hex, never as themselves', () => {
    const token = newSecretToken();
    const hash = hashSecretToken(token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(token);
    expect(hashSecretToken(token)).toBe(hash);
  });

  it.each(['', 'short', `${'a'.repeat(42)}=`, `${'a'.repeat(42)}/`, 'a'.repeat(44), `${'a'.repeat(42)} `])(
    'refuses the malformed token %j',
    (value) => expect(looksLikeSecretToken(value)).toBe(false),
  );
});
