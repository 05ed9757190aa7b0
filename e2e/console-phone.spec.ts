// The admin console and the vendor workspace on a 375 px phone: no sideways scrolling of the
// page, and tables read as lists (each value under its column's name).
import type { Page } from '@playwright/test';
import { DEMO_PASSWORD } from '@/prisma/seed';
import { createAgency, createUser, uniqueSuffix } from '@/prisma/factories';
import { db, TEST_PASSWORD } from './support/data';
import { fileSuperAdminRequest } from './super-admin-support';
import { expect, signInAsAgencyUser, signInAsVendor, test } from './support/test';

test.use({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });

async function expectNoSidewaysScroll(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response?.status(), path).toBe(200);
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
  expect(widths.page, `${path} is ${widths.page} px wide`).toBeLessThanOrEqual(375);
  expect(widths.body, `${path} body is ${widths.body} px wide`).toBeLessThanOrEqual(375);
}

test('[SUPER_ADMIN] every console page fits a 375 px phone; the user list reads as a list', async ({ page }) => {
  const agency = await createAgency(db(), { name: 'Northern Riverside Community Homecare Partnership' });
  const suffix = uniqueSuffix();
  const owner = await createUser(db(), agency.id, TEST_PASSWORD, { role: 'SUPER_ADMIN', loginName: `phone.owner.${suffix}`, email: `phone.owner.${suffix}@a-rather-long-agency-domain.example` });
  const staff = await createUser(db(), agency.id, TEST_PASSWORD, {
    loginName: `maximiliana.vandenberghe-ollivander.${suffix}`,
    displayName: 'Maximiliana Vandenberghe-Ollivander',
    email: `maximiliana.vandenberghe-ollivander.${suffix}@a-rather-long-agency-domain.example`,
  });
  await db().user.update({ where: { id: staff.id }, data: { hardLockedAt: new Date(), failedSignInCount: 20, mustChangePassword: true } });
  await signInAsAgencyUser(page, { providerCode: agency.code, loginName: owner.loginName, password: TEST_PASSWORD });
  await expect(page).toHaveURL(/\/account$/);
  // Some history for the audit and activity tables.
  await page.goto(`/admin/users/${staff.id}`);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByTestId('action-result')).toContainText('unlocked');

  for (const path of ['/admin', `/admin/users/${staff.id}`, '/admin/help-requests', '/admin/audit', '/admin/policy', '/account', '/account/security']) {
    await expectNoSidewaysScroll(page, path);
  }
  await page.goto(`/admin?q=${encodeURIComponent(staff.loginName)}`);
  const row = page.locator('tbody tr').first();
  // Stacked: the cells sit one under another, each named by its column.
  const [name, login] = await Promise.all([row.locator('td').nth(0).boundingBox(), row.locator('td').nth(1).boundingBox()]);
  expect(login!.y).toBeGreaterThan(name!.y);
  expect(await row.locator('td').nth(1).evaluate((cell) => getComputedStyle(cell, '::before').content)).toBe('"Login name: "');
});

test('[VERIFIER] and [OPERATOR] vendor pages fit a 375 px phone', async ({ page, browser }) => {
  const agency = await createAgency(db());
  const admin = await createUser(db(), agency.id, TEST_PASSWORD, { role: 'SUPER_ADMIN', loginName: `phone.sa.${uniqueSuffix()}`, email: `phone.sa.${uniqueSuffix()}@example.test` });
  const requester = await browser.newPage();
  try {
    await fileSuperAdminRequest(requester, { providerCode: agency.code, loginName: admin.loginName });
  } finally {
    await requester.close();
  }
  const request = await db().superAdminResetRequest.findFirstOrThrow({ where: { userId: admin.id }, select: { id: true } });

  await signInAsVendor(page, { email: 'vera.verifier@carenotes.example', password: DEMO_PASSWORD });
  await expect(page).toHaveURL(/\/vendor$/);
  for (const path of ['/vendor', '/vendor/queue', '/vendor/queue?view=closed', `/vendor/queue/${request.id}`, '/vendor/security']) {
    await expectNoSidewaysScroll(page, path);
  }
  await page.getByRole('button', { name: 'Sign out' }).click();

  await signInAsVendor(page, { email: 'otto.operator@carenotes.example', password: DEMO_PASSWORD });
  await expect(page).toHaveURL(/\/vendor$/);
  for (const path of ['/vendor', '/vendor/status']) await expectNoSidewaysScroll(page, path);
});
