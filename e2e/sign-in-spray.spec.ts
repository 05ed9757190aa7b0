import type { Browser, Page } from '@playwright/test';
import { DEMO_PASSWORD } from '@/prisma/seed';
import { createAgency, createUser, uniqueSuffix } from '@/prisma/factories';
import { signInAgencyUser } from '@/lib/auth/sign-in';
import { sendDueSprayAlerts, SLOW_AFTER_ACCOUNTS } from '@/lib/auth/sign-in-velocity';
import { db, newStaffMember, TEST_PASSWORD } from './support/data';
import { E2E_BASE_URL } from './support/env';
import { expect, signInAsAgencyUser, signInAsVendor, test } from './support/test';

test('[PROVIDER_ADMIN] after a spray sees the banner and unlocks every locked account with one confirmation; [OPERATOR] sees the agency on /vendor', async ({ page, browser }) => {
  const suffix = uniqueSuffix();
  const agency = await createAgency(db(), { softLockThreshold: 3, signInAlertThreshold: 5, name: `Spray Home Care ${suffix}` });
  const admin = await createUser(db(), agency.id, TEST_PASSWORD, { role: 'PROVIDER_ADMIN', email: `admin.${suffix}@spray.example` });
  await createUser(db(), agency.id, TEST_PASSWORD, { role: 'SUPER_ADMIN', email: `owner.${suffix}@spray.example` });
  const staff = await Promise.all(Array.from({ length: 6 }, () => createUser(db(), agency.id, TEST_PASSWORD)));

  // The spray, through the real sign-in use case: three common passwords per account, rotating addresses.
  let n = 0;
  for (const user of staff) {
    for (const password of ['Password1234', 'Welcome2026!', 'Summer2026!!']) {
      await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password }, `198.51.100.${++n}`);
    }
  }

  await signInAsAgencyUser(page, { providerCode: agency.code, loginName: admin.loginName, password: TEST_PASSWORD });
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/admin');
  const banner = page.getByTestId('failure-locks-banner');
  await expect(banner.getByRole('heading')).toHaveText('6 accounts were locked in the last hour by repeated failed sign-ins');
  // One confirmation: the box must be ticked.
  const confirm = banner.getByLabel(/Yes, unlock these 6 accounts/);
  await banner.getByRole('button', { name: 'Unlock all 6 accounts' }).click();
  expect(await confirm.evaluate((box) => (box as HTMLInputElement).validity.valueMissing)).toBe(true);
  await expect(page.getByTestId('bulk-unlock-result')).toHaveCount(0);
  await banner.getByLabel(/Yes, unlock these 6 accounts/).check();
  await banner.getByRole('button', { name: 'Unlock all 6 accounts' }).click();
  await expect(page.getByTestId('bulk-unlock-result')).toHaveText('6 accounts are unlocked. Passwords have not changed.');
  await page.reload();
  await expect(page.getByTestId('failure-locks-banner')).toHaveCount(0);
  expect(await db().auditEvent.count({ where: { agencyId: agency.id, action: 'ADMIN_ACCOUNT_UNLOCKED', actorId: admin.id } })).toBe(6);

  // The alert is the status round's (every 30 s on the server): run it now rather than wait.
  await sendDueSprayAlerts(db());
  const operatorContext = await browser.newContext();
  try {
    const operator = await operatorContext.newPage();
    await signInAsVendor(operator, { email: 'otto.operator@carenotes.example', password: DEMO_PASSWORD });
    await expect(operator).toHaveURL(/\/vendor$/);
    const row = operator.getByTestId('spray-alerts').getByRole('row', { name: new RegExp(agency.code) });
    await expect(row).toContainText(`Spray Home Care ${suffix}`);
    await expect(row).toContainText('198.51.100.');
  } finally {
    await operatorContext.close();
  }
});

