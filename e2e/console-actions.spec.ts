// The admin user page: each action's result is announced and takes focus; a role change asks
// first (with or without JavaScript) and mails a receipt to the account and the super admins.
import { addTotpFactor, createAgency, createUser, uniqueSuffix } from '@/prisma/factories';
import { expectNoAxeViolations } from './support/axe';
import { db, TEST_PASSWORD } from './support/data';
import { waitForMail } from './support/mailbox';
import { nextTotpCode } from './support/second-factor';
import { expect, signInAsAgencyUser, test } from './support/test';

/** The field a raise's "yes" asks the acting super admin to fill with their own code (review r55g F1). */
const OWN_CODE = 'Your code: from your app, or one of your recovery codes';

/**
 * An agency of its own: a super admin who acts, a second one who gets receipts, and a staff member with an
 * address and (`withFactor`, so an admin role may be given) an authenticator app.
 */
async function agencyWithStaff({ withFactor = true } = {}) {
  const agency = await createAgency(db());
  const suffix = uniqueSuffix();
  const actor = await createUser(db(), agency.id, TEST_PASSWORD, { role: 'SUPER_ADMIN', loginName: `sue.${suffix}`, displayName: 'Sue Super', email: `sue.${suffix}@console.example` });
  const other = await createUser(db(), agency.id, TEST_PASSWORD, { role: 'SUPER_ADMIN', loginName: `omar.${suffix}`, displayName: 'Omar Other', email: `omar.${suffix}@console.example` });
  const staff = await createUser(db(), agency.id, TEST_PASSWORD, { loginName: `casey.${suffix}`, displayName: 'Casey Staff', email: `casey.${suffix}@console.example` });
  if (withFactor) await addTotpFactor(db(), { userId: staff.id });
  return { agency, actor, other, staff, creds: { providerCode: agency.code, loginName: actor.loginName, password: TEST_PASSWORD } };
}

const roleOf = async (id: string) => (await db().user.findUniqueOrThrow({ where: { id }, select: { role: true } })).role;

test('[SUPER_ADMIN] a role change asks first, then changes, announces it with focus and mails the account and the super admins', async ({ page }) => {
  const { staff, other, actor, creds } = await agencyWithStaff();
  await signInAsAgencyUser(page, creds);
  await expect(page).toHaveURL(/\/account$/);
  await page.goto(`/admin/users/${staff.id}`);

  await page.getByRole('button', { name: 'Make provider administrator' }).click();
  const confirm = page.getByTestId('role-change-confirm');
  await expect(confirm).toContainText('Make Casey Staff a provider administrator?');
  await expect(confirm.locator('p[tabindex="-1"]')).toBeFocused();
  await expectNoAxeViolations(page);
  expect(await roleOf(staff.id)).toBe('STAFF');

  // "Cancel" changes nothing and says so.
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  const result = page.getByTestId('action-result');
  await expect(result).toContainText('Nothing changed: Casey Staff is still a staff member.');
  await expect(result).toBeFocused();
  expect(await roleOf(staff.id)).toBe('STAFF');

  await page.getByRole('button', { name: 'Make provider administrator' }).click();
  // The session alone makes no one an administrator: the "yes" asks for the super admin's own code.
  await page.getByRole('button', { name: 'Yes, make Casey Staff a provider administrator' }).click();
  await expect(confirm.getByRole('alert')).toContainText('Confirm it is you first.');
  await expect(confirm.getByRole('alert')).toBeFocused();
  await expect(confirm.getByLabel(OWN_CODE)).toHaveAttribute('aria-invalid', 'true');
  expect(await roleOf(staff.id)).toBe('STAFF');
  await confirm.getByLabel(OWN_CODE).fill(await nextTotpCode({ userId: actor.id }));
  await page.getByRole('button', { name: 'Yes, make Casey Staff a provider administrator' }).click();
  await expect(result).toContainText('Casey Staff is now a provider administrator');
  await expect(result).toBeFocused();
  await expect(page.locator('dl.summary')).toContainText('Provider administrator');
  expect(await roleOf(staff.id)).toBe('PROVIDER_ADMIN');

  for (const to of [staff.email!, other.email!, actor.email!]) {
    const mail = await waitForMail({ to, subjectIncludes: 'CareNotes role changed' });
    expect(mail.text).toContain('from Staff to Provider administrator');
    expect(mail.text).toContain('Sue Super');
  }
});

