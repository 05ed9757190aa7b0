import { DEMO_PASSWORD } from '@/prisma/seed';
import { expect, signInAsAgencyUser, test } from './support/test';

const ADMIN = { providerCode: 'ACME-NY', loginName: 'pat.admin', password: DEMO_PASSWORD };

test('[PROVIDER_ADMIN] finds Jordan Smith by "Smith" and "smi", sees times in the agency’s zone, and filters the audit log by a plain event name', async ({ page }) => {
  await signInAsAgencyUser(page, ADMIN);
  await expect(page).toHaveURL(/\/account$/);
  for (const q of ['Smith', 'smi']) {
    await page.goto(`/admin?q=${q}`);
    await expect(page.getByRole('link', { name: 'Jordan Smith' })).toBeVisible();
  }
  await page.goto('/admin/audit');
  const event = page.getByLabel('Event');
  await expect(event.locator('option', { hasText: 'Failed sign-in' })).toHaveCount(1);
  await expect(event).not.toContainText('SIGN_IN_FAILURE');
  await event.selectOption({ label: 'Signed in' });
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/action=SIGN_IN_SUCCESS/);
  // ACME-NY keeps New York time: every time on the page names EST or EDT, never UTC.
  const firstRow = page.locator('table tbody tr').first();
  await expect(firstRow).toContainText('Signed in');
  await expect(firstRow.locator('td').first()).toHaveText(/\d{4}, \d{1,2}:\d{2} [AP]M E[SD]T$/);
});