test('[PROVIDER_ADMIN] without JavaScript, a bulk unlock lands on the console saying it is done, and a reload unlocks nothing more (review r34b F1)', async ({ browser }) => {
  const agency = await createAgency(db());
  const admin = await createUser(db(), agency.id, TEST_PASSWORD, { role: 'PROVIDER_ADMIN' });
  const lock = async () => {
    const user = await createUser(db(), agency.id, TEST_PASSWORD);
    const now = new Date();
    return db().user.update({ where: { id: user.id }, data: { failedSignInCount: 5, firstFailedSignInAt: now, lastFailedSignInAt: now, lockedUntil: new Date(now.getTime() + 15 * 60_000) } });
  };
  await lock();
  await lock();
  const context = await browser.newContext({ baseURL: E2E_BASE_URL, javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await signInAsAgencyUser(page, { providerCode: agency.code, loginName: admin.loginName, password: TEST_PASSWORD });
    await expect(page).toHaveURL(/\/account$/);
    await page.goto('/admin');
    const banner = page.getByTestId('failure-locks-banner');
    await banner.getByLabel(/Yes, unlock these 2 accounts/).check();
    await banner.getByRole('button', { name: 'Unlock all 2 accounts' }).click();
    await expect(page).toHaveURL(/\/admin\?done=/);
    await expect(page.getByText('The accounts are unlocked. Passwords have not changed.')).toBeVisible();
    await expect(page.getByTestId('failure-locks-banner')).toHaveCount(0);

    const lockedSince = await lock();
    await page.reload();
    await expect(page.getByTestId('failure-locks-banner').getByRole('heading')).toHaveText('1 account was locked in the last hour by repeated failed sign-ins');
    expect(await db().user.findUniqueOrThrow({ where: { id: lockedSince.id } })).toMatchObject({ lockedUntil: lockedSince.lockedUntil });
    expect(await db().auditEvent.count({ where: { agencyId: agency.id, action: 'ADMIN_ACCOUNT_UNLOCKED' } })).toBe(2);
  } finally {
    await context.close();
  }
});

type UsualAndFresh = {
  user: Awaited<ReturnType<typeof createUser>>;
  creds: { providerCode: string; loginName: string; password: string };
  /** The person's usual browser (JavaScript off), signed in yesterday and signed out: it holds the known-device cookie. */
  usual: Page;
  /** A browser that never signed in as them (JavaScript off). */
  fresh: Page;
};

/** A staff member with their usual browser and a fresh one (decisions 062, 065). */
async function withUsualAndFreshBrowsers(browser: Browser, run: (setting: UsualAndFresh) => Promise<void>) {
  const agency = await createAgency(db());
  const user = await createUser(db(), agency.id, TEST_PASSWORD);
  const creds = { providerCode: agency.code, loginName: user.loginName, password: TEST_PASSWORD };
  const usualContext = await browser.newContext({ baseURL: E2E_BASE_URL, javaScriptEnabled: false });
  const freshContext = await browser.newContext({ baseURL: E2E_BASE_URL, javaScriptEnabled: false });
  try {
    const usual = await usualContext.newPage();
    await signInAsAgencyUser(usual, creds);
    await expect(usual).toHaveURL(/\/account$/);
    const device = (await usualContext.cookies()).find((cookie) => cookie.name === 'portal-known-device');
    expect(device).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(device!.value).not.toContain(TEST_PASSWORD);
    await usualContext.clearCookies({ name: 'next-auth.session-token' });
    await run({ user, creds, usual, fresh: await freshContext.newPage() });
  } finally {
    await usualContext.close();
    await freshContext.close();
  }
}

test('[STAFF] at an address slowed by a spraying machine, signs in from the browser they used before; a fresh browser is told to wait (JavaScript off)', async ({ browser }) => {
  await withUsualAndFreshBrowsers(browser, async ({ user, creds, usual, fresh }) => {
    // Today a machine at the same address sprays the agency, from a browser of its own.
    for (let i = 0; i < SLOW_AFTER_ACCOUNTS; i++) {
      await signInAsAgencyUser(fresh, { providerCode: creds.providerCode, loginName: `spray.${i}`, password: 'Password1234' });
      await expect(fresh.locator('.error-summary, .notice.error').first()).toContainText('not right');
    }
    // The wait, however long the machine took to get here (moved in the database, not slept).
    await db().signInAddressCheck.updateMany({ where: { key: { startsWith: `${user.agencyId}/` } }, data: { lastCheckedAt: new Date(Date.now() + 60_000) } });
    await signInAsAgencyUser(fresh, creds);
    await expect(fresh.locator('.error-summary, .notice.error').first()).toContainText(/Wait \d+ seconds/);

    await signInAsAgencyUser(usual, creds);
    await expect(usual).toHaveURL(/\/account$/);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'SIGN_IN_SUCCESS' } })).toBe(2);
  });
});

