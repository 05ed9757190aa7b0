import { describe, expect, it } from 'vitest';
import { isLocked, lockAfterFailure } from '@/lib/auth/lockout';

const policy = { softLockThreshold: 5, hardLockThreshold: 20 };
const now = new Date('2026-11-27T10:00:00Z');
const minutes = (decision: { lockedUntil: Date | null }) =>
  decision.lockedUntil ? (decision.lockedUntil.getTime() - now.getTime()) / 60_000 : 0;

describe('lockAfterFailure', () => {
  it('does not lock below the threshold', () => {
    expect(lockAfterFailure(4, now, now, policy)).toEqual({ lockedUntil: null, hardLock: false });
  });

  it('locks for 1 minute at the threshold, doubling up to 15 minutes', () => {
    expect([5, 6, 7, 8, 9, 10, 19].map((n) => minutes(lockAfterFailure(n, now, now, policy)))).toEqual([
      1, 2, 4, 8, 15, 15, 15,
    ]);
  });

  it('hard-locks at the hard threshold within 24 hours', () => {
    expect(lockAfterFailure(20, new Date(now.getTime() - 23 * 3600_000), now, policy)).toEqual({
      lockedUntil: null,
      hardLock: true,
    });
  });

  it('keeps a soft lock when the streak is older than 24 hours', () => {
    const decision = lockAfterFailure(20, new Date(now.getTime() - 25 * 3600_000), now, policy);
    expect(decision.hardLock).toBe(false);
    expect(minutes(decision)).toBe(15);
  });

  it('follows a tightened policy', () => {
    expect(minutes(lockAfterFailure(3, now, now, { softLockThreshold: 3, hardLockThreshold: 10 }))).toBe(1);
    expect(lockAfterFailure(10, now, now, { softLockThreshold: 3, hardLockThreshold: 10 }).hardLock).toBe(true);
  });
});

describe('isLocked', () => {
  it('is locked while the soft lock runs or a hard lock is set', () => {
    expect(isLocked({ lockedUntil: new Date(now.getTime() + 1000), hardLockedAt: null }, now)).toBe(true);
    expect(isLocked({ lockedUntil: new Date(now.getTime() - 1000), hardLockedAt: null }, now)).toBe(false);
    expect(isLocked({ lockedUntil: null, hardLockedAt: now }, now)).toBe(true);
    expect(isLocked({ lockedUntil: null, hardLockedAt: null }, now)).toBe(false);
  });
});
