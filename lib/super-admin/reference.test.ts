import { describe, expect, it } from 'vitest';
import { formatReference, generateReference, parseReference, REFERENCE_LENGTH } from './reference';

describe('request references', () => {
  it('are 10 Crockford base32 characters, without I, L, O or U', () => {
    for (let i = 0; i < 500; i++) {
      const reference = generateReference();
      expect(reference).toHaveLength(REFERENCE_LENGTH);
      expect(reference).toMatch(/^[0-9A-HJKMNP-TV-Z]+$/);
    }
  });

  it('do not repeat in a large sample (50 bits)', () => {
    const sample = new Set(Array.from({ length: 20_000 }, generateReference));
    expect(sample.size).toBe(20_000);
  });

  it('use every character of the alphabet', () => {
    const seen = new Set(Array.from({ length: 2_000 }, generateReference).join(''));
    expect(seen.size).toBe(32);
  });

  it('are shown in two groups of five and read back from that form', () => {
    expect(formatReference('7K3QZM4T9P')).toBe('7K3QZ-M4T9P');
    expect(parseReference('7K3QZ-M4T9P')).toBe('7K3QZM4T9P');
  });

  it('are read forgivingly: any case, spaces, and O/I/L for 0/1/1', () => {
    expect(parseReference(' 7k3qz m4t9p ')).toBe('7K3QZM4T9P');
    expect(parseReference('O1IL2-34567')).toBe('0111234567');
  });

  it.each(['', '7K3QZ-M4T9', '7K3QZ-M4T9PP', '7K3QZ-M4T9U', '7K3QZ;M4T9P'])('refuse %j', (input) => {
    expect(parseReference(input)).toBeNull();
  });
});