test('[STAFF] hard-locked by a stranger’s paced guesses, signs in from the browser they used before; a fresh browser is refused (JavaScript off)', async ({ browser }) => {
  await withUsualAndFreshBrowsers(browser, async ({ user, creds, usual, fresh }) => {
    // Twenty wrong passwords over three hours, each after the last lock ended (decision 065): written, not waited.
    await db().user.update({ where: { id: user.id }, data: { failedSignInCount: 20, lastFailedSignInAt: new Date(), hardLockedAt: new Date() } });

    await signInAsAgencyUser(fresh, creds);
    await expect(fresh.locator('.error-summary, .notice.error').first()).toContainText('not right');

    await signInAsAgencyUser(usual, creds);
    await expect(usual).toHaveURL(/\/account$/);
    expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ hardLockedAt: null, failedSignInCount: 0 });
  });
});

test('[STAFF] locked out by strangers while signed in, changes the password in their own browser; the session cookie copied alone is told the account is locked (review r45d F2)', async ({ browser }) => {
  const { user, creds } = await newStaffMember();
  const own = await browser.newContext();
  const elsewhere = await browser.newContext();
  const changePassword = async (page: Page, from = creds.password, newPassword = 'orchard quartz lantern meadow') => {
    await page.goto('/change-password');
    await page.getByLabel('Current password').fill(from);
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('Confirm new password').fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
  };
  try {
    const page = await own.newPage();
    await signInAsAgencyUser(page, creds);
    await expect(page).toHaveURL(/\/account$/);
    // Strangers' five wrong passwords since, as they leave the account's row.
    const lockedByStrangers = () => {
      const now = new Date();
      return db().user.update({ where: { id: user.id }, data: { failedSignInCount: 5, firstFailedSignInAt: now, lastFailedSignInAt: now, lockedUntil: new Date(now.getTime() + 15 * 60_000) } });
    };
    await lockedByStrangers();
    // The session's cookie, copied into a browser that never signed in as this account: a stranger's tries.
    await elsewhere.addCookies((await own.cookies()).filter((cookie) => cookie.name.endsWith('next-auth.session-token')));
    const copy = await elsewhere.newPage();
    await changePassword(copy);
    await expect(copy.getByText('Your account is locked after too many wrong passwords.', { exact: false })).toBeVisible();
    // The owner's own browser presents its known-device token with the session: its try counts on its own lane.
    await changePassword(page);
    await expect(page).toHaveURL(/\/account\?done=password-changed\.\d+\.[\w-]+$/);
    // The change moved the account's session version, and this session's with it: the browser is still known to the
    // next form, not a stranger until it signs in again (review r46a F1).
    await lockedByStrangers();
    await changePassword(page, 'orchard quartz lantern meadow', 'violet harbour copper quill');
    await expect(page).toHaveURL(/\/account\?done=password-changed\.\d+\.[\w-]+$/);
    // The copied cookie alone was never given the token.
    expect((await elsewhere.cookies()).some((cookie) => cookie.name.endsWith('portal-known-device'))).toBe(false);
  } finally {
    await own.close();
    await elsewhere.close();
  }
});
