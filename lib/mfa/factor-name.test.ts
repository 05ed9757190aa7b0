import { describe, expect, it } from 'vitest';
import { factorNameSchema } from './start-totp-enrolment';

describe('factorNameSchema', () => {
  it('refuses what every other name refuses: hidden characters, direction overrides, a NUL, stacked marks (review r40b F2)', () => {
    for (const name of ['Ph\u0000one', 'Phone \u202Eenohp', 'Ph\u200Bone', 'a\u0301\u0301\u0301\u0301\u0301\u0301\u0301']) {
      expect(factorNameSchema.safeParse(name).success, JSON.stringify(name)).toBe(false);
    }
  });

  it('keeps a name as people write it, on one line, within 60 characters', () => {
    expect(factorNameSchema.parse('  Work   phone ')).toBe('Work phone');
    expect(factorNameSchema.parse('علی‌رضا’s 📱')).toBe('علی‌رضا’s 📱');
    expect(factorNameSchema.safeParse('').success).toBe(false);
    expect(factorNameSchema.safeParse('x'.repeat(61)).success).toBe(false);
  });
});
