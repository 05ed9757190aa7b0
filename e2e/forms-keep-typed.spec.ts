// Every form keeps what was typed after a refusal (never a password), says which field is wrong,
// and moves focus to its error summary; password fields have a show-password toggle.
import type { Page } from '@playwright/test';
import { DEMO_PASSWORD } from '@/prisma/seed';
import { createAgency, createUser, uniqueSuffix } from '@/prisma/factories';
import { db, newStaffMember, TEST_PASSWORD } from './support/data';
import { expect, signInAsAgencyUser, signInAsVendor, test } from './support/test';

const OPERATOR = { email: 'otto.operator@carenotes.example', password: DEMO_PASSWORD };

/** The form whose submit button has this name (a page may hold several forms with the same labels). */
const formWith = (page: Page, submit: string) => page.locator('form', { has: page.getByRole('button', { name: submit, exact: true }) });

async function expectSummaryFocused(page: Page, scope = page.locator('body')) {
  const summary = scope.getByTestId('error-summary');
  await expect(summary).toBeVisible();
  await expect(summary).toBeFocused();
  return summary;
}

test('[OPERATOR] a refused incident keeps every field, ties each message to its field and focuses the summary', async ({ page }) => {
  await signInAsVendor(page, OPERATOR);
  await page.goto('/vendor/status');
  const form = formWith(page, 'Open incident');
  const title = `Slow sign-in ${uniqueSuffix()}`;
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Impact').selectOption({ label: 'Major outage' });
  await form.getByLabel('First update').fill('We are looking into it.');
  // No affected component chosen: refused, nothing opened.
  await form.getByRole('button', { name: 'Open incident' }).click();

  const summary = await expectSummaryFocused(page, form);
  await expect(summary).toContainText('Choose at least one affected component');
  await expect(form.getByLabel('Title')).toHaveValue(title);
  await expect(form.getByLabel('Impact').locator('option:checked')).toHaveText('Major outage');
  await expect(form.getByLabel('First update')).toHaveValue('We are looking into it.');
  const group = form.getByRole('group', { name: 'Affected components' });
  await expect(group).toHaveAttribute('aria-describedby', /-components-error$/);
  // The summary's link leads to the field it names.
  await summary.getByRole('link').click();
  await expect(group).toBeFocused();
  expect(await db().incident.count({ where: { title } })).toBe(0);
});

test('[OPERATOR] a refused maintenance window keeps every field and marks the wrong ones', async ({ page }) => {
  await signInAsVendor(page, OPERATOR);
  await page.goto('/vendor/status');
  const form = formWith(page, 'Schedule maintenance');
  const title = `Database upgrade ${uniqueSuffix()}`;
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Description (optional)').fill('Sign-in will be unavailable.');
  // A month ahead (a start must lie within a year), the end an hour before the start.
  const day = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await form.getByLabel('Start', { exact: true }).fill(`${day}T15:00`);
  await form.getByLabel('End', { exact: true }).fill(`${day}T14:00`);
  await form.getByRole('checkbox').first().check();
  await form.getByLabel(/Blocks sign-in/).check();
  await form.getByRole('button', { name: 'Schedule maintenance' }).click();

  const summary = await expectSummaryFocused(page, form);
  await expect(summary).toContainText('The end must be after the start');
  await expect(form.getByLabel('Title')).toHaveValue(title);
  await expect(form.getByLabel('Description (optional)')).toHaveValue('Sign-in will be unavailable.');
  await expect(form.getByLabel('Start', { exact: true })).toHaveValue(`${day}T15:00`);
  const end = form.getByLabel('End', { exact: true });
  await expect(end).toHaveValue(`${day}T14:00`);
  await expect(end).toHaveAttribute('aria-invalid', 'true');
  await expect(end).toHaveAccessibleDescription(/The end must be after the start/);
  await expect(form.getByLabel('Start', { exact: true })).not.toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByRole('checkbox').first()).toBeChecked();
  await expect(form.getByLabel(/Blocks sign-in/)).toBeChecked();
  expect(await db().maintenanceWindow.count({ where: { title } })).toBe(0);
});

