import type { Browser } from '@playwright/test';
import { DEMO_TEMPORARY_PASSWORD } from '@/prisma/seed';
import { uniqueSuffix } from '@/prisma/factories';
import { db, newStaffMember } from './support/data';
import { waitForMail } from './support/mailbox';
import { pressTwice } from './support/press-twice';
import { expect, signInAsAgencyUser, test } from './support/test';

const NEW_PASSWORD = 'saffron bridge winter compass';

/** A browser without JavaScript where a new staff member signed in with `temporary`: on the password change. */
async function atPasswordChangeWithoutJavaScript(browser: Browser, temporary: string) {
  const { user, creds } = await newStaffMember({ temporaryPassword: temporary });
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signInAsAgencyUser(page, creds);
  await expect(page).toHaveURL(/\/change-password$/);
  return { user, creds, context, page };
}

test('[STAFF] a temporary password leads only to the password change, then into the app', async ({ page }) => {
  const temporary = 'Q7MZ4KP2XR9TWH3N';
  const email = `casey.${uniqueSuffix()}@agency.example`;
  const { creds } = await newStaffMember({ temporaryPassword: temporary, email });
  await signInAsAgencyUser(page, creds);
  await expect(page).toHaveURL(/\/change-password$/);
  await expect(page.getByText('You signed in with a temporary password')).toBeVisible();

  // Every other page and API refuses the session until the password is changed.
  await page.goto('/account');
  await expect(page).toHaveURL(/\/change-password$/);
  const api = await page.request.get('/api/me');
  expect(api.status()).toBe(403);
  expect(await api.json()).toMatchObject({ error: 'PASSWORD_CHANGE_REQUIRED' });

  await page.getByLabel('Current password').fill(temporary);
  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page).toHaveURL(/\/account\?done=password-changed\.\d+\.[\w-]+$/);
  await expect(page.getByText('Your password has been changed')).toBeVisible();
  expect((await page.request.get('/api/me')).status()).toBe(200);
  // Only the portal's own redirect says so: a link cannot tell someone their password was changed.
  await page.goto('/account?done=password-changed');
  await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
  await expect(page.getByText('Your password has been changed')).toHaveCount(0);

  // The owner is told, through real SMTP, and the notice holds no password.
  const notice = await waitForMail({ to: email, subjectIncludes: 'password was changed' });
  expect(notice.text).toContain('If you did not, contact your provider administrator');
  expect(notice.raw).not.toContain(NEW_PASSWORD);
  expect(notice.raw).not.toContain(temporary);

  // The temporary password no longer works; the new one does.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await signInAsAgencyUser(page, creds);
  await expect(page.locator('.error-summary')).toContainText('The details you entered are not right');
  await signInAsAgencyUser(page, { ...creds, password: NEW_PASSWORD });
  await expect(page).toHaveURL(/\/account$/);
});

for (const javaScriptEnabled of [true, false]) {
  test(`[STAFF] a temporary password opens one sign-in: in a second browser (JavaScript ${javaScriptEnabled ? 'on' : 'off'}) it is told to ask for a new one, while the first still changes the password`, async ({ page, browser }) => {
    const temporary = javaScriptEnabled ? 'K4PX9MZ2QT7WRN3H' : 'W3TN8QZ5KX2PMR7H';
    const { creds } = await newStaffMember({ temporaryPassword: temporary });
    await signInAsAgencyUser(page, creds);
    await expect(page).toHaveURL(/\/change-password$/);

    // Whoever overheard it on the phone, trying it in their own browser.
    const other = await browser.newContext({ javaScriptEnabled });
    try {
      const otherPage = await other.newPage();
      await signInAsAgencyUser(otherPage, creds);
      await expect(otherPage.locator('.error-summary')).toContainText('Your temporary password has been used to sign in already, and works only once');
      await expect(otherPage).toHaveURL(/\/login/);
      expect((await otherPage.request.get('/api/me')).status()).toBe(401);
    } finally {
      await other.close();
    }

    await page.getByLabel('Current password').fill(temporary);
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page).toHaveURL(/\/account\?done=password-changed\.\d+\.[\w-]+$/);
  });
}

for (const javaScriptEnabled of [true, false]) {
  test(`[STAFF] an admin's temporary password opens the account while strangers hold it locked (JavaScript ${javaScriptEnabled ? 'on' : 'off'}); a wrong one is still refused (review r52d F1)`, async ({ browser }) => {
    const temporary = javaScriptEnabled ? 'M8QT3KX7PZ2WRN4H' : 'T6KW2QX9MZ4PRN8H';
    const { user, creds } = await newStaffMember({ temporaryPassword: temporary });
    // A stranger paced guesses into the hard lock (as known-device-lockout drives it), from no browser of the owner's.
    await db().user.update({ where: { id: user.id }, data: { failedSignInCount: 20, lockedUntil: new Date(Date.now() + 3_600_000), hardLockedAt: new Date() } });

    const context = await browser.newContext({ javaScriptEnabled });
    try {
      const page = await context.newPage();
      await signInAsAgencyUser(page, { ...creds, password: temporary.toLowerCase() });
      await expect(page.locator('.error-summary')).toBeVisible();
      await expect(page).toHaveURL(/\/login/);
      await signInAsAgencyUser(page, creds);
      await expect(page).toHaveURL(/\/change-password$/);
      await expect(page.getByText('You signed in with a temporary password')).toBeVisible();
      expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ hardLockedAt: null, lockedUntil: null, failedSignInCount: 0 });
    } finally {
      await context.close();
    }
  });
}

