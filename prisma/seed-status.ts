// Status components for the demo and the e2e database, with a little resolved history so that
// the 90-day uptime bars show what they are for. Runs only when there is no component yet.
import type { Db } from '@/lib/db/client';

export const STATUS_COMPONENTS = [
  { slug: 'sign-in', name: 'Sign-in', description: 'Signing in to CareNotes with a provider code, login name and password.' },
  { slug: 'documentation', name: 'Documentation', description: 'Writing and reading case notes in the web app.' },
  { slug: 'mobile-app', name: 'Mobile app', description: 'The CareNotes app for phones and tablets.' },
  { slug: 'api', name: 'API', description: 'Connections from other systems.' },
  { slug: 'notifications', name: 'E-mail notifications', description: 'Mail sent by CareNotes, including this portal.' },
] as const;

const DAY_MS = 86_400_000;

export async function seedStatusComponents(database: Db): Promise<void> {
  if ((await database.statusComponent.count()) > 0) return;
  const now = Date.now();
  const createdAt = new Date(now - 365 * DAY_MS);
  const ids: Record<string, string> = {};
  for (const [position, component] of STATUS_COMPONENTS.entries()) {
    const row = await database.statusComponent.create({ data: { ...component, position, createdAt }, select: { id: true } });
    ids[component.slug] = row.id;
  }

  const at = (daysAgo: number, hour: number, minute = 0) => new Date(Math.floor((now - daysAgo * DAY_MS) / DAY_MS) * DAY_MS + (hour * 60 + minute) * 60_000);
  const pastIncidents = [
    {
      title: 'API requests failing for some agencies',
      impact: 'PARTIAL_OUTAGE',
      component: 'api',
      updates: [
        { status: 'INVESTIGATING', message: 'Some API requests fail with an error. We are looking into it.', createdAt: at(12, 14, 5) },
        { status: 'RESOLVED', message: 'A faulty configuration change was rolled back. All requests succeed again.', createdAt: at(12, 14, 50) },
      ],
    },
    {
      title: 'Mobile app slow to load case notes',
      impact: 'DEGRADED_PERFORMANCE',
      component: 'mobile-app',
      updates: [
        { status: 'IDENTIFIED', message: 'Case notes take up to a minute to load in the mobile app.', createdAt: at(41, 9, 30) },
        { status: 'RESOLVED', message: 'Loading times are back to normal.', createdAt: at(41, 11, 0) },
      ],
    },
  ] as const;
  for (const incident of pastIncidents) {
    await database.incident.create({
      data: {
        title: incident.title,
        impact: incident.impact,
        status: 'RESOLVED',
        startedAt: incident.updates[0].createdAt,
        resolvedAt: incident.updates[incident.updates.length - 1]!.createdAt,
        components: { create: [{ componentId: ids[incident.component]! }] },
        updates: { create: incident.updates.map((update) => ({ ...update })) },
      },
    });
  }
  await database.maintenanceWindow.create({
    data: {
      title: 'Database upgrade',
      description: 'A new database version for faster searches.',
      startsAt: at(30, 2),
      endsAt: at(30, 4),
      startedAt: at(30, 2),
      endedAt: at(30, 3, 40),
      blocksSignIn: true,
      components: { create: [{ componentId: ids['sign-in']! }, { componentId: ids.documentation! }, { componentId: ids['mobile-app']! }] },
    },
  });
}
