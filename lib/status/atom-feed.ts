import { db, type Db } from '@/lib/db/client';
import { absoluteUrl } from '@/lib/mail/render';
import { COMPONENT_STATUS_LABEL, INCIDENT_STATUS_LABEL, formatUtc } from '@/lib/status/severity';

export const FEED_ENTRIES = 50;

export type FeedEntry = { key: string; title: string; published: Date; updated: Date; text: string; anchor: string };

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
export async function listFeedEntries(database: Db = db()): Promise<FeedEntry[]> {
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
      anchor: `incident-${incident.id}`,
      title: `${incident.resolvedAt ? 'Resolved' : INCIDENT_STATUS_LABEL[incident.status]}: ${incident.title}`,
      published: incident.startedAt,
      updated: incident.updates[0]?.createdAt ?? incident.startedAt,
      text: [
        `Impact: ${COMPONENT_STATUS_LABEL[incident.impact]}. Affects: ${incident.components.map((c) => c.component.name).join(', ')}.`,
        ...incident.updates.map((u) => `${formatUtc(u.createdAt)} · ${INCIDENT_STATUS_LABEL[u.status]}: ${u.message}`),
      ].join('\n\n'),
    })),
    ...windows.map((window) => {
      const state = window.cancelledAt ? 'Cancelled' : window.endedAt ? 'Completed' : 'Planned maintenance';
      return {
        key: `maintenance/${window.id}`,
        anchor: `maintenance-${window.id}`,
        title: `${state}: ${window.title}`,
        published: window.createdAt,
        updated: window.updatedAt,
        text: [
          `From ${formatUtc(window.startsAt)} to ${formatUtc(window.endsAt)}.`,
          ...(window.description ? [window.description] : []),
          window.blocksSignIn ? 'Sign-in is not possible during this time.' : 'Sign-in works during this time.',
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
    <link rel="alternate" type="text/html" href="${xml(`${statusUrl}#${entry.anchor}`)}"/>
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
