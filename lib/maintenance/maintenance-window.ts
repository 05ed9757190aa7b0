/** The fields that decide where a maintenance window stands; the operator's actions only ever set these. */
export type WindowTimes = {
  startsAt: Date;
  endsAt: Date;
  endedAt: Date | null;
  cancelledAt: Date | null;
};

/**
 * In progress when `startsAt <= now < endsAt`, not cancelled and not ended early. "Start early"
 * moves `startsAt`, "extend" moves `endsAt`, "end" sets `endedAt`: one rule covers all of them.
 */
export function isInProgress(window: WindowTimes, now: Date): boolean {
  return (
    window.cancelledAt === null &&
    window.endedAt === null &&
    window.startsAt.getTime() <= now.getTime() &&
    now.getTime() < window.endsAt.getTime()
  );
}

/** Prisma `where` for windows in progress at `now` (the same rule as isInProgress). */
export function inProgressWhere(now: Date) {
  return { cancelledAt: null, endedAt: null, startsAt: { lte: now }, endsAt: { gt: now } };
}

/** When the window actually ran, for uptime: ended early or on time, never past `now`. */
export function actualInterval(window: WindowTimes, now: Date): { start: Date; end: Date } | null {
  if (window.cancelledAt) return null;
  const end = new Date(Math.min((window.endedAt ?? window.endsAt).getTime(), now.getTime()));
  return end.getTime() > window.startsAt.getTime() ? { start: window.startsAt, end } : null;
}

/** Where a window stands at `now`, for what the public reads of it (the feed): the same rules as isInProgress. */
export type WindowState = 'planned' | 'in-progress' | 'completed' | 'cancelled';

export function windowState(window: WindowTimes, now: Date): WindowState {
  if (window.cancelledAt) return 'cancelled';
  if (isInProgress(window, now)) return 'in-progress';
  return window.endedAt || window.endsAt.getTime() <= now.getTime() ? 'completed' : 'planned';
}
