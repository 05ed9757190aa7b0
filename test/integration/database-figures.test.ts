// The database gauges of /metrics (lib/observability/read-database-figures.ts) on a real database:
// each figure moves with the rows it counts, and only with those.
import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { enqueueMail } from '@/lib/mail/outbox';
import { renderMail } from '@/lib/mail/render';
import { readDatabaseFigures } from '@/lib/observability/read-database-figures';
import { uniqueSuffix } from '@/prisma/factories';
import { agencyWithLoneSuperAdmin, fileRequest } from './super-admin-fixtures';

function queueOne() {
  const tag = uniqueSuffix();
  return db().$transaction((tx) =>
    enqueueMail(tx, { template: 'test-message', to: `figures.${tag}@example.test`, ...renderMail({ subject: `Figures ${tag}`, paragraphs: ['Hello'] }) }),
  );
}

describe('[OPERATOR] database gauges', () => {
  it('count pending and dead mail, and age the oldest pending message', async () => {
    const now = new Date();
    const before = await readDatabaseFigures(db(), now);
    const pending = await queueOne();
    const dead = await queueOne();
    await db().outboxMessage.update({ where: { id: dead }, data: { status: 'DEAD' } });
    await db().outboxMessage.update({ where: { id: pending }, data: { createdAt: new Date(now.getTime() - 3 * 3600_000) } });
    const after = await readDatabaseFigures(db(), now);
    expect(after.outboxPending - before.outboxPending).toBe(1);
    expect(after.outboxDead - before.outboxDead).toBe(1);
    expect(after.outboxOldestPendingAgeSeconds).toBeGreaterThanOrEqual(3 * 3600);
    // A sent message is no longer waiting, however old.
    await db().outboxMessage.update({ where: { id: pending }, data: { status: 'SENT' } });
    expect((await readDatabaseFigures(db(), now)).outboxPending).toBe(before.outboxPending);
  });

  it('count unfinished status-alert fan-outs only', async () => {
    const before = await readDatabaseFigures(db());
    const open = await db().statusAlertFanOut.create({ data: { content: '{}' } });
    await db().statusAlertFanOut.create({ data: { content: '{}', finishedAt: new Date() } });
    expect((await readDatabaseFigures(db())).alertFanOutsUnfinished - before.alertFanOutsUnfinished).toBe(1);
    await db().statusAlertFanOut.update({ where: { id: open.id }, data: { finishedAt: new Date() } });
    expect((await readDatabaseFigures(db())).alertFanOutsUnfinished).toBe(before.alertFanOutsUnfinished);
  });

  it('count requests waiting on verifiers and age the oldest', async () => {
    const now = new Date();
    const before = await readDatabaseFigures(db(), now);
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    const request = await fileRequest({ providerCode: agency.code, loginName: admin.loginName });
    const after = await readDatabaseFigures(db(), now);
    expect(after.verificationQueueDepth - before.verificationQueueDepth).toBe(1);
    await db().superAdminResetRequest.update({ where: { id: request.id }, data: { createdAt: new Date(now.getTime() - 5 * 86400_000) } });
    expect((await readDatabaseFigures(db(), now)).verificationQueueOldestAgeSeconds).toBeGreaterThanOrEqual(5 * 86400);
    // A closed request no longer waits.
    await db().superAdminResetRequest.update({ where: { id: request.id }, data: { state: 'REJECTED', openKey: null } });
    expect((await readDatabaseFigures(db(), now)).verificationQueueDepth).toBe(before.verificationQueueDepth);
  });
});
