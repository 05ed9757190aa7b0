import type { ComponentStatus } from '@/lib/generated/sqlite/enums';
import { actualInterval, type WindowTimes } from '@/lib/maintenance/maintenance-window';

export const UPTIME_DAYS = 90;
const DAY_MS = 86_400_000;

export type UptimeIncident = { impact: ComponentStatus; startedAt: Date; resolvedAt: Date | null; componentIds: string[] };
export type UptimeWindow = WindowTimes & { componentIds: string[] };
export type UptimeComponent = { id: string; createdAt: Date };

export type DayState = 'operational' | 'maintenance' | 'degraded' | 'partial' | 'major' | 'no-data';

export type UptimeDay = {
  /** UTC calendar day, YYYY-MM-DD. */
  date: string;
  state: DayState;
  /** Minutes of partial or major outage (what counts as downtime). */
  downMinutes: number;
  degradedMinutes: number;
  maintenanceMinutes: number;
};

export type ComponentUptime = {
  days: UptimeDay[];
  /** Share of the observed time without a partial or major outage, rounded down to 2 decimals; null without data. */
  percent: number | null;
};

type Interval = [number, number];

function union(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const merged: Interval[] = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

function overlap(intervals: Interval[], from: number, to: number): number {
  let total = 0;
  for (const [start, end] of intervals) total += Math.max(0, Math.min(end, to) - Math.max(start, from));
  return total;
}

const minutes = (ms: number) => Math.round(ms / 60_000);

/**
 * Daily uptime for one component over the last `days` UTC days (today included, up to `now`),
 * derived on read from incidents and maintenance windows; nothing is stored.
 *
 * - Partial and major outages count as downtime.
 * - Degraded performance is shown on the day but is not downtime: the service works, slowly.
 * - Announced maintenance is shown on the day but is not downtime, as service agreements count it.
 * - Time before the component existed is "no data" and is left out of the percentage.
 */
export function computeUptime(
  component: UptimeComponent,
  incidents: UptimeIncident[],
  windows: UptimeWindow[],
  now: Date,
  days = UPTIME_DAYS,
): ComponentUptime {
  const nowMs = now.getTime();
  const mine = incidents.filter((incident) => incident.componentIds.includes(component.id));
  const span = (incident: UptimeIncident): Interval => [incident.startedAt.getTime(), (incident.resolvedAt ?? now).getTime()];
  const major = union(mine.filter((i) => i.impact === 'MAJOR_OUTAGE').map(span));
  const down = union(mine.filter((i) => i.impact === 'MAJOR_OUTAGE' || i.impact === 'PARTIAL_OUTAGE').map(span));
  const degraded = union(mine.filter((i) => i.impact === 'DEGRADED_PERFORMANCE').map(span));
  const maintenance = union(
    windows
      .filter((window) => window.componentIds.includes(component.id))
      .map((window) => actualInterval(window, now))
      .filter((interval) => interval !== null)
      .map(({ start, end }): Interval => [start.getTime(), end.getTime()]),
  );

  const todayStart = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const result: UptimeDay[] = [];
  let observedMs = 0;
  let downMs = 0;
  for (let index = days - 1; index >= 0; index--) {
    const dayStart = todayStart - index * DAY_MS;
    const from = Math.max(dayStart, component.createdAt.getTime());
    const to = Math.min(dayStart + DAY_MS, nowMs);
    const date = new Date(dayStart).toISOString().slice(0, 10);
    if (to <= from) {
      result.push({ date, state: 'no-data', downMinutes: 0, degradedMinutes: 0, maintenanceMinutes: 0 });
      continue;
    }
    const dayDown = overlap(down, from, to);
    const day: UptimeDay = {
      date,
      state: 'operational',
      downMinutes: minutes(dayDown),
      degradedMinutes: minutes(overlap(degraded, from, to)),
      maintenanceMinutes: minutes(overlap(maintenance, from, to)),
    };
    if (overlap(major, from, to) > 0) day.state = 'major';
    else if (dayDown > 0) day.state = 'partial';
    else if (day.degradedMinutes > 0) day.state = 'degraded';
    else if (day.maintenanceMinutes > 0) day.state = 'maintenance';
    observedMs += to - from;
    downMs += dayDown;
    result.push(day);
  }
  const percent = observedMs > 0 ? Math.floor(((observedMs - downMs) / observedMs) * 10_000) / 100 : null;
  return { days: result, percent };
}