test('[SUPER_ADMIN] the policy form keeps other edits on a refusal and shows the saved values after saving', async ({ page }) => {
  const agency = await createAgency(db());
  const owner = await createUser(db(), agency.id, TEST_PASSWORD, { role: 'SUPER_ADMIN', loginName: `pol.${uniqueSuffix()}`, email: `pol.${uniqueSuffix()}@example.test` });
  await signInAsAgencyUser(page, { providerCode: agency.code, loginName: owner.loginName, password: TEST_PASSWORD });
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/admin/policy');

  await page.getByLabel('Minimum password length').fill('20');
  await page.getByLabel('Previous passwords that cannot be reused').fill('99');
  await page.getByLabel('Only super administrators may reset').check();
  await page.getByRole('button', { name: 'Save policy' }).click();
  const summary = await expectSummaryFocused(page);
  await expect(summary).toContainText('between 0 and 24');
  await expect(page.getByLabel('Minimum password length')).toHaveValue('20');
  await expect(page.getByLabel('Previous passwords that cannot be reused')).toHaveValue('99');
  await expect(page.getByLabel('Previous passwords that cannot be reused')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Only super administrators may reset')).toBeChecked();
  expect((await db().agency.findUniqueOrThrow({ where: { id: agency.id } })).minPasswordLength).toBe(15);

  await page.getByLabel('Previous passwords that cannot be reused').fill('7');
  await page.getByRole('button', { name: 'Save policy' }).click();
  await expect(page.getByTestId('policy-saved')).toBeFocused();
  await expect(page.getByTestId('error-summary')).toHaveCount(0);
  await expect(page.getByLabel('Minimum password length')).toHaveValue('20');
  await expect(page.getByLabel('Previous passwords that cannot be reused')).toHaveValue('7');
  await expect(page.getByLabel('Only super administrators may reset')).toBeChecked();
  expect(await db().agency.findUniqueOrThrow({ where: { id: agency.id } })).toMatchObject({ minPasswordLength: 20, passwordHistoryCount: 7, onlySuperAdminsResetAdmins: true });
  await page.reload();
  await expect(page.getByLabel('Minimum password length')).toHaveValue('20');
});

test('[STAFF] change-password keeps no password after a refusal but focuses the summary that says what to fix', async ({ page }) => {
  const { creds } = await newStaffMember();
  await signInAsAgencyUser(page, creds);
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/change-password');
  await page.getByLabel('Current password').fill(creds.password);
  await page.getByLabel('New password', { exact: true }).fill('orchid tractor velvet summit');
  await page.getByLabel('Confirm new password').fill('orchid tractor velvet summiT');
  await page.getByRole('button', { name: 'Change password' }).click();
  const summary = await expectSummaryFocused(page);
  await expect(summary.getByRole('link')).toHaveCount(1);
  await expect(page.getByLabel('Confirm new password')).toHaveAttribute('aria-invalid', 'true');
  for (const label of ['Current password', 'New password', 'Confirm new password']) await expect(page.getByLabel(label, { exact: true })).toHaveValue('');
  // A second identical refusal is a new answer: focus comes back to the summary.
  await page.getByLabel('Current password').focus();
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByTestId('error-summary')).toBeFocused();
});

test('[STAFF] the show-password toggle only switches the field: aria-pressed and type flip, the value stays, nothing is sent', async ({ page }) => {
  const { creds } = await newStaffMember();
  await signInAsAgencyUser(page, creds);
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/change-password');
  const requests: string[] = [];
  page.on('request', (request) => requests.push(`${request.url()} ${request.postData() ?? ''}`));
  const field = page.getByLabel('New password', { exact: true });
  const toggle = page.getByRole('button', { name: 'Show new password' });
  await field.fill('secret lantern words');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(field).toHaveAttribute('type', 'password');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(field).toHaveAttribute('type', 'text');
  await expect(field).toHaveValue('secret lantern words');
  // Each password field has its own toggle with its own name; the others stay hidden.
  await expect(page.getByRole('button', { name: /^Show / })).toHaveCount(3);
  await expect(page.getByLabel('Confirm new password')).toHaveAttribute('type', 'password');
  await toggle.press('Space');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(field).toHaveAttribute('type', 'password');
  await expect(field).toHaveValue('secret lantern words');
  expect(requests.filter((r) => r.includes('secret lantern') || r.includes('secret%20lantern') || r.includes('secret+lantern'))).toEqual([]);
  expect(page.url()).not.toContain('secret');

  // On the sign-in page too.
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Show password' })).toHaveAttribute('aria-pressed', 'false');
});

test('[ANONYMOUS] ask-admin keeps what was typed and focuses the summary', async ({ page }) => {
  await page.goto('/help/ask-admin');
  await page.getByLabel('Login name').fill('casey.typed');
  await page.getByLabel('Message (optional)').fill('Please call the front desk');
  await page.getByRole('button', { name: 'Send request' }).click();
  const summary = await expectSummaryFocused(page);
  await summary.getByRole('link').first().click();
  await expect(page.getByLabel('Provider code')).toBeFocused();
  await expect(page.getByLabel('Provider code')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Login name')).toHaveValue('casey.typed');
  await expect(page.getByLabel('Message (optional)')).toHaveValue('Please call the front desk');
});

test('[ANONYMOUS] the super-admin form focuses its summary after a refusal and keeps what was typed', async ({ page }) => {
  await page.goto('/super-admin-reset');
  await page.getByLabel('Provider code').fill('ACME-NY');
  await page.getByLabel('Full name').fill('Sam Rivera');
  await page.getByLabel('Work e-mail address').fill('not an address');
  await page.getByRole('button', { name: 'Send request' }).click();
  await expectSummaryFocused(page);
  await expect(page.getByLabel('Provider code')).toHaveValue('ACME-NY');
  await expect(page.getByLabel('Full name')).toHaveValue('Sam Rivera');
  await expect(page.getByLabel('Work e-mail address')).toHaveAttribute('aria-invalid', 'true');
});

test('[ANONYMOUS] the skip link moves focus into the main content', async ({ page }) => {
  await page.goto('/login');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
  // The next Tab starts inside the page, past the header.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => !!document.activeElement?.closest('main'))).toBe(true);
});

test('[ANONYMOUS] the uptime toggles on /status each have a name of their own', async ({ page }) => {
  expect((await page.goto('/status'))?.status()).toBe(200);
  const names = await page.locator('details > summary').evaluateAll((summaries) => summaries.map((s) => (s.textContent ?? '').replace(/\s+/g, ' ').trim()));
  expect(new Set(names).size).toBe(names.length);
  // The demo data has past incidents on more than one component: there are toggles to check.
  const toggles = names.filter((n) => n.startsWith('Days with'));
  expect(toggles.length).toBeGreaterThan(1);
  for (const name of toggles) expect(name).toMatch(/^Days with incidents or maintenance for \S/);
});
