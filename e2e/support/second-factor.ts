// Second factors for e2e sign-ins: accounts that must have one get an app secret the test
// knows (as the demo accounts do), and the helpers type the code an app would show.
import type { Page } from '@playwright/test';
import './env';
import { db } from '@/lib/db/client';
import { mustHaveSecondFactor } from '@/lib/mfa/policy';
import { unsealFactorSecret } from '@/lib/mfa/secret-box';
import { TOTP_PERIOD_S, totpCodeFor, totpStep } from '@/lib/mfa/totp';
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

/**
 * The code an app shows for the first time step the account has not used yet. A code is
 * accepted once, so when this step's code was used (an earlier sign-in within 30 s), the next
 * step's is computed; the server accepts one step ahead. Past that, wait for the clock.
 */
export async function nextTotpCode(owner: FactorOwner): Promise<string> {
  const factor = await db().mfaFactor.findFirstOrThrow({ where: { ...owner, kind: 'TOTP', confirmedAt: { not: null } }, orderBy: { createdAt: 'asc' } });
  const now = totpStep(new Date());
  const step = Math.max(now, (factor.lastUsedStep ?? -1) + 1);
  const waitMs = (step - 1) * TOTP_PERIOD_S * 1000 - Date.now();
  if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs + 50));
  return totpCodeFor(unsealFactorSecret(factor.secret!), step);
}
