import { formatDateTime } from '@/lib/format/date';
import type { ComponentStatus, IncidentStatus } from '@/lib/generated/sqlite/enums';
import type { HealthResult } from '@/lib/help/connection-check';
import type { MaintenanceSummary, StatusSummary } from '@/lib/status/status-summary';

// Turns GET /api/status into the guide's plain sentences (steps 3, 4 and 6). Runs in the
// browser: no server imports, no validation library, only these small functions.

export type Tone = 'ok' | 'warning' | 'problem';

/** What the guide says when the status cannot be loaded (endpoint missing, down, or garbled). */
export const STATUS_UNAVAILABLE = 'We could not load the current status. See the status page at /status.';

const COMPONENT_LABEL: Record<ComponentStatus, string> = {
  OPERATIONAL: 'working normally',
  DEGRADED_PERFORMANCE: 'slower than usual',
  PARTIAL_OUTAGE: 'partly down',
  MAJOR_OUTAGE: 'down',
  UNDER_MAINTENANCE: 'under maintenance',
};

const OVERALL: Record<ComponentStatus, { tone: Tone; text: string }> = {
  OPERATIONAL: { tone: 'ok', text: 'All parts of CareNotes are working normally.' },
  DEGRADED_PERFORMANCE: { tone: 'warning', text: 'CareNotes is working, but slower than usual.' },
  PARTIAL_OUTAGE: { tone: 'problem', text: 'Part of CareNotes is not working.' },
  MAJOR_OUTAGE: { tone: 'problem', text: 'CareNotes is down.' },
  UNDER_MAINTENANCE: { tone: 'warning', text: 'CareNotes is under planned maintenance.' },
};

const INCIDENT_LABEL: Record<IncidentStatus, string> = {
  INVESTIGATING: 'investigating',
  IDENTIFIED: 'cause found, being fixed',
  MONITORING: 'fixed, being watched',
  RESOLVED: 'resolved',
};

export type TimeFormat = (date: Date) => string;

/** The browser's own zone (or the one given), named, as everywhere: "Nov 27, 2026, 2:30 PM EST". */
export function timeFormat(timeZone?: string): TimeFormat {
  return (date) => formatDateTime(date, timeZone ?? 'local');
}

/** "45 minutes", "2 hours 30 minutes", "1 day 3 hours". */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'less than a minute';
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return [plural(days, 'day'), hours ? plural(hours, 'hour') : ''].filter(Boolean).join(' ');
  return [hours ? plural(hours, 'hour') : '', rest ? plural(rest, 'minute') : ''].filter(Boolean).join(' ');
}

export type PostedMessage = { title: string; state: string; message: string | null; postedAt: string };

export type StatusCheck = {
  tone: Tone;
  headline: string;
  /** Parts of CareNotes that are not working normally, e.g. "Sign-in: down". */
  affected: string[];
  incidents: PostedMessage[];
  advice: string;
};

function postedMessages(summary: StatusSummary, format: TimeFormat): PostedMessage[] {
  return summary.activeIncidents.map((incident) => ({
    title: incident.title,
    state: INCIDENT_LABEL[incident.status] ?? incident.status.toLowerCase(),
    message: incident.latestUpdate?.message ?? null,
    postedAt: format(new Date(incident.latestUpdate?.createdAt ?? incident.startedAt)),
  }));
}

/** Step 4: the overall state, what is affected, the active incidents, and what to do. */
export function describeStatus(summary: StatusSummary, format: TimeFormat): StatusCheck {
  const overall = OVERALL[summary.overall];
  const affected = summary.components
    .filter((component) => component.status !== 'OPERATIONAL')
    .map((component) => `${component.name}: ${COMPONENT_LABEL[component.status]}`);
  const advice =
    overall.tone === 'ok'
      ? 'CareNotes itself is fine, so the problem is more likely your device or your account: see steps 5 and 7.'
      : 'You cannot fix this from your device. Wait until it is fixed; you can subscribe to alerts on the status page.';
  return { tone: overall.tone, headline: overall.text, affected, incidents: postedMessages(summary, format), advice };
}

export type VendorWebsiteCheck = { tone: Tone; answering: string; messages: PostedMessage[]; noMessages: string | null };

/** Whether a maintenance window that closes sign-in is in progress; false when the status is unknown (null). */
export function isSignInClosedForMaintenance(summary: StatusSummary | null): boolean {
  return summary?.maintenance.active?.blocksSignIn === true;
}

