import { describe, expect, it } from 'vitest';
import { formatForReading, generateTemporaryPassword } from './temporary';

describe('generateTemporaryPassword', () => {
  it('gives 16 characters from the unambiguous alphabet', () => {
    for (let i = 0; i < 200; i++) {
      expect(generateTemporaryPassword()).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{16}$/);
    }
  });

  it('never repeats itself', () => {
    const passwords = new Set(Array.from({ length: 1000 }, generateTemporaryPassword));
    expect(passwords.size).toBe(1000);
  });

  it('uses the whole alphabet', () => {
    const seen = new Set(Array.from({ length: 200 }, generateTemporaryPassword).join(''));
    expect(seen.size).toBe(31);
  });
});

describe('formatForReading', () => {
  it('groups by four for display', () => {
    expect(formatForReading('ABCDEFGHJKMNPQRS')).toBe('ABCD EFGH JKMN PQRS');
  });
});
