import { newStaffMember } from './support/data';
import { expect, signInAsAgencyUser, test } from './support/test';

test('[STAFF] a session opened before a password change is refused after it', async ({ browser }) => {
  const { creds } = await newStaffMember();
  const laptop = await browser.newPage();
  const phone = await browser.newPage();
  try {
    await signInAsAgencyUser(laptop, creds);
    await expect(laptop).toHaveURL(/\/account$/);
    await signInAsAgencyUser(phone, creds);
    await expect(phone).toHaveURL(/\/account$/);

    const newPassword = 'harbor pixel lantern sequoia';
    await phone.goto('/change-password');
    await phone.getByLabel('Current password').fill(creds.password);
    await phone.getByLabel('New password', { exact: true }).fill(newPassword);
    await phone.getByLabel('Confirm new password').fill(newPassword);
    await phone.getByRole('button', { name: 'Change password' }).click();
    await expect(phone).toHaveURL(/\/account\?done=password-changed\.\d+\.[\w-]+$/);

    // The laptop's session is refused on its very next request.
    await laptop.reload();
    await expect(laptop).toHaveURL(/\/login/);
    expect((await laptop.request.get('/api/me')).status()).toBe(401);
    // The phone, where the change was made, carries on.
    await phone.goto('/account');
    await expect(phone.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
  } finally {
    await laptop.close();
    await phone.close();
  }
});

test('[STAFF] signing in again in the same browser ends the session it held: a copy of the old cookie opens nothing', async ({ browser, baseURL }) => {
  const { creds } = await newStaffMember();
  const context = await browser.newContext();
  const sessionCookie = async () => (await context.cookies()).find((cookie) => cookie.name.endsWith('next-auth.session-token'))!;
  try {
    const page = await context.newPage();
    await signInAsAgencyUser(page, creds);
    await expect(page).toHaveURL(/\/account$/);
    const first = await sessionCookie();
    await signInAsAgencyUser(page, creds);
    await expect(page).toHaveURL(/\/account$/);
    expect((await sessionCookie()).value).not.toBe(first.value);
    expect((await page.request.get('/api/me')).status()).toBe(200);

    // The old cookie, copied elsewhere before, is refused.
    const copy = await browser.newContext();
    try {
      await copy.addCookies([{ ...first, url: baseURL }].map(({ name, value, url }) => ({ name, value, url: url! })));
      expect((await copy.request.get('/api/me')).status()).toBe(401);
    } finally {
      await copy.close();
    }
  } finally {
    await context.close();
  }
});
