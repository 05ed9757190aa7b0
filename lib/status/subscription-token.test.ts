import { beforeAll, describe, expect, it } from 'vitest';

beforeAll(() => {
  process.env.NEXTAUTH_SECRET ??= 'unit-test-secret-that-is-long-enough-000000000001';
});

describe('subscription tokens', () => {
  it('accept their own subscriber and purpose only', async () => {
    const { subscriptionToken, isValidSubscriptionToken } = await import('@/lib/status/subscription-token');
    const token = subscriptionToken('sub_1', 'unsubscribe');
    expect(isValidSubscriptionToken('sub_1', 'unsubscribe', token)).toBe(true);
    expect(isValidSubscriptionToken('sub_2', 'unsubscribe', token)).toBe(false);
    expect(isValidSubscriptionToken('sub_1', 'confirm', token)).toBe(false);
    expect(isValidSubscriptionToken('sub_1', 'unsubscribe', token.slice(0, -1))).toBe(false);
    expect(isValidSubscriptionToken('sub_1', 'unsubscribe', '')).toBe(false);
  });

  it('build links that carry the id and the token, never an address', async () => {
    const { subscriptionPath, subscriptionToken } = await import('@/lib/status/subscription-token');
    const path = subscriptionPath('sub_1', 'confirm');
    expect(path).toBe(`/status/subscribe/confirm?s=sub_1&t=${subscriptionToken('sub_1', 'confirm')}`);
    expect(subscriptionPath('sub_1', 'unsubscribe')).toMatch(/^\/status\/unsubscribe\?s=sub_1&t=[\w-]{43}$/);
  });
});
