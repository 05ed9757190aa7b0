import { describe, expect, it } from 'vitest';
import { PASSWORD_TOO_LONG } from '@/lib/validation/identifiers';
import { currentPasswordField } from './may-add-factor';

describe('the current password asked before adding a factor', () => {
  it('is refused past 1024 characters before any check, with the sign-in’s own words: a longer one was checked, and counted on the lock (review r45e F4)', () => {
    expect(currentPasswordField.safeParse('x'.repeat(1024)).success).toBe(true);
    const refused = currentPasswordField.safeParse('x'.repeat(1025));
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((issue) => issue.message)).toEqual([PASSWORD_TOO_LONG]);
    expect(currentPasswordField.safeParse(undefined).success).toBe(true);
  });
});
