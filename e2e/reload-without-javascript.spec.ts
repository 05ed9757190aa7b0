// Without JavaScript the browser shows a form's answer as the page itself, and reloading it sends
// the form again. Every form whose success must not happen twice (a mail, an incident, a window)
// answers a success with "see other" to a page that says what was done: a reload there is a GET.
import type { Page } from '@playwright/test';
import { RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import { DEMO_PASSWORD } from '@/prisma/seed';
import { createAgency, createUser, uniqueSuffix } from '@/prisma/factories';
import { db, TEST_PASSWORD } from './support/data';
import { nextTotpCode } from './support/second-factor';
import { expect, signInAsAgencyUser, signInAsVendor, test } from './support/test';

test.use({ javaScriptEnabled: false });

const OPERATOR = { email: 'otto.operator@carenotes.example', password: DEMO_PASSWORD };

/** The form whose submit button has this name (a page may hold several forms with the same labels). */
const formWith = (page: Page, submit: string) => page.locator('form', { has: page.getByRole('button', { name: submit, exact: true }) });

/** Reloads as a person does after reading the answer; a page that came from a POST would be posted again. */
async function reloadTwice(page: Page) {
  for (let i = 0; i < 2; i++) {
    const answer = await page.reload();
    expect(answer?.request().method()).toBe('GET');
  }
}

test('[OPERATOR] opens an incident; reloading the page that says so opens no second one and alerts no one again', async ({ page }) => {
  await signInAsVendor(page, OPERATOR);
  await page.goto('/vendor/status');
  const title = `Reload probe ${uniqueSuffix()}`;
  const form = formWith(page, 'Open incident');
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Impact').selectOption({ label: 'Partial outage' });
  await form.getByLabel('Documentation').check();
  await form.getByLabel('First update').fill('Looking into it.');
  await form.getByRole('button', { name: 'Open incident' }).click();
  await expect(page).toHaveURL(/\/vendor\/status\?done=status-open-incident\.\d+\.[\w-]+$/);
  await expect(page.getByRole('status').filter({ hasText: 'Incident opened.' })).toBeVisible();
  const fanOuts = await db().statusAlertFanOut.count();
  await reloadTwice(page);
  try {
    expect(await db().incident.count({ where: { title } })).toBe(1);
    expect(await db().statusAlertFanOut.count()).toBe(fanOuts);
  } finally {
    await db().incident.updateMany({ where: { title }, data: { resolvedAt: new Date(), status: 'RESOLVED' } });
  }
});

test('[OPERATOR] a made-up `done` says nothing, nor a real action’s name that the portal did not send', async ({ page }) => {
  await signInAsVendor(page, OPERATOR);
  // A link from anywhere could otherwise make the page say an incident was opened and subscribers alerted.
  for (const done of ['constructor', '__proto__', 'toString', '<b>hi</b>', 'status-open-incident', 'status-open-incident.1.x']) {
    await page.goto(`/vendor/status?done=${encodeURIComponent(done)}`);
    await expect(page.getByRole('heading', { name: 'Status operations' })).toBeVisible();
    await expect(page.locator('main .notice.success')).toHaveCount(0);
  }
});

test('[PROVIDER_ADMIN] e-mails a reset link; reloading the page that says so mails no second link, and a colleague’s copy of it says nothing', async ({ page, browser }) => {
  const agency = await createAgency(db());
  const suffix = uniqueSuffix();
  const admin = await createUser(db(), agency.id, TEST_PASSWORD, { role: 'PROVIDER_ADMIN', loginName: `reload.admin.${suffix}` });
  const staff = await createUser(db(), agency.id, TEST_PASSWORD, { loginName: `reload.staff.${suffix}`, email: `reload.${suffix}@example.test` });
  await signInAsAgencyUser(page, { providerCode: agency.code, loginName: admin.loginName, password: TEST_PASSWORD });
  await page.goto(`/admin/users/${staff.id}`);
  await page.getByRole('button', { name: 'E-mail a reset link instead' }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/users/${staff.id}\\?done=admin-send-reset-link\\.\\d+\\.[\\w-]+$`));
  await expect(page.getByRole('status').filter({ hasText: 'A single-use reset link is on its way' })).toBeVisible();
  await reloadTwice(page);
  expect(await db().passwordResetToken.count({ where: { userId: staff.id } })).toBe(1);
  expect(await db().outboxMessage.count({ where: { toAddress: staff.email! } })).toBe(1);

  // The notice is signed for the session that acted: the same address sent to a colleague says nothing to them.
  const colleague = await createUser(db(), agency.id, TEST_PASSWORD, { role: 'PROVIDER_ADMIN', loginName: `reload.colleague.${suffix}` });
  const context = await browser.newContext();
  try {
    const other = await context.newPage();
    await signInAsAgencyUser(other, { providerCode: agency.code, loginName: colleague.loginName, password: TEST_PASSWORD });
    await other.goto(page.url());
    await expect(other.getByRole('heading', { name: staff.displayName })).toBeVisible();
    await expect(other.getByText('A single-use reset link is on its way')).toHaveCount(0);
  } finally {
    await context.close();
  }
});

/** The suite's other tests post these public forms from this same address: this one starts within the address's limit. */
const forgetAddressLimit = (name: string) => db().rateLimitBucket.deleteMany({ where: { key: { startsWith: name } } });

test('[STAFF] asks the administrators; reloading the page that says so sends nothing again', async ({ page }) => {
  await forgetAddressLimit(RATE_LIMITS.helpRequestPerAddress.name);
  const agency = await createAgency(db());
  const staff = await createUser(db(), agency.id, TEST_PASSWORD, { loginName: `reload.ask.${uniqueSuffix()}` });
  await createUser(db(), agency.id, TEST_PASSWORD, { role: 'PROVIDER_ADMIN', loginName: `reload.ask.admin.${uniqueSuffix()}`, email: `ask.${uniqueSuffix()}@example.test` });
  await page.goto('/help/ask-admin');
  await page.getByLabel('Provider code').fill(agency.code);
  await page.getByLabel('Login name').fill(staff.loginName);
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page).toHaveURL(/\/help\/ask-admin\/sent$/);
  await expect(page.getByRole('heading', { name: 'Request received', level: 1 })).toBeVisible();
  await reloadTwice(page);
  expect(await db().helpRequest.count({ where: { agencyId: agency.id } })).toBe(1);
});

test('[ANONYMOUS] asks for status alerts; reloading the page that says so sends no second confirmation', async ({ page }) => {
  await forgetAddressLimit(RATE_LIMITS.statusSubscribePerClient.name);
  const address = `reload.alerts.${uniqueSuffix()}@example.com`;
  await page.goto('/status');
  await page.getByLabel('E-mail address').fill(address);
  await page.getByRole('button', { name: 'Get alerts by e-mail' }).click();
  await expect(page).toHaveURL(/\/status\/subscribe\/requested$/);
  await expect(page.getByRole('status').filter({ hasText: 'Check your e-mail' })).toBeVisible();
  await reloadTwice(page);
  expect(await db().outboxMessage.count({ where: { toAddress: address } })).toBe(1);
});

test('[SUPER_ADMIN] makes new recovery codes; reloading the answer that showed them sends its used code again, which counts no wrong code and says they were made already (review r38b F1)', async ({ page }) => {
  const agency = await createAgency(db());
  const admin = await createUser(db(), agency.id, TEST_PASSWORD, { role: 'SUPER_ADMIN', loginName: `reload.codes.${uniqueSuffix()}` });
  await signInAsAgencyUser(page, { providerCode: agency.code, loginName: admin.loginName, password: TEST_PASSWORD });
  await page.goto('/account/security');
  const form = formWith(page, 'Make new recovery codes');
  await form.getByLabel('Code from your app, or a recovery code').fill(await nextTotpCode({ userId: admin.id }));
  await form.getByRole('button', { name: 'Make new recovery codes' }).click();
  await expect(page.getByTestId('recovery-codes').getByRole('listitem')).toHaveCount(10);
  // The answer is the POST's own: a reload sends the form again. Five such reloads locked the account.
  for (let reload = 0; reload < 5; reload++) {
    const answer = await page.reload();
    expect(answer?.request().method()).toBe('POST');
    await expect(page.getByRole('status').filter({ hasText: 'These recovery codes were made already, from this page; they were shown once.' })).toBeVisible();
    await expect(page.getByTestId('recovery-codes')).toHaveCount(0);
    await expect(page.locator('.error-summary')).toHaveCount(0);
  }
  expect(await db().auditEvent.count({ where: { targetId: admin.id, action: { in: ['SECOND_FACTOR_FAILURE', 'ACCOUNT_LOCKED'] } } })).toBe(0);
  expect(await db().auditEvent.count({ where: { targetId: admin.id, action: 'RECOVERY_CODES_REPLACED' } })).toBe(1);
  const row = await db().user.findUniqueOrThrow({ where: { id: admin.id } });
  expect(row.failedSignInCount).toBe(0);
  expect(row.lockedUntil).toBeNull();
});
