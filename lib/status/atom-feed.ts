import { db, type Db } from '@/lib/db/client';
import { absoluteUrl } from '@/lib/mail/render';
import { actualInterval, windowState, type WindowState } from '@/lib/maintenance/maintenance-window';
import { isDrawnOnStatusPage } from '@/lib/status/get-status-overview';
import { COMPONENT_STATUS_LABEL, INCIDENT_STATUS_LABEL, formatUtc } from '@/lib/status/severity';

export const FEED_ENTRIES = 50;

/**
 * `anchor`: where the status page draws it, when it does (an open or recent incident, a window not over).
 * `changesAt`: when the clock alone changes what it says (a window starting or ending).
 */
export type FeedEntry = { key: string; title: string; published: Date; updated: Date; text: string; anchor?: string; changesAt?: Date };

/** The first moment the clock alone changes the feed, for the copy server.mjs keeps (COPY_UNTIL_HEADER). */
export function feedChangesAt(entries: FeedEntry[]): Date | null {
  const moments = entries.flatMap((entry) => (entry.changesAt ? [entry.changesAt.getTime()] : []));
  return moments.length > 0 ? new Date(Math.min(...moments)) : null;
}

const WINDOW_STATE_LABEL: Record<WindowState, string> = {
  planned: 'Planned maintenance',
  'in-progress': 'Maintenance in progress',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

// Everything outside XML 1.0's Char production (most C0 controls, lone surrogates, U+FFFE/U+FFFF)
// makes the whole feed unreadable to a strict parser. Operator input refuses them, but rows written
// before that rule or by other paths may hold them: they become U+FFFD here, whatever the source.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function xml(value: string): string {
  return value
    .replace(NOT_XML_CHAR, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Incidents (with their timeline) and maintenance windows, newest change first. */
export async function listFeedEntries(database: Db = db(), now = new Date()): Promise<FeedEntry[]> {
  const names = { select: { component: { select: { name: true } } } };
  const [incidents, windows] = await Promise.all([
    database.incident.findMany({
      orderBy: { startedAt: 'desc' },
      take: FEED_ENTRIES,
      include: { components: names, updates: { orderBy: { createdAt: 'desc' } } },
    }),
    database.maintenanceWindow.findMany({ orderBy: { startsAt: 'desc' }, take: FEED_ENTRIES, include: { components: names } }),
  ]);
  const entries: FeedEntry[] = [
    ...incidents.map((incident) => ({
      key: `incident/${incident.id}`,
      anchor: isDrawnOnStatusPage(incident, now) ? `incident-${incident.id}` : undefined,
      title: `${incident.resolvedAt ? 'Resolved' : INCIDENT_STATUS_LABEL[incident.status]}: ${incident.title}`,
      published: incident.startedAt,
      updated: incident.updates[0]?.createdAt ?? incident.startedAt,
      text: [
        `Impact: ${COMPONENT_STATUS_LABEL[incident.impact]}. Affects: ${incident.components.map((c) => c.component.name).join(', ')}.`,
        ...incident.updates.map((u) => `${formatUtc(u.createdAt)} · ${INCIDENT_STATUS_LABEL[u.status]}: ${u.message}`),
      ].join('\n\n'),
    })),
    ...windows.map((window) => {
      // What the window is at this moment: one the clock started is in progress, one ended early ran until
      // then, not until its planned end (review r41f F3).
      const state = windowState(window, now);
      const over = state === 'completed' || state === 'cancelled';
      const ran = state === 'completed' ? actualInterval(window, now) : null;
      const when =
        state === 'cancelled'
          ? `Was planned from ${formatUtc(window.startsAt)} to ${formatUtc(window.endsAt)}; it did not take place.`
          : ran
            ? `From ${formatUtc(ran.start)} to ${formatUtc(ran.end)}.`
            : `From ${formatUtc(window.startsAt)} to ${formatUtc(window.endsAt)}.`;
      const signIn = window.blocksSignIn ? (over ? 'Sign-in was not possible during this time.' : 'Sign-in is not possible during this time.') : over ? 'Sign-in worked during this time.' : 'Sign-in works during this time.';
      return {
        key: `maintenance/${window.id}`,
        anchor: over ? undefined : `maintenance-${window.id}`,
        changesAt: state === 'planned' ? window.startsAt : state === 'in-progress' ? window.endsAt : undefined,
        title: `${WINDOW_STATE_LABEL[state]}: ${window.title}`,
        published: window.createdAt,
        // Started or ended by the clock, with no write: the entry changed then all the same (review r41j F5).
        updated: new Date(Math.max(window.updatedAt.getTime(), state === 'in-progress' ? window.startsAt.getTime() : (ran?.end.getTime() ?? 0))),
        text: [
          when,
          ...(window.description ? [window.description] : []),
          ...(state === 'cancelled' ? [] : [signIn]),
          `Affects: ${window.components.map((c) => c.component.name).join(', ')}.`,
        ].join('\n\n'),
      };
    }),
  ];
  return entries.sort((a, b) => b.updated.getTime() - a.updated.getTime()).slice(0, FEED_ENTRIES);
}

/** An Atom 1.0 document (RFC 4287); ids are tag: URIs that do not change when an entry does. */
export function renderAtomFeed(entries: FeedEntry[], now = new Date()): string {
  const statusUrl = absoluteUrl('/status');
  const host = new URL(statusUrl).hostname;
  const updated = (entries[0]?.updated ?? now).toISOString();
  const body = entries.map(
    (entry) => `  <entry>
    <id>tag:${xml(host)},2026:status/${xml(entry.key)}</id>
    <title type="text">${xml(entry.title)}</title>
    <published>${entry.published.toISOString()}</published>
    <updated>${entry.updated.toISOString()}</updated>
    <link rel="alternate" type="text/html" href="${xml(entry.anchor ? `${statusUrl}#${entry.anchor}` : statusUrl)}"/>
    <content type="text">${xml(entry.text)}</content>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>tag:${xml(host)},2026:status</id>
  <title type="text">CareNotes status</title>
  <subtitle type="text">Incidents and planned maintenance</subtitle>
  <updated>${updated}</updated>
  <author><name>CareNotes</name></author>
  <link rel="self" type="application/atom+xml" href="${xml(absoluteUrl('/status/feed.atom'))}"/>
  <link rel="alternate" type="text/html" href="${xml(statusUrl)}"/>
${body.join('\n')}
</feed>
`;
}
