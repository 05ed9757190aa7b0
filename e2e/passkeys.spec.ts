// Passkey journeys; the virtual authenticator and the enrolment steps are in ./support/passkeys.
import type { Page } from '@playwright/test';
import { RECOVERY_CODE_ONLY_LABEL, RECOVERY_CODE_TO_ADD_PASSKEY_LABEL } from '@/components/mfa/fresh-code-label';
import { totpCodeFor, totpStep } from '@/lib/mfa/totp';
import { hashPassword } from '@/lib/password/hash';
import { createAgency, createUser, createVendorAccount, uniqueSuffix } from '@/prisma/factories';
import { expectNoAxeViolations } from './support/axe';
import { db, TEST_PASSWORD } from './support/data';
import { addPasskeyByKeyboard, addVirtualAuthenticator, signInAndAddPasskey, signOut } from './support/passkeys';
import { addAppForm, agencyOwner, ensureTotpFactor } from './support/second-factor';
import { expect, signInAsAgencyUser, signInAsVendor, test } from './support/test';

async function expectPasswordlessSignInAudited(targetId: string) {
  const audit = await db().auditEvent.findFirstOrThrow({ where: { targetId, action: 'SIGN_IN_SUCCESS' }, orderBy: { createdAt: 'desc' } });
  expect(JSON.parse(audit.details!)).toMatchObject({ factor: 'PASSKEY', passwordless: true });
}

async function newAccount(role: 'STAFF' | 'PROVIDER_ADMIN' | 'SUPER_ADMIN') {
  const agency = await createAgency(db());
  const user = await createUser(db(), agency.id, TEST_PASSWORD, { role, loginName: `pk.${uniqueSuffix()}`, email: `pk.${uniqueSuffix()}@example.test` });
  return { agency, user, creds: { providerCode: agency.code, loginName: user.loginName, password: TEST_PASSWORD } };
}

/**
 * A super admin adds a passkey, the agency holds admins to passkeys, and they sign in again with it: the passkey is now
 * one held before the session, as a fresh factor must be.
 */
async function heldToPasskeysAndSignedInWithOne(page: Page, agencyId: string, creds: { providerCode: string; loginName: string; password: string }) {
  await signInAndAddPasskey(page, creds, 'Laptop');
  await db().agency.update({ where: { id: agencyId }, data: { requirePasskeyForAdmins: true } });
  await signOut(page);
  await page.goto('/login');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page).toHaveURL(/\/account$/);
}

