import { DEMO_PASSWORD } from '@/prisma/seed';
import { createAgency, createUser, uniqueSuffix } from '@/prisma/factories';
import { db, newMemberOfDemoAgency, newStaffMember, TEST_PASSWORD } from './support/data';
import { E2E_BASE_URL } from './support/env';
import { findMail, waitForMail } from './support/mailbox';
import { expectNoAxeViolations } from './support/axe';
import { nextTotpCode } from './support/second-factor';
import { expect, signInAsAgencyUser, signInAsVendor, test } from './support/test';

/** The field a less strict policy's "yes" asks the super admin to fill with their own code (review r55g F1). */
const OWN_CODE = 'Your code: from your app, or one of your recovery codes';

const ADMIN = { providerCode: 'ACME-NY', loginName: 'pat.admin', password: DEMO_PASSWORD };
const NEW_PASSWORD = 'orchid tractor velvet summit';

test('[PROVIDER_ADMIN] resets a staff member, who signs in with the temporary password, must change it, and lands in the app', async ({ page, browser }) => {
  const email = `robin.${uniqueSuffix()}@acme-homecare.example`;
  const { user, creds } = await newMemberOfDemoAgency('acme-ny', { email });

  await signInAsAgencyUser(page, ADMIN);
  await expect(page).toHaveURL(/\/account$/);
  await page.goto(`/admin?q=${encodeURIComponent(user.loginName)}`);
  await page.getByRole('link', { name: user.displayName }).click();
  await expect(page.getByRole('heading', { name: user.displayName })).toBeVisible();

  await page.getByRole('button', { name: 'Reset password' }).click();
  // A double click on the confirm button still issues one password.
  await page.getByRole('button', { name: 'Yes, reset the password' }).dblclick();
  const box = page.getByTestId('temporary-password');
  await expect(box).toHaveText(/^[23456789A-HJ-NP-Z]{16}$/);
  const temporary = (await box.textContent())!.trim();
  await expect(page.getByTestId('temporary-password')).toHaveCount(1);
  // ACME-NY keeps New York time: the expiry names the agency's zone, as the rest of the console does.
  await expect(page.getByTestId('reset-result')).toContainText(/works once, until [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M E[SD]T\./);

  // Shown once: a reload of the page does not show it again.
  await page.reload();
  await expect(page.getByTestId('temporary-password-state')).toContainText('Issued, not used yet');
  expect(await page.content()).not.toContain(temporary);

  // The staff member is told by mail, without the password.
  const notice = await waitForMail({ to: email, subjectIncludes: 'reset by your administrator' });
  expect(notice.raw).not.toContain(temporary);

  const staffPage = await browser.newPage();
  try {
    await signInAsAgencyUser(staffPage, { ...creds, password: temporary });
    await expect(staffPage).toHaveURL(/\/change-password$/);
    await staffPage.goto('/account');
    await expect(staffPage).toHaveURL(/\/change-password$/);
    await staffPage.getByLabel('Current password').fill(temporary);
    await staffPage.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await staffPage.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await staffPage.getByRole('button', { name: 'Change password' }).click();
    await expect(staffPage).toHaveURL(/\/account\?done=password-changed\.\d+\.[\w-]+$/);

    // The temporary password no longer works.
    await staffPage.getByRole('button', { name: 'Sign out' }).click();
    await expect(staffPage).toHaveURL(/\/login/);
    await signInAsAgencyUser(staffPage, { ...creds, password: temporary });
    await expect(staffPage.locator('.error-summary')).toContainText('The details you entered are not right');
  } finally {
    await staffPage.close();
  }
  await page.reload();
  await expect(page.getByTestId('temporary-password-state')).toContainText('Used');
  // No mail anywhere ever carried the temporary password.
  for (const mail of await findMail()) expect(mail.raw).not.toContain(temporary);
});

test('[PROVIDER_ADMIN] unlocks a locked staff member and sees why it was locked', async ({ page }) => {
  const { user, creds } = await newMemberOfDemoAgency('acme-ny');
  for (let i = 0; i < 5; i++) {
    await signInAsAgencyUser(page, { ...creds, password: `wrong ${i} attempt here` });
    await expect(page.locator('.error-summary')).toBeVisible();
  }
  await signInAsAgencyUser(page, ADMIN);
  await expect(page).toHaveURL(/\/account$/);
  await page.goto(`/admin/users/${user.id}`);
  await expect(page.getByTestId('lock-state')).toContainText('5 failed sign-ins in a row');
  await expect(page.getByTestId('lock-state')).toContainText('127.0.0.1');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByTestId('lock-state')).toContainText('Not locked.');
  const other = await page.context().browser()!.newPage();
  try {
    await signInAsAgencyUser(other, creds);
    await expect(other).toHaveURL(/\/account$/);
  } finally {
    await other.close();
  }
});

