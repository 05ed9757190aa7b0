// Helpers for the super-admin and vendor-queue specs (not a spec itself).
import { createHash } from 'node:crypto';
import { expect, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { DEMO_PASSWORD } from '@/prisma/seed';
import { db } from './support/data';
import { unsealFactorSecret } from '@/lib/mfa/secret-box';
import { signInAsVendor } from './support/test';

export type RequestForm = {
  providerCode: string;
  loginName: string;
  fullName?: string;
  jobTitle?: string;
  workEmail?: string;
  workPhone?: string;
  reason?: string;
};

/**
 * The suite files many requests from one address (127.0.0.1) for the same few accounts: each
 * journey starts under the form's limits, which have integration tests of their own.
 */
export async function clearSuperAdminRequestLimits(): Promise<void> {
  await db().rateLimitBucket.deleteMany({ where: { key: { startsWith: 'sa-request-' } } });
}

/** Files /super-admin-reset as a requester would and returns the reference shown. */
export async function fileSuperAdminRequest(page: Page, form: RequestForm): Promise<string> {
  await clearSuperAdminRequestLimits();
  await page.goto('/super-admin-reset');
  await page.getByLabel('Provider code').fill(form.providerCode);
  await page.getByLabel('Login name').fill(form.loginName);
  await page.getByLabel('Full name').fill(form.fullName ?? 'Olga Owens');
  await page.getByLabel('Job title').fill(form.jobTitle ?? 'Owner and director');
  await page.getByLabel('Work e-mail address').fill(form.workEmail ?? 'someone@elsewhere.example');
  await page.getByLabel('Work phone number').fill(form.workPhone ?? '+1 737 555 0199');
  await page.getByLabel('Why can no other administrator reset your password?').fill(form.reason ?? 'I am our only administrator and I am locked out.');
  await page.getByLabel(/I am the administrator named above/).check();
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page).toHaveURL(/\/super-admin-reset\/submitted\?done=submitted-/);
  return (await page.getByTestId('reference').innerText()).trim();
}

/** A browser context of its own for one vendor account, signed in, with console errors collected. */
export async function vendorSession(browser: Browser, email: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  // Every response this vendor's browser receives, to be searched for secrets afterwards.
  const bodies: Promise<string>[] = [];
  page.on('response', (response) => {
    bodies.push(response.text().catch(() => ''));
  });
  await signInAsVendor(page, { email, password: DEMO_PASSWORD });
  await expect(page).toHaveURL(/\/vendor$/);
  return {
    context,
    page,
    received: async () => (await Promise.all(bodies)).join('\n'),
    close: async () => {
      await context.close();
      expect(errors, `console errors in ${email}'s browser`).toEqual([]);
    },
  };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The secrets that must never reach a vendor: the token, its hash, every password hash (and its digest part). */
export async function secretsFor(token: string): Promise<Record<string, string>> {
  const secrets: Record<string, string> = { 'reset token': token, 'reset token hash': sha256(token) };
  const users = await db().user.findMany({ select: { loginName: true, passwordHash: true } });
  const history = await db().passwordHistory.findMany({ select: { passwordHash: true } });
  const vendors = await db().vendorAccount.findMany({ select: { email: true, passwordHash: true } });
  for (const [i, { passwordHash }] of [...users, ...history, ...vendors].entries()) {
    secrets[`password hash #${i}`] = passwordHash;
    secrets[`password digest #${i}`] = passwordHash.split('$').pop()!;
  }
  // Second factors: an app's secret (as stored, and as an app would be given it) and recovery code hashes.
  for (const [i, factor] of (await db().mfaFactor.findMany({ where: { secret: { not: null } }, select: { secret: true } })).entries()) {
    secrets[`sealed factor secret #${i}`] = factor.secret!;
    secrets[`factor secret #${i}`] = unsealFactorSecret(factor.secret!);
  }
  for (const [i, code] of (await db().recoveryCode.findMany({ select: { codeHash: true } })).entries()) secrets[`recovery code hash #${i}`] = code.codeHash;
  return secrets;
}

/**
 * One assertion naming every secret found: the secrets grow with every account the suite makes
 * (thousands late in a run), and an assertion each, recorded in the trace, took over a minute.
 */
export function expectNoSecret(label: string, body: string, secrets: Record<string, string>) {
  const found = Object.entries(secrets).flatMap(([name, secret]) => (body.includes(secret) ? [name] : []));
  expect(found, `${label} contains these secrets`).toEqual([]);
}

/**
 * Fetches every page and response a vendor session can reach around a request (queue views,
 * search, request page, exports, errors) and checks none holds a secret.
 */
export async function expectVendorResponsesHoldNoSecret(request: APIRequestContext, requestId: string, reference: string, token: string) {
  const secrets = await secretsFor(token);
  const urls = [
    '/vendor',
    '/vendor/queue',
    ...['SUBMITTED', 'IN_REVIEW', 'NEEDS_INFO', 'VERIFIED', 'APPROVED', 'closed'].map((view) => `/vendor/queue?view=${view}`),
    `/vendor/queue?q=${encodeURIComponent(reference)}`,
    `/vendor/queue?view=closed&q=${encodeURIComponent(reference)}`,
    `/vendor/queue/${requestId}`,
    `/vendor/queue/${requestId}?done=approve`,
    '/vendor/queue/export',
    '/vendor/queue/export?view=APPROVED',
    '/vendor/queue/export?view=closed',
    '/vendor/queue/no-such-request',
    '/vendor/no-such-page',
    '/api/me',
    '/account',
    '/change-password',
    '/admin',
  ];
  const statuses: Record<string, number> = {};
  for (const url of urls) {
    const response = await request.get(url, { maxRedirects: 0 });
    statuses[url] = response.status();
    expectNoSecret(`GET ${url}`, await response.text(), secrets);
  }
  return statuses;
}
