import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { db } from '@/lib/db/client';
import { openIncident, openIncidentSchema } from '@/lib/status/open-incident';
import { postIncidentUpdate, postIncidentUpdateSchema } from '@/lib/status/post-incident-update';
import { scheduleMaintenance, scheduleMaintenanceSchema } from '@/lib/maintenance/schedule-maintenance';
import { listFeedEntries } from '@/lib/status/atom-feed';
import { childrenNamed, parseStrictXml } from '@/test/support/strict-xml';
import { IP, clearStatusData, newComponent, newOperator } from './status-support';

const HOUR = 3_600_000;
const utcInput = (date: Date) => date.toISOString().slice(0, 16);

// Everything XML treats as markup, plus text that looks like an escape, a CDATA end and a surrogate pair.
const MARKUP = `]]> <![CDATA[ <script>alert(1)</script> &amp; &#0; &#x1; <!-- "quoted" 'single' --> ✓ 😀`;

async function readFeed(): Promise<string> {
  const { GET } = await import('@/app/(public)/status/feed.atom/route');
  const response = await GET(new Request('http://localhost/status/feed.atom'));
  expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
  return new TextDecoder('utf-8', { fatal: true }).decode(await response.arrayBuffer());
}

beforeEach(clearStatusData);
afterAll(clearStatusData);

describe('hostile operator text', () => {
  it('[OPERATOR] cannot put a control character in a title, an update or a maintenance note; each field says why', async () => {
    const signIn = await newComponent('Sign-in');
    const incident = openIncidentSchema.safeParse({
      title: 'Sign-in\u0007 failing',
      impact: 'MAJOR_OUTAGE',
      status: 'INVESTIGATING',
      message: 'Nobody\u001b[2J can sign in.',
      [`component-${signIn.id}`]: 'on',
    });
    expect(z.flattenError(incident.error!).fieldErrors).toEqual({
      title: ['Title contains a control or hidden character. Type it in rather than pasting it'],
      message: ['Message contains a control or hidden character. Type it in rather than pasting it'],
    });
    const update = postIncidentUpdateSchema.safeParse({ incidentId: 'x', status: 'MONITORING', message: 'Fixed\u0085 soon' });
    expect(z.flattenError(update.error!).fieldErrors).toHaveProperty('message');
    const startsAt = new Date(Date.now() + 24 * HOUR);
    const maintenance = scheduleMaintenanceSchema.safeParse({
      title: 'Upgrade\u202Egnp.exe',
      description: 'Line one\u000bline two',
      startsAt: utcInput(startsAt),
      endsAt: utcInput(new Date(startsAt.getTime() + HOUR)),
      'component-c1': 'on',
    });
    expect(Object.keys(z.flattenError(maintenance.error!).fieldErrors).sort()).toEqual(['description', 'title']);
  });

  it('[ANONYMOUS] reads a well-formed Atom feed after any text an operator may write, and after rows no form would accept', async () => {
    const operator = await newOperator();
    const signIn = await newComponent('Sign-in');
    const opened = openIncidentSchema.parse({
      title: MARKUP,
      impact: 'MAJOR_OUTAGE',
      status: 'INVESTIGATING',
      message: `First line\r\n\tindented ${MARKUP}`,
      [`component-${signIn.id}`]: 'on',
    });
    expect((await openIncident(operator, opened, IP)).ok).toBe(true);
    const incident = await db().incident.findFirstOrThrow();
    const update = postIncidentUpdateSchema.parse({ incidentId: incident.id, status: 'MONITORING', message: `${MARKUP}\n]]>` });
    expect((await postIncidentUpdate(operator, update, IP)).ok).toBe(true);
    const startsAt = new Date(Math.ceil((Date.now() + 24 * HOUR) / 60_000) * 60_000);
    const scheduled = scheduleMaintenanceSchema.parse({
      title: `Upgrade ${MARKUP}`,
      description: `Step 1\r\nStep 2 ${MARKUP}`,
      startsAt: utcInput(startsAt),
      endsAt: utcInput(new Date(startsAt.getTime() + HOUR)),
      [`component-${signIn.id}`]: 'on',
    });
    expect((await scheduleMaintenance(operator, scheduled, IP)).ok).toBe(true);
    // Written straight to the database, as an older release or a script might have done:
    // characters XML 1.0 cannot carry at all (PostgreSQL refuses U+0000 itself).
    await db().incident.create({ data: { title: 'Legacy \u0001\u0008\u000b\u001f\ufffe\uffff row', impact: 'DEGRADED_PERFORMANCE' } });

    const root = parseStrictXml(await readFeed());
    const entries = childrenNamed(root, 'entry');
    const titles = entries.map((entry) => childrenNamed(entry, 'title')[0]!.text);
    expect(titles).toEqual(expect.arrayContaining([`Monitoring: ${MARKUP}`, `Planned maintenance: Upgrade ${MARKUP}`]));
    expect(titles.find((t) => t.includes('Legacy'))).toBe('Investigating: Legacy \uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD row');
    const content = entries.map((entry) => childrenNamed(entry, 'content')[0]!.text).join('\n');
    expect(content).toContain(`Investigating: First line\n\tindented ${MARKUP}`);
    expect(content).toContain(`Step 1\nStep 2 ${MARKUP}`);
  });
});

