// Specs make their own users through the same factories as the seed and the tests.
import './env';
import { db } from '@/lib/db/client';
import { createAgency, createUser } from '@/prisma/factories';

export const TEST_PASSWORD = 'velvet thunder garden kettle';

/** An open incident on one component (by slug), with its first update, written straight to the database. */
export async function openIncidentInDatabase(title: string, componentSlug: string, message: string) {
  const component = await db().statusComponent.findUniqueOrThrow({ where: { slug: componentSlug } });
  return db().incident.create({
    data: {
      title,
      impact: 'DEGRADED_PERFORMANCE',
      components: { create: [{ componentId: component.id }] },
      updates: { create: [{ status: 'INVESTIGATING', message }] },
    },
  });
}

export async function newStaffMember(options: { temporaryPassword?: string; temporaryExpiresAt?: Date; email?: string } = {}) {
  const agency = await createAgency(db());
  const password = options.temporaryPassword ?? TEST_PASSWORD;
  const user = await createUser(
    db(),
    agency.id,
    password,
    { displayName: 'Casey Morgan', email: options.email ?? null },
    options.temporaryPassword ? { expiresAt: options.temporaryExpiresAt ?? new Date(Date.now() + 3600_000) } : undefined,
  );
  return { agency, user, creds: { providerCode: agency.code, loginName: user.loginName, password } };
}

export { db };

/** A staff member of a demo agency (created fresh, so specs do not disturb each other). */
export async function newMemberOfDemoAgency(codeKey: 'acme-ny' | 'solo-tx', options: { email?: string; loginName?: string } = {}) {
  const agency = await db().agency.findUniqueOrThrow({ where: { codeKey } });
  const user = await createUser(db(), agency.id, TEST_PASSWORD, {
    displayName: `Robin Example ${Math.random().toString(36).slice(2, 6)}`,
    email: options.email ?? null,
    ...(options.loginName ? { loginName: options.loginName } : {}),
  });
  return { agency, user, creds: { providerCode: agency.code, loginName: user.loginName, password: TEST_PASSWORD } };
}
