// How long a request has waited, and when that deserves attention. A super admin is locked out
// of their whole agency while it waits: a day is already long.
export const AGING_AFTER_MS = 24 * 3600_000;
export const OVERDUE_AFTER_MS = 72 * 3600_000;

export type Urgency = 'normal' | 'aging' | 'overdue';

export function urgencyOf(waitedMs: number): Urgency {
  if (waitedMs >= OVERDUE_AFTER_MS) return 'overdue';
  if (waitedMs >= AGING_AFTER_MS) return 'aging';
  return 'normal';
}

/** "2 d 3 h", "5 h 12 min", "12 min", "under a minute". */
export function describeAge(waitedMs: number): string {
  const minutes = Math.floor(Math.max(0, waitedMs) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${mins} min`;
  if (mins > 0) return `${mins} min`;
  return 'under a minute';
}