test('[STAFF] adds a passkey at /account/security by keyboard, signs out, and signs in with it and no password', async ({ page }) => {
  const { user, creds } = await newAccount('STAFF');
  await addVirtualAuthenticator(page);
  await signInAsAgencyUser(page, creds);
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/account/security');
  await expectNoAxeViolations(page);
  await addPasskeyByKeyboard(page, 'Work laptop');
  // The first factor brings its recovery codes, shown once.
  await expect(page.getByTestId('recovery-codes').getByRole('listitem')).toHaveCount(10);
  await page.getByRole('link', { name: 'I have saved my recovery codes' }).click();
  await expect(page.getByRole('cell', { name: 'Work laptop' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Passkey' })).toBeVisible();
  await expectNoAxeViolations(page);
  const stored = await db().mfaFactor.findFirstOrThrow({ where: { userId: user.id, kind: 'PASSKEY' } });
  expect(stored.credentialId).toBeTruthy();

  await signOut(page);
  await page.goto('/login');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expectPasswordlessSignInAudited(user.id);
});

test('[PROVIDER_ADMIN] signs in with a passkey alone into the console, and a passkey finishes /login/verify after the password', async ({ page }) => {
  const { user, creds } = await newAccount('PROVIDER_ADMIN');
  await signInAndAddPasskey(page, creds, 'Office PC');
  await signOut(page);

  await page.goto('/login');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/admin$/);
  await signOut(page);

  await signInAsAgencyUser(page, creds, { verify: false });
  await expect(page).toHaveURL(/\/login\/verify$/);
  await expectNoAxeViolations(page);
  // By keyboard: the passkey button is reachable and pressed with Enter.
  await page.getByRole('button', { name: 'Use a passkey' }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/account$/);
  const audit = await db().auditEvent.findFirstOrThrow({ where: { targetId: user.id, action: 'SIGN_IN_SECOND_FACTOR_SUCCESS' }, orderBy: { createdAt: 'desc' } });
  expect(JSON.parse(audit.details!)).toMatchObject({ factor: 'PASSKEY' });
});

test('[ATTACKER with a borrowed session] cannot add a passkey beside the owner’s app without a code from it', async ({ page }) => {
  const { user, creds } = await newAccount('STAFF');
  await ensureTotpFactor({ userId: user.id });
  await addVirtualAuthenticator(page);
  await signInAsAgencyUser(page, creds);
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/account/security');
  await page.getByLabel('Name for this passkey').fill('Planted');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(page.locator('.error-summary')).toContainText('Confirm it is you first');
  expect(await db().mfaFactor.count({ where: { userId: user.id, kind: 'PASSKEY' } })).toBe(0);
  await expectNoAxeViolations(page);
  // The owner, with the app's code, adds it.
  await page.getByLabel('Name for this passkey').fill('');
  await addPasskeyByKeyboard(page, 'Laptop', { userId: user.id });
  expect(await db().mfaFactor.count({ where: { userId: user.id, kind: 'PASSKEY' } })).toBe(1);
});

test('[ATTACKER with a borrowed session] cannot add a first passkey without the account’s password; the owner types it', async ({ page }) => {
  const { user, creds } = await newAccount('STAFF');
  await addVirtualAuthenticator(page);
  await signInAsAgencyUser(page, creds);
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/account/security');
  const addPasskey = page.locator('form', { has: page.getByRole('button', { name: 'Add a passkey' }) });
  await addPasskey.getByLabel('Name for this passkey').fill('Planted');
  // Asked before the browser makes a passkey at all.
  await addPasskey.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(addPasskey.locator('.error-summary')).toContainText('Type your password');
  // A guess: the browser makes the passkey, the portal does not keep it.
  await addPasskey.getByLabel('Your password').fill('Password1234');
  await addPasskey.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(addPasskey.locator('.error-summary')).toContainText('Your password is not right');
  await expect(addPasskey.getByLabel('Your password')).toHaveValue('');
  expect(await db().mfaFactor.count({ where: { userId: user.id } })).toBe(0);
  expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'CURRENT_PASSWORD_FAILURE' } })).toBe(1);
  await expectNoAxeViolations(page);
  await addPasskey.getByLabel('Name for this passkey').fill('');
  await addPasskeyByKeyboard(page, 'Laptop');
  expect(await db().mfaFactor.count({ where: { userId: user.id, kind: 'PASSKEY', confirmedAt: { not: null } } })).toBe(1);
});

test('[STAFF] a disabled account cannot sign in with its passkey: the one generic message', async ({ page }) => {
  const { user, creds } = await newAccount('STAFF');
  await signInAndAddPasskey(page, creds, 'Laptop');
  await signOut(page);
  await db().user.update({ where: { id: user.id }, data: { status: 'DISABLED' } });
  await page.goto('/login');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The details you entered are not right' })).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
});

test('[STAFF] removing a passkey asks for a fresh factor, which the passkey itself can give once held before the sign-in', async ({ page }) => {
  const { user, creds } = await newAccount('STAFF');
  await signInAndAddPasskey(page, creds, 'Laptop');
  // Added in this session, it proves nothing about the factors yet (a borrowed session could add one).
  await page.goto('/account/security');
  const early = page.getByRole('region', { name: 'Remove Laptop' });
  await early.getByRole('button', { name: 'Use a passkey instead' }).click();
  await expect(early.locator('.error-summary')).toContainText('That code is not right');
  expect(await db().mfaFactor.count({ where: { userId: user.id } })).toBe(1);
  // Signed in again (with it), the passkey is the owner's.
  await signOut(page);
  await page.goto('/login');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/account/security');
  const remove = page.getByRole('region', { name: 'Remove Laptop' });
  await remove.getByRole('button', { name: 'Remove Laptop' }).click();
  await expect(remove.locator('.error-summary')).toContainText('Confirm it is you first');
  expect(await db().mfaFactor.count({ where: { userId: user.id } })).toBe(1);
  await remove.getByRole('button', { name: 'Use a passkey instead' }).click();
  // The page is drawn again from what is on record: no factor left.
  await expect(page.getByText('None yet.')).toBeVisible();
  expect(await db().mfaFactor.count({ where: { userId: user.id } })).toBe(0);
  expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'SECOND_FACTOR_REMOVED' } })).toBe(1);
});

