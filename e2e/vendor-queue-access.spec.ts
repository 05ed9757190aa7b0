import { DEMO_PASSWORD } from '@/prisma/seed';
import { db, newStaffMember } from './support/data';
import { expect, signInAsAgencyUser, signInAsVendor, test } from './support/test';

test('[OPERATOR] cannot open the verification queue, a request or its export; the tries are audited', async ({ page }) => {
  const request = await db().superAdminResetRequest.findFirst({ select: { id: true } });
  await signInAsVendor(page, { email: 'otto.operator@carenotes.example', password: DEMO_PASSWORD });
  await expect(page).toHaveURL(/\/vendor$/);
  await expect(page.getByRole('link', { name: /verification queue/ })).toHaveCount(0);
  expect((await page.goto('/vendor/queue'))?.status()).toBe(404);
  expect((await page.goto(`/vendor/queue/${request?.id ?? 'any'}`))?.status()).toBe(404);
  expect((await page.request.get('/vendor/queue/export')).status()).toBe(403);

  const otto = await db().vendorAccount.findUniqueOrThrow({ where: { emailKey: 'otto.operator@carenotes.example' } });
  const denied = await db().auditEvent.findMany({ where: { actorId: otto.id, action: 'ACCESS_DENIED' }, select: { details: true } });
  const what = denied.map((event) => JSON.parse(event.details!).what as string);
  expect(what).toEqual(expect.arrayContaining(['page /vendor/queue', 'route super-admin-queue-export']));
});

test('[STAFF] cannot open the verification queue', async ({ page }) => {
  const { creds } = await newStaffMember();
  await signInAsAgencyUser(page, creds);
  await expect(page).toHaveURL(/\/account$/);
  expect((await page.goto('/vendor/queue'))?.status()).toBe(404);
  expect((await page.request.get('/vendor/queue/export')).status()).toBe(403);
});

test('[ANONYMOUS] is sent to the vendor sign-in from the queue, and gets 401 from its export', async ({ page }) => {
  await page.goto('/vendor/queue');
  await expect(page).toHaveURL(/\/vendor\/login$/);
  expect((await page.request.get('/vendor/queue/export')).status()).toBe(401);
});
