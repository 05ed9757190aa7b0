// Every signed-in page shows Sign out (review r33b F2).
import { DEMO_PASSWORD } from '@/prisma/seed';
import { createAgency, createUser, uniqueSuffix } from '@/prisma/factories';
import { db, TEST_PASSWORD } from './support/data';
import { expect, signInAsAgencyUser, signInAsVendor, test } from './support/test';

/** An agency of its own: an administrator, and a staff member whose page the console shows. */
async function newConsole() {
  const agency = await createAgency(db());
  const admin = await createUser(db(), agency.id, TEST_PASSWORD, { role: 'PROVIDER_ADMIN', loginName: `out.admin.${uniqueSuffix()}` });
  const member = await createUser(db(), agency.id, TEST_PASSWORD, { loginName: `out.member.${uniqueSuffix()}` });
  return { admin, member, creds: { providerCode: agency.code, loginName: admin.loginName, password: TEST_PASSWORD } };
}

test('[PROVIDER_ADMIN] signs out from a console page', async ({ page }) => {
  const { member, creds } = await newConsole();
  await signInAsAgencyUser(page, creds);
  await page.goto(`/admin/users/${member.id}`);
  await expect(page.getByRole('heading', { name: member.displayName })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login\?done=/);
  await expect(page.getByText('You are signed out.')).toBeVisible();
  expect((await page.request.get('/api/me')).status()).toBe(401);
});

test('[VERIFIER] signs out from the queue and lands on the vendor sign-in page', async ({ page }) => {
  await signInAsVendor(page, { email: 'vera.verifier@carenotes.example', password: DEMO_PASSWORD });
  await page.goto('/vendor/queue');
  await expect(page.getByRole('heading', { name: 'Super administrator reset requests' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/vendor\/login$/);
  expect((await page.request.get('/api/me')).status()).toBe(401);
});
