import { describe, expect, it } from 'vitest';
import { signInMessage } from '@/lib/auth/sign-in-messages';

describe('sign-in refusals', () => {
  it('name who can unlock an account: the agency’s administrator for its staff, never for vendor staff, who have none (review r34b F4)', () => {
    expect(signInMessage('INVALID')).toContain('your provider administrator can unlock it');
    expect(signInMessage('INVALID', undefined, 'vendor')).not.toContain('provider administrator');
    expect(signInMessage('INVALID', undefined, 'vendor')).toContain('the colleague who runs the CareNotes password help portal can unlock it');
    // The same words otherwise: nothing tells one refusal from another.
    expect(signInMessage('INVALID', undefined, 'vendor').startsWith('The details you entered are not right')).toBe(true);
    expect(signInMessage('THROTTLED', 30, 'vendor')).toBe(signInMessage('THROTTLED', 30));
  });
});