test('[PROVIDER_ADMIN] cannot open a user of another agency, nor act on their own account', async ({ page }) => {
  const { user: foreign } = await newStaffMember();
  await signInAsAgencyUser(page, ADMIN);
  await expect(page).toHaveURL(/\/account$/);
  const response = await page.goto(`/admin/users/${foreign.id}`);
  expect(response?.status()).toBe(404);
  // The try is on the record, as one through an action is (review r42e F2).
  // A link on another site that sends the admin's browser there is on the record as such (review r42f F1).
  expect((await page.request.get(`/admin/users/${foreign.id}`, { headers: { 'sec-fetch-site': 'cross-site' } })).status()).toBe(404);
  const tried = await db().auditEvent.findMany({ where: { targetId: foreign.id, action: 'ADMIN_ACTION_DENIED' }, orderBy: { seq: 'asc' } });
  expect(tried.map((event) => JSON.parse(event.details!))).toEqual([
    { capability: 'users:read', reason: 'other-agency', targetAgencyId: foreign.agencyId, readsThisMinute: expect.any(Number) },
    { capability: 'users:read', reason: 'other-agency', targetAgencyId: foreign.agencyId, sentByAnotherSite: true, readsThisMinute: expect.any(Number) },
  ]);
  await page.goto('/admin?q=pat.admin');
  await page.getByRole('link', { name: 'Pat Lee' }).click();
  await expect(page.getByText('This is your own account')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Reset password' })).toHaveCount(0);
});

test('[SUPER_ADMIN] sees the single-super-admin warning and edits the policy within bounds', async ({ page }) => {
  await signInAsAgencyUser(page, { providerCode: 'ACME-NY', loginName: 'sam.super', password: DEMO_PASSWORD });
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/admin');
  await expect(page.getByTestId('single-super-admin-warning')).toBeVisible();
  await page.getByRole('link', { name: 'Security policy' }).click();
  await page.getByLabel('Minimum password length').fill('7');
  await page.getByRole('button', { name: 'Save policy' }).click();
  await expect(page.locator('.error-summary')).toContainText('between 8 and 64');
  await page.reload();
  await expect(page.getByLabel('Minimum password length')).toHaveValue('15');
});

for (const javaScriptEnabled of [true, false]) {
  test(`[SUPER_ADMIN] a policy form opened before another admin saved is refused, shows the policy as saved, and saves on the second try (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({ browser }) => {
    const agency = await createAgency(db());
    const admins = [];
    for (const name of ['Ines Early', 'Omar Later']) {
      const user = await createUser(db(), agency.id, TEST_PASSWORD, { role: 'SUPER_ADMIN', displayName: name });
      admins.push({ providerCode: agency.code, loginName: user.loginName, password: TEST_PASSWORD });
    }
    const staleContext = await browser.newContext({ javaScriptEnabled });
    const page = await staleContext.newPage();
    const context = await browser.newContext();
    const other = await context.newPage();
    try {
      for (const [tab, creds] of [[page, admins[0]!], [other, admins[1]!]] as const) {
        await signInAsAgencyUser(tab, creds);
        await expect(tab).toHaveURL(/\/account/);
        await tab.goto('/admin/policy');
      }
      await other.getByLabel('Minimum password length').fill('20');
      await other.getByRole('button', { name: 'Save policy' }).click();
      await expect(other.getByTestId('policy-saved')).toBeVisible();

      await page.getByLabel('Time zone').selectOption('America/Chicago');
      await page.getByRole('button', { name: 'Save policy' }).click();
      await expect(page.getByText('The policy was saved after you opened this page')).toBeVisible();
      await expect(page.getByLabel('Minimum password length')).toHaveValue('20');
      expect(await db().agency.findUniqueOrThrow({ where: { id: agency.id } })).toMatchObject({ minPasswordLength: 20, timeZone: agency.timeZone });

      await page.getByLabel('Time zone').selectOption('America/Chicago');
      await page.getByRole('button', { name: 'Save policy' }).click();
      await expect(page.getByTestId('policy-saved')).toBeVisible();
      expect(await db().agency.findUniqueOrThrow({ where: { id: agency.id } })).toMatchObject({ minPasswordLength: 20, timeZone: 'America/Chicago' });
    } finally {
      await context.close();
      await staleContext.close();
    }
  });
}

for (const javaScriptEnabled of [true, false]) {
  test(`[SUPER_ADMIN] making the policy less strict asks for their own code, and each change is mailed to the super admins (JavaScript ${javaScriptEnabled ? 'on' : 'off'}; review r55g F1)`, async ({ browser }) => {
    const agency = await createAgency(db());
    await db().agency.update({ where: { id: agency.id }, data: { requireSecondFactorForAllStaff: true } });
    const [owner, other] = await Promise.all(
      ['ines', 'omar'].map((name) => {
        const suffix = uniqueSuffix();
        return createUser(db(), agency.id, TEST_PASSWORD, { role: 'SUPER_ADMIN', loginName: `${name}.${suffix}`, email: `${name}.${suffix}@policy.example` });
      }),
    );
    const saved = () => db().agency.findUniqueOrThrow({ where: { id: agency.id }, select: { minPasswordLength: true, requireSecondFactorForAllStaff: true } });
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    try {
      await signInAsAgencyUser(page, { providerCode: agency.code, loginName: owner!.loginName, password: TEST_PASSWORD });
      await expect(page).toHaveURL(/\/account/);
      await page.goto('/admin/policy');
      await page.getByLabel('Minimum password length').fill('12');
      await page.getByLabel('Every staff member must set up a second factor').uncheck();
      await page.getByRole('button', { name: 'Save policy' }).click();

      // Not saved: the page says which settings the save makes less strict, keeps what was typed, and asks for a code.
      const question = page.getByTestId('policy-looser');
      await expect(question).toContainText('Minimum password length: was 15, now 12');
      await expect(question).toContainText('Every staff member must set up a second factor (administrators always must): was on, now off');
      await expect(page.getByLabel('Minimum password length')).toHaveValue('12');
      await expect(page.getByTestId('error-summary')).toHaveCount(0);
      if (javaScriptEnabled) {
        await expect(page.getByRole('heading', { name: 'Confirm it is you to make signing in less strict' })).toBeFocused();
        await expectNoAxeViolations(page);
      }
      expect(await saved()).toEqual({ minPasswordLength: 15, requireSecondFactorForAllStaff: true });

      await page.getByRole('button', { name: 'Yes, save the less strict policy' }).click();
      const summary = page.getByTestId('error-summary');
      await expect(summary.getByRole('link', { name: 'Enter a code from your app or a recovery code, or use a passkey' })).toHaveAttribute('href', '#code');
      if (javaScriptEnabled) await expect(summary).toBeFocused();
      await expect(page.getByLabel(OWN_CODE)).toHaveAttribute('aria-invalid', 'true');
      expect(await saved()).toEqual({ minPasswordLength: 15, requireSecondFactorForAllStaff: true });

      await page.getByLabel(OWN_CODE).fill(await nextTotpCode({ userId: owner!.id }));
      await page.getByRole('button', { name: 'Yes, save the less strict policy' }).click();
      await expect(page.getByTestId('policy-saved')).toBeVisible();
      await expect(question).toHaveCount(0);
      expect(await saved()).toEqual({ minPasswordLength: 12, requireSecondFactorForAllStaff: false });
      for (const admin of [owner!, other!]) {
        const mail = await waitForMail({ to: admin.email!, subjectIncludes: 'CareNotes security policy changed' });
        expect(mail.text).toContain('- Minimum password length: was 15, now 12 (less strict)');
      }

      // Stricter again, from the same page: saved with the session alone, and mailed too.
      await page.getByLabel('Minimum password length').fill('16');
      await page.getByRole('button', { name: 'Save policy' }).click();
      await expect.poll(async () => (await saved()).minPasswordLength).toBe(16);
      await expect(question).toHaveCount(0);
      await expect.poll(async () => (await findMail({ to: other!.email!, subjectIncludes: 'CareNotes security policy changed' })).length).toBe(2);
    } finally {
      await context.close();
    }
  });
}

test('[PROVIDER_ADMIN] the policy page is not theirs, and its form sent with their session is refused at the gate, before anything is read (review r34d I1)', async ({ page, browser }) => {
  const agency = await createAgency(db());
  const superAdmin = await createUser(db(), agency.id, TEST_PASSWORD, { role: 'SUPER_ADMIN' });
  const admin = await createUser(db(), agency.id, TEST_PASSWORD, { role: 'PROVIDER_ADMIN' });
  await signInAsAgencyUser(page, { providerCode: agency.code, loginName: superAdmin.loginName, password: TEST_PASSWORD });
  await expect(page).toHaveURL(/\/account/);
  await page.goto('/admin/policy');
  const context = await browser.newContext();
  try {
    const adminPage = await context.newPage();
    await signInAsAgencyUser(adminPage, { providerCode: agency.code, loginName: admin.loginName, password: TEST_PASSWORD });
    await expect(adminPage).toHaveURL(/\/account/);
    expect((await adminPage.goto('/admin/policy'))!.status()).toBe(404);
    // The super admin's form, sent with the provider admin's session (a bad value, which the gate must not get to read).
    await page.context().clearCookies();
    await page.context().addCookies(await context.cookies());
  } finally {
    await context.close();
  }
  await page.getByLabel('Minimum password length').fill('7');
  await page.getByRole('button', { name: 'Save policy' }).click();
  await expect(page.getByText('You are not allowed to do that.')).toBeVisible();
  await expect(page.getByText('between 8 and 64')).toHaveCount(0);
  expect((await db().agency.findUniqueOrThrow({ where: { id: agency.id } })).minPasswordLength).toBe(agency.minPasswordLength);
  const refused = await db().auditEvent.findMany({ where: { actorId: admin.id, action: 'ACCESS_DENIED' }, select: { details: true } });
  expect(refused.map((event) => JSON.parse(event.details!).what).sort()).toEqual(['action admin-update-policy', 'page /admin/policy']);
});

test('[STAFF] and [VERIFIER] cannot reach the admin console', async ({ page, browser }) => {
  const { creds } = await newMemberOfDemoAgency('acme-ny');
  await signInAsAgencyUser(page, creds);
  await expect(page).toHaveURL(/\/account$/);
  expect((await page.goto('/admin'))?.status()).toBe(404);
  expect((await page.request.get('/admin/audit/export')).status()).toBe(403);

  const vendor = await browser.newPage();
  try {
    await signInAsVendor(vendor, { email: 'vera.verifier@carenotes.example', password: DEMO_PASSWORD });
    await expect(vendor).toHaveURL(/\/vendor$/);
    expect((await vendor.goto('/admin'))?.status()).toBe(404);
    expect((await vendor.request.get('/admin/audit/export')).status()).toBe(403);
  } finally {
    await vendor.close();
  }
});

test('[PROVIDER_ADMIN] of an agency whose code is beyond Latin-1 downloads its audit log, named in UTF-8 (review r40a F3)', async ({ page }) => {
  const agency = await createAgency(db(), { code: `ŁÓDŹ-${uniqueSuffix().toUpperCase()}` });
  const admin = await createUser(db(), agency.id, TEST_PASSWORD, { role: 'PROVIDER_ADMIN', loginName: `admin.${uniqueSuffix()}` });
  await signInAsAgencyUser(page, { providerCode: agency.code, loginName: admin.loginName, password: TEST_PASSWORD });
  const response = await page.request.get('/admin/audit/export');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-disposition']).toContain(`filename*=UTF-8''audit-${encodeURIComponent(agency.code)}-`);
  expect((await response.text()).split('\r\n')[0]).toContain('seq,time,actor_type');
  // The export is on the record, once; a HEAD takes nothing and records nothing (reviews r42e F4, r42c F1).
  const exports = () => db().auditEvent.findMany({ where: { agencyId: agency.id, action: 'ADMIN_AUDIT_EXPORTED' } });
  expect((await exports()).map((event) => event.actorId)).toEqual([admin.id]);
  const head = await page.request.head('/admin/audit/export');
  expect([head.status(), head.headers()['content-type']]).toEqual([200, 'text/csv; charset=utf-8']);
  expect(await exports()).toHaveLength(1);
});

test('[PROVIDER_ADMIN] downloads the agency audit log as CSV', async ({ page }) => {
  await signInAsAgencyUser(page, ADMIN);
  await expect(page).toHaveURL(/\/account$/);
  const response = await page.request.get('/admin/audit/export?action=SIGN_IN_SUCCESS');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('text/csv');
  const csv = await response.text();
  expect(csv.split('\r\n')[0]).toContain('seq,time,actor_type');
  expect(csv).toContain('Pat Lee (pat.admin)');
  // Asked for on another site's behalf (a link there, or a sibling subdomain), the export and the
  // session's own details are refused: the browser sends the session cookie on a top-level GET.
  for (const site of ['cross-site', 'same-site']) {
    for (const path of ['/admin/audit/export', '/api/me']) {
      expect((await page.request.get(path, { headers: { 'sec-fetch-site': site } })).status(), `${path} ${site}`).toBe(403);
    }
  }
  // A browser without Fetch Metadata is judged by the page it names as the referrer.
  expect((await page.request.get('/admin/audit/export', { headers: { referer: 'https://elsewhere.example/download' } })).status()).toBe(403);
  expect((await page.request.get('/admin/audit/export', { headers: { referer: `${E2E_BASE_URL}/admin/audit` } })).status()).toBe(200);
});
