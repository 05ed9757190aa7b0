import { describe, expect, it } from 'vitest';
import { formatDateTime, isSupportedTimeZone, supportedTimeZones, timeZoneLabel, zonedWallTimeToUtc } from './date';

describe('formatDateTime', () => {
  it('names the zone, in UTC unless told otherwise, with plain spaces', () => {
    const when = new Date('2026-12-01T14:05:00Z');
    expect(formatDateTime(when)).toBe('Dec 1, 2026, 2:05 PM UTC');
    expect(formatDateTime(when, 'America/New_York')).toBe('Dec 1, 2026, 9:05 AM EST');
    expect(formatDateTime(when.toISOString(), 'America/Chicago')).toBe('Dec 1, 2026, 8:05 AM CST');
    expect(formatDateTime(new Date('2026-07-01T14:05:00Z'), 'America/New_York')).toBe('Jul 1, 2026, 10:05 AM EDT');
  });
});

describe('time zones', () => {
  it('accepts IANA names this runtime knows, and UTC; refuses the rest', () => {
    expect(isSupportedTimeZone('America/Chicago')).toBe(true);
    expect(isSupportedTimeZone('UTC')).toBe(true);
    for (const bad of ['America/Springfield', 'EST5EDT ', '', '../etc/passwd', 'america/chicago']) expect(isSupportedTimeZone(bad), bad).toBe(false);
  });

  it('turns a wall-clock time in a zone into UTC across a DST change, refusing skipped and doubled times', () => {
    expect(zonedWallTimeToUtc('2026-03-07T02:30', 'America/New_York')?.toISOString()).toBe('2026-03-07T07:30:00.000Z'); // EST
    expect(zonedWallTimeToUtc('2026-03-08T01:59', 'America/New_York')?.toISOString()).toBe('2026-03-08T06:59:00.000Z');
    expect(zonedWallTimeToUtc('2026-03-08T02:30', 'America/New_York')).toBeNull(); // skipped at spring-forward
    expect(zonedWallTimeToUtc('2026-03-08T03:00', 'America/New_York')?.toISOString()).toBe('2026-03-08T07:00:00.000Z'); // EDT
    expect(zonedWallTimeToUtc('2026-11-01T01:30', 'America/New_York')).toBeNull(); // happens twice at fall-back
    expect(zonedWallTimeToUtc('2026-11-01T02:30', 'America/New_York')?.toISOString()).toBe('2026-11-01T07:30:00.000Z');
    expect(zonedWallTimeToUtc('2026-12-01T09:05', 'UTC')?.toISOString()).toBe('2026-12-01T09:05:00.000Z');
    expect(zonedWallTimeToUtc('2026-02-30T09:05', 'UTC')).toBeNull();
    expect(zonedWallTimeToUtc('2026-12-01T09:05', 'Mars/Olympus')).toBeNull();
  });

  it('reads a year below 100 as that year, not as 19xx: a real time, refused later as past, not as a clock change', () => {
    expect(zonedWallTimeToUtc('0050-06-01T00:00', 'UTC')?.getUTCFullYear()).toBe(50);
    expect(zonedWallTimeToUtc('0050-06-01T00:00', 'America/New_York')?.getUTCFullYear()).toBe(50);
    expect(zonedWallTimeToUtc('0001-01-01T10:00', 'Europe/London')?.getUTCFullYear()).toBe(1);
  });
});

describe('timeZoneLabel', () => {
  it('shows a zone IANA renamed by its name today, and keeps its value the runtime’s, so a saved zone stays in the list', () => {
    expect(timeZoneLabel('Europe/Kiev')).toBe('Europe/Kyiv');
    expect(timeZoneLabel('Asia/Calcutta')).toBe('Asia/Kolkata');
    expect(timeZoneLabel('Asia/Saigon')).toBe('Asia/Ho Chi Minh');
    expect(timeZoneLabel('America/New_York')).toBe('America/New York');
    expect(timeZoneLabel('UTC')).toBe('UTC');
    expect(timeZoneLabel('__proto__')).toBe('  proto  ');
    for (const zone of ['Europe/Kiev', 'Asia/Calcutta']) expect(supportedTimeZones()).toContain(zone);
    // Each renamed zone is one this runtime accepts under its new name too, at the same offset.
    const at = new Date('2026-07-01T12:00:00Z');
    for (const zone of supportedTimeZones().filter((name) => timeZoneLabel(name) !== name.replaceAll('_', ' '))) {
      const now = timeZoneLabel(zone).replaceAll(' ', '_');
      const offset = (name: string) => new Intl.DateTimeFormat('en', { timeZone: name, timeZoneName: 'longOffset' }).format(at);
      expect(offset(now), zone).toBe(offset(zone));
    }
  });
});