test('[STAFF] Back from the password change to the sign-in page minutes later, without JavaScript: the temporary password typed again goes on to the password change, not “already used” (review r53a F1)', async ({ browser }) => {
  const temporary = 'R7XK3QW9MZ2TPN4H';
  const { user, creds, context, page } = await atPasswordChangeWithoutJavaScript(browser, temporary);
  try {
    // Minutes pass: the sign-in is no copy of a form sent moments ago.
    await db().authSession.updateMany({ where: { userId: user.id }, data: { createdAt: new Date(Date.now() - 5 * 60_000) } });
    await page.goBack();
    await expect(page).toHaveURL(/\/login/);
    await signInAsAgencyUser(page, creds);
    await expect(page).toHaveURL(/\/change-password$/);
    expect(await db().authSession.count({ where: { userId: user.id, endedAt: null } })).toBe(1);
    await page.getByLabel('Current password').fill(temporary);
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page).toHaveURL(/\/account\?done=password-changed\.\d+\.[\w-]+$/);
  } finally {
    await context.close();
  }
});

test('[STAFF] pressing Sign in twice without JavaScript, with a temporary password, lands on the password change, not on “already used”: one live session, the password used once (review r44a F3)', async ({ browser }) => {
  const temporary = 'T6WQ2MX9KR4PZN7H';
  const { user, creds } = await newStaffMember({ temporaryPassword: temporary });
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Provider code').fill(creds.providerCode);
    await page.getByLabel('Login name').fill(creds.loginName);
    const password = page.getByLabel('Password', { exact: true });
    await password.fill(creds.password);
    const posts = await pressTwice(page, '/login', password);
    await expect(page).toHaveURL(/\/change-password$/);
    expect(posts()).toBe(2);
    await expect(page.getByText('You signed in with a temporary password')).toBeVisible();
    expect(await db().authSession.count({ where: { userId: user.id, endedAt: null } })).toBe(1);
  } finally {
    await context.close();
  }
});

test('[STAFF] pressing Change password twice without JavaScript lands on the account page, “changed once”, not on “current password not right”: changed once, no failure counted', async ({ browser }) => {
  const temporary = 'M3XK8QW2RT5ZNP7H';
  const { user, context, page } = await atPasswordChangeWithoutJavaScript(browser, temporary);
  try {
    await page.getByLabel('Current password').fill(temporary);
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    const confirm = page.getByLabel('Confirm new password');
    await confirm.fill(NEW_PASSWORD);
    const posts = await pressTwice(page, '/change-password', confirm);
    await expect(page).toHaveURL(/\/account\?done=password-changed-once\.\d+\.[\w-]+$/);
    expect(posts()).toBe(2);
    await expect(page.getByText('The form was sent twice: your password was changed once, when it was first sent')).toBeVisible();
    const audited = await db().auditEvent.findMany({ where: { targetId: user.id, action: { in: ['PASSWORD_CHANGED', 'PASSWORD_CHANGE_FAILURE'] } }, select: { action: true } });
    expect(audited.map((event) => event.action)).toEqual(['PASSWORD_CHANGED']);
  } finally {
    await context.close();
  }
});

for (const javaScriptEnabled of [true, false]) {
  test(`[STAFF] two tabs of the password change (JavaScript ${javaScriptEnabled ? 'on' : 'off'}): once one has changed it, the other is told the account changed, and its old password counts as no failure (review r48c F3)`, async ({ browser }) => {
    const temporary = javaScriptEnabled ? 'H5QW8MZ3KT2XRN7P' : 'P2XR7KW4QZ9MTN3H';
    const { user, creds } = await newStaffMember({ temporaryPassword: temporary });
    const context = await browser.newContext({ javaScriptEnabled });
    try {
      const first = await context.newPage();
      await signInAsAgencyUser(first, creds);
      await expect(first).toHaveURL(/\/change-password$/);
      const second = await context.newPage();
      await second.goto('/change-password');
      for (const [tab, newPassword] of [
        [first, NEW_PASSWORD],
        [second, 'amber orchard river falcon'],
      ] as const) {
        await tab.getByLabel('Current password').fill(temporary);
        await tab.getByLabel('New password', { exact: true }).fill(newPassword);
        await tab.getByLabel('Confirm new password').fill(newPassword);
        await tab.getByRole('button', { name: 'Change password' }).click();
        if (tab === first) await expect(first).toHaveURL(/\/account\?done=password-changed\./);
      }
      await expect(second.locator('.error-summary')).toContainText('Your account changed after this page was opened');
      const audited = await db().auditEvent.findMany({ where: { targetId: user.id, action: { in: ['PASSWORD_CHANGED', 'PASSWORD_CHANGE_FAILURE'] } }, select: { action: true } });
      expect(audited.map((event) => event.action)).toEqual(['PASSWORD_CHANGED']);
      // Opened again, the page asks for the password set in the first tab, and takes it.
      await second.goto('/change-password');
      await second.getByLabel('Current password').fill(NEW_PASSWORD);
      await second.getByLabel('New password', { exact: true }).fill('amber orchard river falcon');
      await second.getByLabel('Confirm new password').fill('amber orchard river falcon');
      await second.getByRole('button', { name: 'Change password' }).click();
      await expect(second).toHaveURL(/\/account\?done=password-changed\./);
    } finally {
      await context.close();
    }
  });
}

