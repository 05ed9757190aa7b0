// Builders shared by the demo seed and the tests, so both make data the way the app does.
import { randomBytes } from 'node:crypto';
import type { Db } from '@/lib/db/client';
import type { Role, VendorRole } from '@/lib/generated/sqlite/enums';
import { hashPassword } from '@/lib/password/hash';
import { sealFactorSecret } from '@/lib/mfa/secret-box';
import { hashSecretToken, newSecretToken } from '@/lib/password-reset/secret-token';
import { newTotpSecret } from '@/lib/mfa/totp';
import { normalizeKey } from '@/lib/validation/identifiers';
import { searchTermsOf } from '@/lib/admin/user-search-terms';

export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

export type AgencyOverrides = Partial<{
  code: string;
  name: string;
  phoneOnRecord: string;
  softLockThreshold: number;
  hardLockThreshold: number;
  minPasswordLength: number;
  passwordHistoryCount: number;
  signInAlertThreshold: number;
  timeZone: string;
}>;

export async function createAgency(database: Db, overrides: AgencyOverrides = {}) {
  const code = overrides.code ?? `T-${uniqueSuffix().toUpperCase()}`;
  return database.agency.create({
    data: {
      name: `Agency ${code}`,
      phoneOnRecord: '+1 555 0100',
      ...overrides,
      code,
      codeKey: normalizeKey(code),
    },
  });
}

export type UserOverrides = Partial<{
  loginName: string;
  displayName: string;
  email: string | null;
  phone: string | null;
  role: Role;
  status: 'ACTIVE' | 'DISABLED';
  lockedUntil: Date | null;
  hardLockedAt: Date | null;
  failedSignInCount: number;
}>;

export async function createUser(
  database: Db,
  agencyId: string,
  password: string,
  overrides: UserOverrides = {},
  temporary?: { expiresAt: Date },
) {
  const loginName = overrides.loginName ?? `user.${uniqueSuffix()}`;
  const passwordHash = await hashPassword(password);
  const displayName = overrides.displayName ?? `Test ${loginName}`;
  const nameKey = normalizeKey(displayName);
  const loginKey = normalizeKey(loginName);
  return database.user.create({
    data: {
      agencyId,
      ...overrides,
      displayName,
      nameKey,
      loginName,
      loginKey,
      // Nested, so the user and its search terms are one write.
      searchTerms: { create: searchTermsOf(nameKey, loginKey).map((term) => ({ agencyId, term, nameKey })) },
      passwordHash,
      ...(temporary
        ? {
            mustChangePassword: true,
            temporaryPasswordIssuedAt: new Date(),
            temporaryPasswordExpiresAt: temporary.expiresAt,
          }
        : { passwordHistory: { create: { passwordHash } } }),
    },
  });
}

export async function createVendorAccount(
  database: Db,
  role: VendorRole,
  password: string,
  overrides: Partial<{ email: string; displayName: string; active: boolean }> = {},
) {
  const email = overrides.email ?? `${role.toLowerCase()}.${uniqueSuffix()}@vendor.test`;
  return database.vendorAccount.create({
    data: {
      displayName: `Vendor ${email}`,
      ...overrides,
      email,
      emailKey: normalizeKey(email),
      role,
      passwordHash: await hashPassword(password),
    },
  });
}

/** A confirmed authenticator-app factor with a known secret (tests and the demo compute its codes). */
export async function addTotpFactor(database: Db, owner: { userId: string } | { vendorAccountId: string }, secret = newTotpSecret(), name = 'Authenticator app') {
  await database.mfaFactor.create({
    data: { ...owner, kind: 'TOTP', name, secret: sealFactorSecret(secret), confirmedAt: new Date() },
  });
  return secret;
}

/** An open super-admin request for an account, written straight to the table (no form, no mail), with its "this wasn't me" token. */
export async function createSuperAdminRequest(database: Db, agency: { id: string; code: string }, user: { id: string; loginName: string }) {
  const cancelToken = newSecretToken();
  const request = await database.superAdminResetRequest.create({
    data: {
      reference: `T${uniqueSuffix()}`.slice(0, 20),
      providerCode: agency.code,
      loginName: user.loginName,
      fullName: 'Casey Morgan',
      jobTitle: 'Director',
      workEmail: 'casey@elsewhere.example',
      workPhone: '+1 555 0100',
      reason: 'Locked out.',
      agencyId: agency.id,
      userId: user.id,
      cancelTokenHash: hashSecretToken(cancelToken),
      expiresAt: new Date(Date.now() + 7 * 86_400_000),
    },
  });
  return { request, cancelToken };
}
