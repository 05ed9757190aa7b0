import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { getStatusVersion } from '@/lib/status/get-status-version';
import { clearStatusData, confirmedSubscribers, newComponent } from './status-support';

beforeEach(clearStatusData);
afterAll(clearStatusData);

/** The version moves after `write`, whoever writes: server.mjs renders /status again when it does. */
async function expectBump(write: () => Promise<unknown>) {
  const before = await getStatusVersion(db());
  await write();
  expect(await getStatusVersion(db())).toBeGreaterThan(before);
}

describe('the status version row', () => {
  it('[ANY WRITER] moves on every insert, update and delete of every table /status is drawn from', async () => {
    const component = await newComponent('API');
    const other = await newComponent('Docs');
    await expectBump(() => db().statusComponent.update({ where: { id: component.id }, data: { status: 'MAJOR_OUTAGE' } }));
    let incidentId = '';
    await expectBump(async () => {
      incidentId = (await db().incident.create({ data: { title: 'Down', impact: 'MAJOR_OUTAGE' } })).id;
    });
    await expectBump(() => db().incidentComponent.create({ data: { incidentId, componentId: component.id } }));
    await expectBump(() => db().incidentUpdate.create({ data: { incidentId, status: 'INVESTIGATING', message: 'Looking.' } }));
    await expectBump(() => db().incidentUpdate.updateMany({ where: { incidentId }, data: { message: 'Still looking.' } }));
    await expectBump(() => db().incident.updateMany({ where: { id: incidentId }, data: { resolvedAt: new Date(), status: 'RESOLVED' } }));
    let windowId = '';
    await expectBump(async () => {
      windowId = (await db().maintenanceWindow.create({ data: { title: 'Upgrade', startsAt: new Date(), endsAt: new Date(Date.now() + 3_600_000) } })).id;
    });
    await expectBump(() => db().maintenanceComponent.create({ data: { maintenanceId: windowId, componentId: other.id } }));
    await expectBump(() => db().maintenanceComponent.deleteMany({ where: { maintenanceId: windowId } }));
    await expectBump(() => db().maintenanceWindow.update({ where: { id: windowId }, data: { cancelledAt: new Date() } }));
    await expectBump(() => db().incidentComponent.deleteMany({ where: { incidentId } }));
    await expectBump(() => db().incidentUpdate.deleteMany({ where: { incidentId } }));
    await expectBump(() => db().incident.delete({ where: { id: incidentId } }));
    await expectBump(() => db().maintenanceWindow.delete({ where: { id: windowId } }));
    await expectBump(() => db().statusComponent.delete({ where: { id: other.id } }));
  });

  it('[ANONYMOUS] a subscription, which /status does not show, leaves it where it was', async () => {
    const before = await getStatusVersion(db());
    await confirmedSubscribers(3);
    expect(await getStatusVersion(db())).toBe(before);
  });

  it('[ANY WRITER] parallel changes each count: none is lost to a race on the one row', async () => {
    const components = await Promise.all(Array.from({ length: 8 }, (_, i) => newComponent(`C${i}`)));
    const before = await getStatusVersion(db());
    await Promise.all(components.map((c) => db().statusComponent.update({ where: { id: c.id }, data: { status: 'DEGRADED_PERFORMANCE' } })));
    expect(await getStatusVersion(db())).toBe(before + 8);
  });
});
