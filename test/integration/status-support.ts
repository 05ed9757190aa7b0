// Shared by the status integration tests: an operator actor and a clean slate of status data.
import type { VendorActor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { createVendorAccount, uniqueSuffix } from '@/prisma/factories';

export async function newOperator(role: 'OPERATOR' | 'VERIFIER' = 'OPERATOR'): Promise<VendorActor> {
  const account = await createVendorAccount(db(), role, 'not used in these tests at all');
  // A real session: every operator change checks, in its transaction, that it is still open.
  const session = await db().authSession.create({ data: { vendorAccountId: account.id, sessionVersion: account.sessionVersion }, select: { id: true } });
  return { kind: 'vendor', sessionId: session.id, vendorAccountId: account.id, role, email: account.email, displayName: account.displayName, secondFactorPending: false, mustEnrolSecondFactor: false };
}

/** Status data is global (not per agency): each test starts from none. */
export async function clearStatusData() {
  await db().outboxMessage.deleteMany({ where: { template: { startsWith: 'status-' } } });
  await db().statusAlertFanOut.deleteMany();
  await db().statusSubscriber.deleteMany();
  await db().incident.deleteMany();
  await db().maintenanceWindow.deleteMany();
  await db().statusComponent.deleteMany();
}

export async function newComponent(name: string, slug = `${name.toLowerCase().replace(/\W+/g, '-')}-${uniqueSuffix()}`) {
  return db().statusComponent.create({ data: { name, slug, createdAt: new Date(Date.now() - 200 * 86_400_000) } });
}

export async function confirmedSubscribers(count: number, prefix = 'sub') {
  const now = new Date();
  const rows = Array.from({ length: count }, (_, i) => {
    const email = `${prefix}.${i}.${uniqueSuffix()}@example.com`;
    return { email, emailKey: email, confirmedAt: now };
  });
  await db().statusSubscriber.createMany({ data: rows });
  return rows.map((r) => r.email);
}

export const IP = '203.0.113.7';
