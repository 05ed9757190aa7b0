export type LockoutPolicy = { softLockThreshold: number; hardLockThreshold: number };

// PRODUCT.md: 1 min at the threshold, doubling per further failure up to 15 min;
// a success or 12 h without failures ends the streak; the hard lock counts a 24 h streak.
export const FIRST_LOCK_MS = 60_000;
export const MAX_SOFT_LOCK_MS = 15 * 60_000;
export const STREAK_RESET_MS = 12 * 60 * 60_000;
export const HARD_LOCK_WINDOW_MS = 24 * 60 * 60_000;

export type LockDecision = { lockedUntil: Date | null; hardLock: boolean };

/** The lock that follows the `failureCount`-th consecutive failure of a streak that began at `streakStart`. */
export function lockAfterFailure(failureCount: number, streakStart: Date, now: Date, policy: LockoutPolicy): LockDecision {
  const withinHardWindow = now.getTime() - streakStart.getTime() <= HARD_LOCK_WINDOW_MS;
  if (failureCount >= policy.hardLockThreshold && withinHardWindow) {
    return { lockedUntil: null, hardLock: true };
  }
  if (failureCount < policy.softLockThreshold) return { lockedUntil: null, hardLock: false };
  const doublings = Math.min(failureCount - policy.softLockThreshold, 10);
  const lockMs = Math.min(FIRST_LOCK_MS * 2 ** doublings, MAX_SOFT_LOCK_MS);
  return { lockedUntil: new Date(now.getTime() + lockMs), hardLock: false };
}

export type LockState = { lockedUntil: Date | null; hardLockedAt: Date | null };

export function isLocked(state: LockState, now: Date): boolean {
  return state.hardLockedAt !== null || (state.lockedUntil !== null && state.lockedUntil > now);
}

/** isLocked as query conditions, either of which makes an account locked (one index each). */
export function lockedConditions(now: Date) {
  return [{ hardLockedAt: { not: null } }, { lockedUntil: { gt: now } }];
}

/** What ending a streak writes: no failures counted, no lock of either kind (sign-in, unlock, resets). */
export const UNLOCKED = {
  failedSignInCount: 0,
  firstFailedSignInAt: null,
  lastFailedSignInAt: null,
  lockedUntil: null,
  hardLockedAt: null,
} as const;
