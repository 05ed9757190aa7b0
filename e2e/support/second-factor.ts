// Second factors for e2e sign-ins: accounts that must have one get an app secret the test
// knows (as the demo accounts do), and the helpers type the code an app would show.
import type { Page } from '@playwright/test';
import './env';
import { db } from '@/lib/db/client';
import { mustHaveSecondFactor } from '@/lib/mfa/policy';
import { normalizeKey } from '@/lib/validation/identifiers';
import { addTotpFactor } from '@/prisma/factories';

export type FactorOwner = { userId: string } | { vendorAccountId: string };

/** The security page's "Add an authenticator app" form (the passkey form beside it asks for a password too). */
export function addAppForm(page: Page) {
  return page.locator('form', { has: page.getByRole('button', { name: 'Add an authenticator app' }) });
}

export async function agencyOwner(creds: { providerCode: string; loginName: string }) {
  const agency = await db().agency.findUnique({ where: { codeKey: normalizeKey(creds.providerCode) } });
  const user = agency
    ? await db().user.findUnique({ where: { agencyId_loginKey: { agencyId: agency.id, loginKey: normalizeKey(creds.loginName) } } })
    : null;
  if (!agency || !user) return null;
  return { owner: { userId: user.id }, required: mustHaveSecondFactor({ kind: 'agency', role: user.role, ...agency }) };
}

export async function vendorOwner(creds: { email: string }) {
  const account = await db().vendorAccount.findUnique({ where: { emailKey: normalizeKey(creds.email) } });
  return account ? { owner: { vendorAccountId: account.id }, required: true } : null;
}

export async function hasConfirmedFactor(owner: FactorOwner): Promise<boolean> {
  return (await db().mfaFactor.count({ where: { ...owner, confirmedAt: { not: null } } })) > 0;
}

/** Gives an account that must have a second factor an app factor, unless it has one. */
export async function ensureTotpFactor(owner: FactorOwner): Promise<void> {
  if (!(await hasConfirmedFactor(owner))) await addTotpFactor(db(), owner);
}

export { nextTotpCode } from '@/test/support/next-totp-code';