test('[STAFF with a passkey from before] adds an authenticator app with “Use a passkey instead” as the proof it is them; with no proof, nothing is added', async ({ page }) => {
  const { user, creds } = await newAccount('STAFF');
  await signInAndAddPasskey(page, creds, 'Laptop');
  await signOut(page);
  await page.goto('/login');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/account/security');
  const addApp = addAppForm(page);
  await addApp.getByLabel('Name for this app').fill('Phone');
  // The account held a passkey before this session: the form asks for it, or a code.
  await addApp.getByRole('button', { name: 'Add an authenticator app' }).click();
  await expect(addApp.locator('.error-summary')).toContainText('Confirm it is you first');
  await expect(page.getByRole('heading', { name: 'Set up “Phone”' })).toHaveCount(0);
  // What was typed stays; only the proof is missing.
  await expect(addApp.getByLabel('Name for this app')).toHaveValue('Phone');
  await addApp.getByRole('button', { name: 'Use a passkey instead' }).click();
  await expect(page.getByRole('heading', { name: 'Set up “Phone”' })).toBeVisible();
  const secret = (await page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '');
  await page.getByLabel('The 6-digit code your app shows').fill(await totpCodeFor(secret, totpStep(new Date())));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your authenticator app has been added.' })).toBeVisible();
  expect(await db().mfaFactor.count({ where: { userId: user.id, kind: 'TOTP', confirmedAt: { not: null } } })).toBe(1);
});

test('[SUPER_ADMIN] "require passkeys for admins": refused to one without a passkey (nobody could turn it off); once on, an admin without one enrols first', async ({ page }) => {
  const { agency, creds } = await newAccount('SUPER_ADMIN');
  await addVirtualAuthenticator(page);
  await signInAsAgencyUser(page, creds);
  await page.goto('/admin/policy');
  await page.getByLabel('Administrators must sign in with a passkey').check();
  await page.getByRole('button', { name: 'Save policy' }).click();
  await expect(page.locator('.error-summary')).toContainText('Add a passkey to your own account first');
  await expectNoAxeViolations(page);
  expect((await db().agency.findUniqueOrThrow({ where: { id: agency.id } })).requirePasskeyForAdmins).toBe(false);

  // Another super admin, with a passkey of their own, turns it on.
  await db().agency.update({ where: { id: agency.id }, data: { requirePasskeyForAdmins: true } });
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/account\/security$/);
  await expect(page.getByText('Your agency requires administrators to have a passkey')).toBeVisible();
  await expectNoAxeViolations(page);
  await addPasskeyByKeyboard(page, 'Security key', (await agencyOwner(creds))!.owner);
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/admin$/);
});

test('[SUPER_ADMIN held to passkeys] is asked for a recovery code, not an app code, and clears another account’s factors with the passkey', async ({ page }) => {
  const { agency, creds } = await newAccount('SUPER_ADMIN');
  await heldToPasskeysAndSignedInWithOne(page, agency.id, creds);
  await page.goto('/account/security');
  // Where a passkey button stands beside the field, the code is the fallback; the add-passkey form has none, and says so.
  await expect(page.getByRole('region', { name: 'Remove Laptop' }).getByLabel(RECOVERY_CODE_ONLY_LABEL)).toBeVisible();
  await expect(page.getByLabel(RECOVERY_CODE_TO_ADD_PASSKEY_LABEL)).toBeVisible();
  await expect(page.getByLabel('Code from your app, or a recovery code')).toHaveCount(0);

  const staff = await createUser(db(), agency.id, TEST_PASSWORD, { loginName: `lost.${uniqueSuffix()}` });
  await ensureTotpFactor({ userId: staff.id });
  await page.goto(`/admin/users/${staff.id}`);
  await page.getByRole('button', { name: 'Clear second factors' }).click();
  await expect(page.getByLabel(RECOVERY_CODE_ONLY_LABEL)).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Use your passkey instead' }).click();
  await expect(page.getByTestId('temporary-password')).toHaveText(/^[23456789A-HJ-NP-Z]{16}$/);
  expect(await db().mfaFactor.count({ where: { userId: staff.id } })).toBe(0);
  const cleared = await db().auditEvent.findFirstOrThrow({ where: { targetId: staff.id, action: 'ADMIN_SECOND_FACTORS_CLEARED' } });
  expect(JSON.parse(cleared.details!)).toMatchObject({ confirmedWith: 'PASSKEY' });
});

