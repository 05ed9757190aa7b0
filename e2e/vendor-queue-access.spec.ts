import { DEMO_PASSWORD } from '@/prisma/seed';
import { createVendorAccount } from '@/prisma/factories';
import { db, newStaffMember, TEST_PASSWORD } from './support/data';
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

test('[VERIFIER] exports the queue on the record, once per file taken; a HEAD of the export takes nothing and records nothing (review r42c F1)', async ({ page }) => {
  const account = await createVendorAccount(db(), 'VERIFIER', TEST_PASSWORD);
  await signInAsVendor(page, { email: account.email, password: TEST_PASSWORD });
  await expect(page).toHaveURL(/\/vendor$/);
  const exports = () => db().auditEvent.count({ where: { actorId: account.id, action: 'SUPER_ADMIN_QUEUE_EXPORTED' } });
  const head = await page.request.head('/vendor/queue/export');
  expect([head.status(), head.headers()['content-type']]).toEqual([200, 'text/csv; charset=utf-8']);
  expect(await exports()).toBe(0);
  const taken = await page.request.get('/vendor/queue/export');
  expect((await taken.text()).split('\r\n')[0]).toContain('reference,state');
  expect(await exports()).toBe(1);
});
