import { describe, expect, it } from 'vitest';
import { computeUptime, type UptimeIncident, type UptimeWindow } from '@/lib/status/uptime';

const NOW = new Date('2026-11-27T12:00:00Z');
const LONG_AGO = new Date('2026-01-01T00:00:00Z');
const component = { id: 'c1', createdAt: LONG_AGO };
const at = (iso: string) => new Date(iso);

function incident(impact: UptimeIncident['impact'], start: string, end: string | null, componentIds = ['c1']): UptimeIncident {
  return { impact, startedAt: at(start), resolvedAt: end ? at(end) : null, componentIds };
}

function window(start: string, end: string, extra: Partial<UptimeWindow> = {}): UptimeWindow {
  return { startsAt: at(start), endsAt: at(end), endedAt: null, cancelledAt: null, componentIds: ['c1'], ...extra };
}

const day = (result: ReturnType<typeof computeUptime>, date: string) => result.days.find((d) => d.date === date)!;

describe('computeUptime', () => {
  it('covers 90 UTC days ending today, all operational without incidents', () => {
    const result = computeUptime(component, [], [], NOW);
    expect(result.days).toHaveLength(90);
    expect(result.days.at(-1)!.date).toBe('2026-11-27');
    expect(result.days[0]!.date).toBe('2026-08-30');
    expect(result.days.every((d) => d.state === 'operational')).toBe(true);
    expect(result.percent).toBe(100);
  });

  it('counts a partial outage as downtime on the days it touches, split at midnight UTC', () => {
    const result = computeUptime(component, [incident('PARTIAL_OUTAGE', '2026-11-20T23:30:00Z', '2026-11-21T00:30:00Z')], [], NOW);
    expect(day(result, '2026-11-20')).toMatchObject({ state: 'partial', downMinutes: 30 });
    expect(day(result, '2026-11-21')).toMatchObject({ state: 'partial', downMinutes: 30 });
    // 60 minutes down out of 89.5 observed days.
    expect(result.percent).toBe(Math.floor((1 - 60 / (89.5 * 1440)) * 10_000) / 100);
  });

  it('does not count overlapping incidents twice and marks the day by the worst impact', () => {
    const result = computeUptime(
      component,
      [
        incident('PARTIAL_OUTAGE', '2026-11-10T10:00:00Z', '2026-11-10T12:00:00Z'),
        incident('MAJOR_OUTAGE', '2026-11-10T11:00:00Z', '2026-11-10T13:00:00Z'),
      ],
      [],
      NOW,
    );
    expect(day(result, '2026-11-10')).toMatchObject({ state: 'major', downMinutes: 180 });
  });

  it('shows degraded performance and maintenance on the day without counting them as downtime', () => {
    const result = computeUptime(
      component,
      [incident('DEGRADED_PERFORMANCE', '2026-11-05T08:00:00Z', '2026-11-05T09:00:00Z')],
      [window('2026-11-06T02:00:00Z', '2026-11-06T04:00:00Z')],
      NOW,
    );
    expect(day(result, '2026-11-05')).toMatchObject({ state: 'degraded', degradedMinutes: 60, downMinutes: 0 });
    expect(day(result, '2026-11-06')).toMatchObject({ state: 'maintenance', maintenanceMinutes: 120 });
    expect(result.percent).toBe(100);
  });

  it('counts an open incident up to now, and a window ended early only until it ended', () => {
    const result = computeUptime(
      component,
      [incident('MAJOR_OUTAGE', '2026-11-27T11:00:00Z', null)],
      [window('2026-11-26T01:00:00Z', '2026-11-26T05:00:00Z', { endedAt: at('2026-11-26T02:00:00Z') })],
      NOW,
    );
    expect(day(result, '2026-11-27')).toMatchObject({ state: 'major', downMinutes: 60 });
    expect(day(result, '2026-11-26')).toMatchObject({ maintenanceMinutes: 60 });
  });

  it('ignores cancelled windows and incidents of other components', () => {
    const result = computeUptime(
      component,
      [incident('MAJOR_OUTAGE', '2026-11-01T00:00:00Z', '2026-11-01T05:00:00Z', ['other'])],
      [window('2026-11-02T00:00:00Z', '2026-11-02T05:00:00Z', { cancelledAt: at('2026-11-01T00:00:00Z') })],
      NOW,
    );
    expect(result.days.every((d) => d.state === 'operational')).toBe(true);
  });

  it('has no data before the component existed and leaves that time out of the percentage', () => {
    const young = { id: 'c1', createdAt: at('2026-11-26T12:00:00Z') };
    const result = computeUptime(young, [incident('MAJOR_OUTAGE', '2026-11-27T00:00:00Z', '2026-11-27T06:00:00Z')], [], NOW);
    expect(result.days.filter((d) => d.state === 'no-data')).toHaveLength(88);
    expect(result.percent).toBe(75);
  });
});