/**
 * Step 3: does the portal itself answer, and has the vendor posted a message about an outage?
 * `summary` is null when the status could not be loaded; the health answer still says whether
 * the portal is up.
 */
export function describeVendorWebsite(health: HealthResult, summary: StatusSummary | null, format: TimeFormat): VendorWebsiteCheck {
  const answering: Record<HealthResult, { tone: Tone; text: string }> = {
    ok: { tone: 'ok', text: 'CareNotes is answering.' },
    degraded: { tone: 'warning', text: 'CareNotes is answering, but it reports a problem.' },
    unreachable: { tone: 'problem', text: 'CareNotes did not answer just now. See step 2 for what to try.' },
    unexpected: { tone: 'problem', text: 'Something other than CareNotes answered. See step 2 for what to try.' },
  };
  const messages = summary ? postedMessages(summary, format) : [];
  // Answering, but with sign-in closed for maintenance: not "Good" (review r52d F3).
  const signInClosed = health === 'ok' && isSignInClosedForMaintenance(summary);
  const tone = (messages.length > 0 || signInClosed) && answering[health].tone === 'ok' ? 'warning' : answering[health].tone;
  return {
    tone,
    answering: signInClosed ? 'CareNotes is answering, but sign-in is closed for planned maintenance: step 6 says until when.' : answering[health].text,
    messages,
    noMessages: summary ? (messages.length === 0 ? 'CareNotes has not posted any outage message.' : null) : STATUS_UNAVAILABLE,
  };
}

export type DowntimeNotice = {
  kind: 'active' | 'next';
  title: string;
  description: string | null;
  /** One sentence each: when, how long, and what it means for signing in. */
  lines: string[];
};

/** Step 6: the maintenance window in progress, or else the next one; null when none is planned. */
export function describeDowntime(summary: StatusSummary, now: Date, format: TimeFormat): DowntimeNotice | null {
  const window: MaintenanceSummary | null = summary.maintenance.active ?? summary.maintenance.next;
  if (!window) return null;
  const startsAt = new Date(window.startsAt);
  const endsAt = new Date(window.endsAt);
  const active = window === summary.maintenance.active;
  const lines: string[] = [];
  if (active) {
    lines.push(`Started ${format(startsAt)}.`);
    lines.push(
      endsAt > now
        ? `Expected to end ${format(endsAt)}, in about ${formatDuration(endsAt.getTime() - now.getTime())}.`
        : `It was expected to end ${format(endsAt)} and is taking longer than planned.`,
    );
    lines.push(window.blocksSignIn ? 'You cannot sign in until it ends.' : 'You can still sign in, but some parts may not work.');
  } else {
    lines.push(`From ${format(startsAt)} to ${format(endsAt)} (${formatDuration(endsAt.getTime() - startsAt.getTime())}).`);
    lines.push(window.blocksSignIn ? 'You will not be able to sign in during that time.' : 'You will still be able to sign in.');
  }
  return { kind: active ? 'active' : 'next', title: window.title, description: window.description, lines };
}

const COMPONENT_STATUSES = Object.keys(OVERALL);

function isMaintenance(value: unknown): value is MaintenanceSummary {
  const m = value as MaintenanceSummary;
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof m.title === 'string' &&
    !Number.isNaN(Date.parse(m.startsAt)) &&
    !Number.isNaN(Date.parse(m.endsAt)) &&
    typeof m.blocksSignIn === 'boolean'
  );
}

/**
 * The browser trusts nothing it fetched: anything not shaped like a StatusSummary (an HTML error
 * page, a proxy's answer, an older endpoint) is treated as "could not load".
 */
export function parseStatusSummary(value: unknown): StatusSummary | null {
  const s = value as StatusSummary;
  if (typeof s !== 'object' || s === null || !COMPONENT_STATUSES.includes(s.overall)) return null;
  if (!Array.isArray(s.components) || !Array.isArray(s.activeIncidents)) return null;
  if (!s.components.every((c) => typeof c?.name === 'string' && COMPONENT_STATUSES.includes(c.status))) return null;
  if (!s.activeIncidents.every((i) => typeof i?.title === 'string' && !Number.isNaN(Date.parse(i.startedAt)))) return null;
  const m = s.maintenance;
  if (typeof m !== 'object' || m === null) return null;
  const active = m.active ?? null;
  const next = m.next ?? null;
  if ((active !== null && !isMaintenance(active)) || (next !== null && !isMaintenance(next))) return null;
  return { ...s, maintenance: { active, next } };
}
