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

describe('a refusal for the account’s own budget (review r54b F1, F2)', () => {
  it('says how many minutes are left, and whom to tell: the agency’s administrator, or for vendor staff the colleague', () => {
    expect(signInMessage('ACCOUNT_THROTTLED', 9 * 60 + 1)).toBe(
      'Too many sign-ins to this account in the last 15 minutes. Wait 10 minutes and try again. If they were not all yours, someone may be trying to use your account: ask your provider administrator to reset your password.',
    );
    expect(signInMessage('ACCOUNT_THROTTLED', 30)).toContain('Wait 1 minute and');
    expect(signInMessage('ACCOUNT_THROTTLED')).toContain('Wait 15 minutes and');
    expect(signInMessage('ACCOUNT_THROTTLED', 120, 'vendor')).toContain('Wait 2 minutes and');
    expect(signInMessage('ACCOUNT_THROTTLED', 120, 'vendor')).toContain('tell the colleague who runs the CareNotes password help portal.');
  });
});
