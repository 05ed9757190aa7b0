// Specs make their own users through the same factories as the seed and the tests.
import './env';
import { db } from '@/lib/db/client';
import { createAgency, createUser } from '@/prisma/factories';

export const TEST_PASSWORD = 'velvet thunder garden kettle';

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