test('[SUPER_ADMIN] without JavaScript the role change still asks, and only "yes" with the super admin’s own code changes it', async ({ browser }) => {
  const { staff, actor, creds } = await agencyWithStaff();
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await signInAsAgencyUser(page, creds);
    await expect(page).toHaveURL(/\/account$/);
    await page.goto(`/admin/users/${staff.id}`);
    await page.getByRole('button', { name: 'Make super administrator' }).click();
    await expect(page.getByTestId('role-change-confirm')).toContainText('Make Casey Staff a super administrator?');
    expect(await roleOf(staff.id)).toBe('STAFF');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByText('Nothing changed: Casey Staff is still a staff member.')).toBeVisible();
    expect(await roleOf(staff.id)).toBe('STAFF');

    await page.getByRole('button', { name: 'Make super administrator' }).click();
    // A wrong code: the question is asked again, with what was wrong, and nothing changes.
    await page.getByLabel(OWN_CODE).fill('000000');
    await page.getByRole('button', { name: 'Yes, make Casey Staff a super administrator' }).click();
    await expect(page.getByText('That code is not right, or it was already used.', { exact: false })).toBeVisible();
    expect(await roleOf(staff.id)).toBe('STAFF');
    await page.getByLabel(OWN_CODE).fill(await nextTotpCode({ userId: actor.id }));
    await page.getByRole('button', { name: 'Yes, make Casey Staff a super administrator' }).click();
    await expect(page.getByText('Casey Staff is now a super administrator')).toBeVisible();
    expect(await roleOf(staff.id)).toBe('SUPER_ADMIN');
  } finally {
    await context.close();
  }
});

test('[SUPER_ADMIN] a staff member with no second factor is not made an admin: the page says why and what to do (review r41c F1)', async ({ page }) => {
  const { staff, creds } = await agencyWithStaff({ withFactor: false });
  await signInAsAgencyUser(page, creds);
  await page.goto(`/admin/users/${staff.id}`);
  await page.getByRole('button', { name: 'Make provider administrator' }).click();
  const result = page.getByTestId('action-result');
  await expect(result).toContainText('Casey Staff has no second factor yet, so they cannot be made a provider administrator');
  await expect(result).toContainText('Nothing was changed.');
  await expect(page.getByTestId('role-change-confirm')).toHaveCount(0);
  expect(await roleOf(staff.id)).toBe('STAFF');
});

test('[SUPER_ADMIN] without JavaScript the password reset still asks, and only "yes" issues the temporary password', async ({ browser }) => {
  const { staff, creds } = await agencyWithStaff();
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const passwordHash = async () => (await db().user.findUniqueOrThrow({ where: { id: staff.id } })).passwordHash;
  const before = await passwordHash();
  try {
    await signInAsAgencyUser(page, creds);
    await expect(page).toHaveURL(/\/account$/);
    await page.goto(`/admin/users/${staff.id}`);
    await page.getByRole('button', { name: 'Reset password' }).click();
    await expect(page.getByText('Reset Casey Staff’s password?')).toBeVisible();
    expect(await passwordHash()).toBe(before);
    await page.getByRole('link', { name: 'Cancel' }).click();
    await expect(page.getByRole('button', { name: 'Yes, reset the password' })).toHaveCount(0);
    expect(await passwordHash()).toBe(before);

    await page.getByRole('button', { name: 'Reset password' }).click();
    await expect(page.getByTestId('reset-caution')).toHaveCount(0);
    await page.getByRole('button', { name: 'Yes, reset the password' }).click();
    await expect(page.getByTestId('temporary-password')).toHaveText(/^[23456789A-HJ-NP-Z]{16}$/);
    expect(await passwordHash()).not.toBe(before);

    // Asked again (another admin answering the same help request, say), the confirm step says what a reset now ends (review r52d F4).
    await page.goto(`/admin/users/${staff.id}`);
    await page.getByRole('button', { name: 'Reset password' }).click();
    await expect(page.getByTestId('reset-caution')).toContainText('gave a temporary password');
    await expect(page.getByTestId('reset-caution')).toContainText('not used yet: resetting now ends it');
  } finally {
    await context.close();
  }
});

test('[SUPER_ADMIN] a reset confirmed on a page drawn for one admin, after another signed in on the same browser without JavaScript, is refused for a reload: nothing is reset in the other’s name (review r50c F1)', async ({ browser }) => {
  const { staff, other, agency, creds } = await agencyWithStaff();
  const context = await browser.newContext({ javaScriptEnabled: false });
  const passwordHash = async () => (await db().user.findUniqueOrThrow({ where: { id: staff.id } })).passwordHash;
  const before = await passwordHash();
  try {
    const first = await context.newPage();
    await signInAsAgencyUser(first, creds);
    await first.goto(`/admin/users/${staff.id}`);
    await first.getByRole('button', { name: 'Reset password' }).click();
    await expect(first.getByText('Reset Casey Staff’s password?')).toBeVisible();
    // The shared computer: the next admin signs out the first and signs in, in another tab.
    const second = await context.newPage();
    await second.goto('/account');
    await second.getByRole('button', { name: 'Sign out' }).click();
    await signInAsAgencyUser(second, { providerCode: agency.code, loginName: other.loginName, password: TEST_PASSWORD });
    await expect(second).toHaveURL(/\/account$/);

    await first.getByRole('button', { name: 'Yes, reset the password' }).click();
    await expect(first.getByText('Another account has signed in on this browser since this page was opened, so nothing was done.')).toBeVisible();
    await expect(first.getByTestId('temporary-password')).toHaveCount(0);
    expect(await passwordHash()).toBe(before);
    expect(await db().auditEvent.count({ where: { targetId: staff.id, action: 'ADMIN_TEMPORARY_PASSWORD_ISSUED' } })).toBe(0);
  } finally {
    await context.close();
  }
});