test('[SUPER_ADMIN held to passkeys] makes a staff member an administrator, and turns the passkey rule off, confirming each with the passkey (review r55g F1)', async ({ page }) => {
  const { agency, user, creds } = await newAccount('SUPER_ADMIN');
  await heldToPasskeysAndSignedInWithOne(page, agency.id, creds);

  const staff = await createUser(db(), agency.id, TEST_PASSWORD, { loginName: `raised.${uniqueSuffix()}`, displayName: 'Rae Raised' });
  await ensureTotpFactor({ userId: staff.id });
  await page.goto(`/admin/users/${staff.id}`);
  await page.getByRole('button', { name: 'Make provider administrator' }).click();
  const confirm = page.getByTestId('role-change-confirm');
  await expect(confirm.getByLabel(RECOVERY_CODE_ONLY_LABEL)).toBeVisible();
  await expectNoAxeViolations(page);
  // The passkey's answer is sent as a press of "yes".
  await confirm.getByRole('button', { name: 'Use your passkey instead' }).click();
  await expect(page.getByTestId('action-result')).toContainText('Rae Raised is now a provider administrator');
  const raised = await db().auditEvent.findFirstOrThrow({ where: { targetId: staff.id, action: 'ADMIN_ROLE_CHANGED' } });
  expect(JSON.parse(raised.details!)).toEqual({ from: 'STAFF', to: 'PROVIDER_ADMIN', confirmedWith: 'PASSKEY' });

  await page.goto('/admin/policy');
  await page.getByLabel('Administrators must sign in with a passkey').uncheck();
  await page.getByRole('button', { name: 'Save policy' }).click();
  await expect(page.getByTestId('policy-looser')).toContainText('was on, now off');
  await expect(page.getByLabel(RECOVERY_CODE_ONLY_LABEL)).toBeVisible();
  await page.getByRole('button', { name: 'Use your passkey instead' }).click();
  await expect(page.getByTestId('policy-saved')).toBeVisible();
  expect((await db().agency.findUniqueOrThrow({ where: { id: agency.id } })).requirePasskeyForAdmins).toBe(false);
  const saved = await db().auditEvent.findFirstOrThrow({ where: { agencyId: agency.id, actorId: user.id, action: 'AGENCY_POLICY_UPDATED' } });
  expect(JSON.parse(saved.details!)).toMatchObject({ requirePasskeyForAdmins: 'true -> false', confirmedWith: 'PASSKEY' });
});

test('[VERIFIER] adds a passkey at /vendor/security; /vendor/login then offers it through autofill and signs in with it', async ({ page }) => {
  const account = await createVendorAccount(db(), 'VERIFIER', TEST_PASSWORD);
  await addVirtualAuthenticator(page, { autofill: true });
  await signInAsVendor(page, { email: account.email, password: TEST_PASSWORD });
  await expect(page).toHaveURL(/\/vendor$/);
  await page.goto('/vendor/security');
  await expectNoAxeViolations(page);
  await addPasskeyByKeyboard(page, 'Vendor laptop', { vendorAccountId: account.id });
  await page.context().clearCookies();
  // The login field asks for autofill with passkeys once it has focus; the virtual authenticator picks the one it has at once.
  await page.goto('/vendor/login');
  await expect(page.getByLabel('Work e-mail address')).toHaveAttribute('autocomplete', 'username webauthn');
  await page.getByLabel('Work e-mail address').focus();
  await expect(page).toHaveURL(/\/vendor$/);
  await expectPasswordlessSignInAudited(account.id);
});

test('[STAFF with a pending temporary password] signs in with a passkey and sets a new password with the passkey, not the temporary one never seen', async ({ page }) => {
  const { user, creds } = await newAccount('STAFF');
  await signInAndAddPasskey(page, creds, 'Laptop');
  await signOut(page);
  // What an admin's reset leaves (lib/admin/issue-temporary-password.ts): a temporary password the person was never told.
  await db().user.update({
    where: { id: user.id },
    data: {
      passwordHash: await hashPassword('HXN47KQ2MZ9PRT3W'),
      mustChangePassword: true,
      temporaryPasswordIssuedAt: new Date(),
      temporaryPasswordExpiresAt: new Date(Date.now() + 3600_000),
      sessionVersion: { increment: 1 },
    },
  });
  await page.goto('/login');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page).toHaveURL(/\/change-password$/);
  await expectNoAxeViolations(page);
  const NEW = 'violet harbour engine meadow';
  await page.getByLabel('New password', { exact: true }).fill(NEW);
  await page.getByLabel('Confirm new password').fill(NEW);
  // By keyboard, as the other passkey buttons.
  await page.getByRole('button', { name: 'Use a passkey instead of the current password' }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/account\?done=password-changed\.\d+\.[\w-]+$/);
  const changed = await db().auditEvent.findFirstOrThrow({ where: { targetId: user.id, action: 'PASSWORD_CHANGED' }, orderBy: { createdAt: 'desc' } });
  expect(JSON.parse(changed.details!)).toMatchObject({ fromTemporaryPassword: true, proof: 'passkey' });
  // The new password is the account's now; the passkey then finishes the sign-in as a second factor.
  await signOut(page);
  await signInAsAgencyUser(page, { ...creds, password: NEW }, { verify: false });
  await expect(page).toHaveURL(/\/login\/verify$/);
  await page.getByRole('button', { name: 'Use a passkey' }).click();
  await expect(page).toHaveURL(/\/account$/);
});
