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

/**
 * isLocked as query conditions, any of which makes an account locked in one of its lanes (one index
 * each); `lanes`: only those (the spray banner counts strangers' locks).
 */
export function lockedConditions(now: Date, lanes: readonly Lane[] = ['anyone', 'knownDevice']) {
  return lanes.flatMap((lane) => [{ [LANE_COLUMNS[lane].hardLockedAt]: { not: null } }, { [LANE_COLUMNS[lane].lockedUntil]: { gt: now } }]);
}

/**
 * Each account keeps two streaks, each with its own locks (decision 065). Attempts from a browser
 * that has signed in as the account before (its known-device token, decision 062) count on
 * `knownDevice`; all others on `anyone`. A stranger who paces his guesses into the hard lock locks out
 * strangers, not the owner's usual browsers; a stolen token meets a lock of its own.
 */
export type Lane = 'anyone' | 'knownDevice';

/** The columns of each lane, on users and vendor accounts alike. */
export const LANE_COLUMNS = {
  anyone: {
    count: 'failedSignInCount',
    first: 'firstFailedSignInAt',
    last: 'lastFailedSignInAt',
    lockedUntil: 'lockedUntil',
    hardLockedAt: 'hardLockedAt',
  },
  knownDevice: {
    count: 'knownDeviceFailedCount',
    first: 'knownDeviceFirstFailedAt',
    last: 'knownDeviceLastFailedAt',
    lockedUntil: 'knownDeviceLockedUntil',
    hardLockedAt: 'knownDeviceHardLockedAt',
  },
} as const;

/** The lock state of one lane of an account row that carries both. */
export type LanesState = LockState & { knownDeviceLockedUntil: Date | null; knownDeviceHardLockedAt: Date | null };

export function laneLockState(row: LanesState, lane: Lane): LockState {
  return lane === 'anyone' ? row : { lockedUntil: row.knownDeviceLockedUntil, hardLockedAt: row.knownDeviceHardLockedAt };
}

/** The columns to select for laneLockState and accountLock. */
export const LANES_SELECT = { lockedUntil: true, hardLockedAt: true, knownDeviceLockedUntil: true, knownDeviceHardLockedAt: true } as const;

/**
 * The account's lock as people are shown it (the console, a verifier, `vendor:unlock`): locked when
 * either lane is, hard when either is, until the later end. An admin's unlock ends both.
 */
export function accountLock(row: LanesState): LockState {
  return { hardLockedAt: row.hardLockedAt ?? row.knownDeviceHardLockedAt, lockedUntil: latest(row.lockedUntil, row.knownDeviceLockedUntil) };
}

/** The columns to select for accountStreak. */
export const STREAKS_SELECT = {
  failedSignInCount: true,
  firstFailedSignInAt: true,
  lastFailedSignInAt: true,
  knownDeviceFailedCount: true,
  knownDeviceFirstFailedAt: true,
  knownDeviceLastFailedAt: true,
} as const;

type StreaksState = {
  failedSignInCount: number;
  firstFailedSignInAt: Date | null;
  lastFailedSignInAt: Date | null;
  knownDeviceFailedCount: number;
  knownDeviceFirstFailedAt: Date | null;
  knownDeviceLastFailedAt: Date | null;
};

/** Both lanes' failures as one streak, as people are shown it and the unlock records it. */
export function accountStreak(row: StreaksState): { failures: number; firstFailedAt: Date | null; lastFailedAt: Date | null } {
  return {
    failures: row.failedSignInCount + row.knownDeviceFailedCount,
    firstFailedAt: earliest(row.firstFailedSignInAt, row.knownDeviceFirstFailedAt),
    lastFailedAt: latest(row.lastFailedSignInAt, row.knownDeviceLastFailedAt),
  };
}

function earliest(...dates: (Date | null)[]): Date | null {
  const given = dates.filter((date): date is Date => date !== null);
  return given.length ? new Date(Math.min(...given.map((date) => date.getTime()))) : null;
}

function latest(...dates: (Date | null)[]): Date | null {
  const given = dates.filter((date): date is Date => date !== null);
  return given.length ? new Date(Math.max(...given.map((date) => date.getTime()))) : null;
}

/**
 * What ending a streak writes: no failures counted, no lock of either kind, in either lane (a
 * success, an unlock, a reset: whoever proves the account, or an admin, ends every lock on it).
 */
export const UNLOCKED = {
  failedSignInCount: 0,
  firstFailedSignInAt: null,
  lastFailedSignInAt: null,
  lockedUntil: null,
  hardLockedAt: null,
  knownDeviceFailedCount: 0,
  knownDeviceFirstFailedAt: null,
  knownDeviceLastFailedAt: null,
  knownDeviceLockedUntil: null,
  knownDeviceHardLockedAt: null,
} as const;