test('[SUPER_ADMIN] a role-change request without the confirmation, as no page sends it, changes nothing', async ({ page }) => {
  const { staff, creds } = await agencyWithStaff();
  await signInAsAgencyUser(page, creds);
  await page.goto(`/admin/users/${staff.id}`);
  // Capture the page's own first-step request, then replay it twice at once: each only asks.
  let captured: { url: string; headers: Record<string, string>; body: Buffer } | null = null;
  await page.route(`**/admin/users/${staff.id}`, async (route) => {
    const request = route.request();
    if (request.method() === 'POST' && !captured) captured = { url: request.url(), headers: await request.allHeaders(), body: request.postDataBuffer()! };
    await route.continue();
  });
  await page.getByRole('button', { name: 'Make super administrator' }).click();
  await expect(page.getByTestId('role-change-confirm')).toBeVisible();
  const { url, headers, body } = captured!;
  const sent = Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith(':')));
  const replies = await Promise.all([1, 2, 3].map(() => page.request.fetch(url, { method: 'POST', headers: sent, data: body })));
  for (const reply of replies) expect(reply.status()).toBe(200);
  expect(await roleOf(staff.id)).toBe('STAFF');
  expect(await db().auditEvent.count({ where: { targetId: staff.id, action: 'ADMIN_ROLE_CHANGED' } })).toBe(0);
});

test('[SUPER_ADMIN] e-mails a reset link and sees beside the user whether its mail went out (review r52b F4)', async ({ page }) => {
  const { staff, creds } = await agencyWithStaff({ withFactor: false });
  await signInAsAgencyUser(page, creds);
  await page.goto(`/admin/users/${staff.id}`);
  await expect(page.getByTestId('reset-link-state')).toHaveText('None in the last 30 days');
  await expect(page.getByTestId('reset-link-delivery')).toHaveCount(0);

  await page.getByRole('button', { name: 'E-mail a reset link instead' }).click();
  await expect(page.getByTestId('reset-link-state')).toContainText('Not used yet (issued ');
  await expect(page.getByTestId('reset-link-state')).toContainText('by Sue Super');

  // The app's worker sends it on its own: wait for its row to say so, then for the person's mailbox.
  const { mailId } = await db().passwordResetToken.findFirstOrThrow({ where: { userId: staff.id, purpose: 'ADMIN_LINK' }, select: { mailId: true } });
  const mailStatus = async () => (await db().outboxMessage.findUniqueOrThrow({ where: { id: mailId! }, select: { status: true } })).status;
  await expect.poll(mailStatus, { timeout: 20_000 }).toBe('SENT');
  await waitForMail({ to: staff.email!, subjectIncludes: 'Your CareNotes password reset link' });

  await page.reload();
  const delivery = page.getByTestId('reset-link-delivery');
  await expect(delivery).toContainText('The link’s e-mail: Sent at ');
  await expect(delivery).toContainText('(handed to the mail server).');
  await expectNoAxeViolations(page);
});

test('[SUPER_ADMIN] unlock, disable and enable say what happened, and focus moves to what they said', async ({ page }) => {
  const { staff, creds } = await agencyWithStaff();
  await db().user.update({ where: { id: staff.id }, data: { hardLockedAt: new Date(), failedSignInCount: 20 } });
  await signInAsAgencyUser(page, creds);
  await page.goto(`/admin/users/${staff.id}`);
  const result = page.getByTestId('action-result');

  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(result).toContainText('The account is unlocked');
  await expect(result).toBeFocused();
  await expect(page.getByRole('button', { name: 'Unlock' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Disable account' }).click();
  await expect(result).toContainText('The account is disabled');
  await expect(result).toBeFocused();
  await expect(page.locator('dl.summary')).toContainText('Disabled');
  // No reset is offered to a disabled account, only why (review r43e F2): each would be refused.
  await expect(page.getByText('This account is disabled. Enable it first, then reset the password, send a reset link or clear the second factors.')).toBeVisible();
  await expect(page.getByRole('button', { name: /^(Reset password|E-mail a reset link instead|Clear second factors)$/ })).toHaveCount(0);

  await page.getByRole('button', { name: 'Enable account' }).click();
  await expect(result).toContainText('The account is enabled');
  await expect(result).toBeFocused();

  await page.getByRole('button', { name: 'Reset password' }).click();
  await page.getByRole('button', { name: 'Yes, reset the password' }).click();
  await expect(page.getByTestId('reset-result')).toBeFocused();
  await expectNoAxeViolations(page);
});
