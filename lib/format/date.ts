// The one way the portal writes a moment for people: "Dec 1, 2026, 9:05 AM EST". The zone is always
// named, since a mail is read anywhere and an agency's office may not be where the reader is.
// Pure Intl, so the browser's re-rendering (components/ui/local-time.tsx) formats alike.

export const DEFAULT_TIME_ZONE = 'UTC';

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
      timeZone,
    });
    formats.set(key, format);
  }
  return format;
}

/**
 * "Dec 1, 2026, 9:05 AM EST" in the given IANA zone (UTC when none is given; pass `local` for the
 * running browser's own zone). ICU's narrow no-break space before AM/PM becomes a plain space, so
 * the server's and the browser's text, and tests, agree whatever their ICU version.
 */
export function formatDateTime(value: Date | string, timeZone: string | 'local' = DEFAULT_TIME_ZONE): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  return formatFor(timeZone === 'local' ? undefined : timeZone)
    .format(date)
    .replace(/[\u202f\u00a0]/g, ' ');
}

/** "2026-12-01": for file names and machine-facing day stamps, always UTC. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

let zones: Set<string> | undefined;

/** Every zone name this runtime knows (IANA canonical names, plus UTC). */
export function supportedTimeZones(): string[] {
  zones ??= new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]);
  return [...zones];
}

// Zones IANA has renamed whose old name the runtime's list still gives (its ICU keeps them as canonical):
// an admin in Kyiv looks for Kyiv. The value stays the runtime's, so a saved zone is always in the list.
const RENAMED_ZONES: Readonly<Record<string, string>> = {
  'Europe/Kiev': 'Europe/Kyiv',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'America/Godthab': 'America/Nuuk',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Truk': 'Pacific/Chuuk',
  'Pacific/Ponape': 'Pacific/Pohnpei',
};

/** A zone as a list shows it: today's IANA name, with spaces ("Europe/Kyiv", "America/New York"). */
export function timeZoneLabel(zone: string): string {
  return (Object.hasOwn(RENAMED_ZONES, zone) ? RENAMED_ZONES[zone]! : zone).replaceAll('_', ' ');
}

export function isSupportedTimeZone(name: string): boolean {
  if (!zones) supportedTimeZones();
  return zones!.has(name);
}

/** Date.UTC, with a year below 100 taken as that year: Date.UTC reads 50 as 1950 (review r40b). */
function utcMillis(year: number, monthIndex: number, day: number, hour: number, minute: number, second = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

/**
 * A wall-clock "YYYY-MM-DDTHH:MM" as UTC milliseconds, or null unless every part is in its range:
 * Date.UTC rolls month 13 into January and minute 75 into the next hour (review r25b).
 */
function calendarWallTime(local: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  const asUtc = utcMillis(year, month - 1, day, hour, minute);
  const back = new Date(asUtc);
  const same =
    back.getUTCFullYear() === year && back.getUTCMonth() === month - 1 && back.getUTCDate() === day && back.getUTCHours() === hour && back.getUTCMinutes() === minute;
  return same ? asUtc : null;
}

/** Whether "YYYY-MM-DDTHH:MM" names a real date and time (month 1–12, a day the month has, 00:00–23:59). */
export function isCalendarWallTime(local: string): boolean {
  return calendarWallTime(local) !== null;
}

/**
 * The UTC instant of a wall-clock time ("2026-03-08T02:30" from a datetime-local field) in `timeZone`.
 * A time that does not exist (skipped by a spring-forward) or exists twice (fall-back) is refused:
 * the operator must say which moment they mean rather than have one picked for them.
 */
export function zonedWallTimeToUtc(local: string, timeZone: string): Date | null {
  if (!isSupportedTimeZone(timeZone)) return null;
  const asUtc = calendarWallTime(local);
  if (asUtc === null) return null;
  // The zone's offset is within ±14 h: try the offsets found around the guess and keep those that
  // give back the same wall clock.
  const candidates = new Set<number>();
  for (const probe of [asUtc - 14 * 3600_000, asUtc, asUtc + 14 * 3600_000]) candidates.add(asUtc - offsetAt(probe, timeZone));
  const exact = [...candidates].filter((instant) => instant + offsetAt(instant, timeZone) === asUtc);
  return exact.length === 1 ? new Date(exact[0]!) : null;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in ms (wall clock minus UTC). */
function offsetAt(instant: number, timeZone: string): number {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  const wall = utcMillis(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall - Math.floor(instant / 1000) * 1000;
}
