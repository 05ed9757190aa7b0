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