describe('maintenance windows in the feed', () => {
  it('[ANONYMOUS] says where each window stands now: in progress, ended early (until when), completed, cancelled; links only to what the page shows (review r41f F3)', async () => {
    const now = Date.now();
    const at = (offset: number) => new Date(now + offset);
    const window = (title: string, data: object) => db().maintenanceWindow.create({ data: { title, blocksSignIn: true, ...data } as never });
    // Last written before the clock started or ended them.
    const running = await window('Running', { startsAt: at(-HOUR), endsAt: at(HOUR), updatedAt: at(-2 * HOUR) });
    await window('Ended early', { startsAt: at(-3 * HOUR), endsAt: at(20 * 24 * HOUR), endedAt: at(-2 * HOUR) });
    await window('On time', { startsAt: at(-5 * HOUR), endsAt: at(-4 * HOUR), updatedAt: at(-6 * HOUR) });
    await window('Called off', { startsAt: at(2 * HOUR), endsAt: at(3 * HOUR), cancelledAt: at(-HOUR) });
    const planned = await window('Later', { startsAt: at(2 * HOUR), endsAt: at(3 * HOUR) });

    const entries = new Map((await listFeedEntries(db(), new Date(now))).map((entry) => [entry.title, entry]));
    expect([...entries.keys()].sort()).toEqual(['Cancelled: Called off', 'Completed: Ended early', 'Completed: On time', 'Maintenance in progress: Running', 'Planned maintenance: Later']);
    const { formatUtc } = await import('@/lib/status/severity');
    expect(entries.get('Completed: Ended early')!.text).toContain(`From ${formatUtc(at(-3 * HOUR))} to ${formatUtc(at(-2 * HOUR))}.\n\nSign-in was not possible during this time.`);
    expect(entries.get('Cancelled: Called off')!.text).toMatch(/^Was planned from .* it did not take place\./);
    expect(entries.get('Cancelled: Called off')!.text).not.toContain('Sign-in');
    expect(entries.get('Maintenance in progress: Running')!.text).toContain('Sign-in is not possible during this time.');
    // A reader sees each entry changed when the clock changed it (review r41j F5).
    expect(entries.get('Maintenance in progress: Running')!.updated).toEqual(at(-HOUR));
    expect(entries.get('Completed: On time')!.updated).toEqual(at(-4 * HOUR));
    expect(Object.fromEntries([...entries].map(([title, entry]) => [title, entry.anchor]))).toEqual({
      'Maintenance in progress: Running': `maintenance-${running.id}`,
      'Planned maintenance: Later': `maintenance-${planned.id}`,
      'Completed: Ended early': undefined,
      'Completed: On time': undefined,
      'Cancelled: Called off': undefined,
    });
    const links = childrenNamed(parseStrictXml(await readFeed()), 'entry').map((entry) => childrenNamed(entry, 'link')[0]!.attributes.href);
    expect(links.filter((href) => href!.endsWith('/status'))).toHaveLength(3);
    // What the feed says changes with the clock at the running window's end (before the planned one's start):
    // server.mjs keeps its copy only until then (review r41h I1).
    const { GET } = await import('@/app/(public)/status/feed.atom/route');
    const response = await GET(new Request('http://localhost/status/feed.atom'));
    expect(response.headers.get('x-portal-copy-until')).toBe(running.endsAt.toISOString());
  });
});