test('[STAFF] a password change page drawn for one account, sent after another signed in on the same browser without JavaScript, is refused for a reload: neither account changed or counted (review r48e F3)', async ({ browser }) => {
  const [first, second] = [await newStaffMember({ temporaryPassword: 'K4TZ8QN2XW7MRP3H' }), await newStaffMember({ temporaryPassword: 'W9PX3MK7RZ2QTN5H' })];
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const firstTab = await context.newPage();
    await signInAsAgencyUser(firstTab, first.creds);
    await expect(firstTab).toHaveURL(/\/change-password$/);
    // The shared computer: the first person walks away; the next signs out and in again in another tab.
    const secondTab = await context.newPage();
    await secondTab.goto('/change-password');
    await secondTab.getByRole('button', { name: 'Sign out' }).click();
    await expect(secondTab).toHaveURL(/\/login\?done=/);
    await signInAsAgencyUser(secondTab, second.creds);
    await expect(secondTab).toHaveURL(/\/change-password$/);

    // The first person's page is sent with the first person's password, now under the second's session.
    await firstTab.getByLabel('Current password').fill(first.creds.password);
    await firstTab.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await firstTab.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await firstTab.getByRole('button', { name: 'Change password' }).click();
    await expect(firstTab.locator('.error-summary')).toContainText('Another account has signed in on this browser since this page was opened, so nothing was done');
    const audited = await db().auditEvent.count({
      where: { targetId: { in: [first.user.id, second.user.id] }, action: { in: ['PASSWORD_CHANGED', 'PASSWORD_CHANGE_FAILURE'] } },
    });
    expect(audited).toBe(0);
    const hashes = await db().user.findMany({ where: { id: { in: [first.user.id, second.user.id] } }, select: { passwordHash: true } });
    expect(hashes.map((user) => user.passwordHash).sort()).toEqual([first.user.passwordHash, second.user.passwordHash].sort());

    // Reloaded, the page is the second person's, and takes the second person's password.
    await firstTab.goto('/change-password');
    await firstTab.getByLabel('Current password').fill(second.creds.password);
    await firstTab.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await firstTab.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await firstTab.getByRole('button', { name: 'Change password' }).click();
    await expect(firstTab).toHaveURL(/\/account\?done=password-changed\./);
    expect(await db().auditEvent.count({ where: { targetId: second.user.id, action: 'PASSWORD_CHANGED' } })).toBe(1);
  } finally {
    await context.close();
  }
});

test('the new password must pass the policy; the form says why and keeps nothing typed', async ({ page }) => {
  const temporary = 'R8NW3KQ5ZT2MXP4H';
  const { creds } = await newStaffMember({ temporaryPassword: temporary });
  await signInAsAgencyUser(page, creds);
  await expect(page).toHaveURL(/\/change-password$/);
  await page.getByLabel('Current password').fill(temporary);
  await page.getByLabel('New password', { exact: true }).fill('too short');
  await page.getByLabel('Confirm new password').fill('too short');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('.error-summary')).toContainText('at least 15 characters');
  await expect(page.getByLabel('New password', { exact: true })).toHaveValue('');
  await expect(page).toHaveURL(/\/change-password$/);
});

test('an expired temporary password cannot sign in and says to use the newest reset link or contact the provider administrator', async ({ page }) => {
  const { creds } = await newStaffMember({ temporaryPassword: 'M4KX7QZ2PW9RTN3H', temporaryExpiresAt: new Date(Date.now() - 60_000) });
  await signInAsAgencyUser(page, creds);
  await expect(page.locator('.error-summary')).toContainText('Use the newest link if you have one; otherwise contact your provider administrator');
  await expect(page).toHaveURL(/\/login/);
});

test('[STAFF] the demo user with a pending temporary password is sent to change it', async ({ page }) => {
  await signInAsAgencyUser(page, { providerCode: 'ACME-NY', loginName: 'temp.tran', password: DEMO_TEMPORARY_PASSWORD });
  await expect(page).toHaveURL(/\/change-password$/);
});
