import { DEMO_PASSWORD } from '@/prisma/seed';
import { db, newStaffMember } from './support/data';
import { waitForMail } from './support/mailbox';
import { expect, signInAsAgencyUser, signInAsVendor, test } from './support/test';

const GENERIC_REFUSAL = /The details you entered are not right/;

test('[STAFF] demo staff member can sign in, see their account and sign out', async ({ page }) => {
  await signInAsAgencyUser(page, { providerCode: 'acme-ny', loginName: 'JSmith', password: DEMO_PASSWORD });
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
  await expect(page.getByText('Jordan Smith')).toBeVisible();
  // The session cookie ends with the browser: closed on a shared computer, it signs out (review r50c F2).
  const session = (await page.context().cookies()).find((cookie) => cookie.name === 'next-auth.session-token');
  expect(session?.expires).toBe(-1);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/account');
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Faccount/);
});

test('[STAFF] five wrong passwords lock the account; the right one is then refused with the same message, and the owner is mailed of the lock once', async ({ page }) => {
  const email = `locked.${Date.now()}@example.test`;
  const { creds } = await newStaffMember({ email });
  for (let attempt = 1; attempt <= 5; attempt++) {
    await signInAsAgencyUser(page, { ...creds, password: `wrong guess number ${attempt}` });
    await expect(page.locator('.error-summary')).toContainText(GENERIC_REFUSAL);
  }
  await signInAsAgencyUser(page, creds);
  await expect(page.locator('.error-summary')).toContainText(GENERIC_REFUSAL);
  await expect(page).toHaveURL(/\/login/);

  // The lock's record and mail are the status round's (decision 007): run it rather than wait for the
  // server's own; whichever comes first, one mail.
  const { runStatusRound } = await import('@/lib/maintenance/maintenance-announcer');
  await runStatusRound(db());
  const mail = await waitForMail({ to: email, subjectIncludes: 'account is locked' });
  expect(mail.text).toContain('After 5 wrong passwords or codes in a row, your account is locked until');
  await runStatusRound(db());
  expect(await db().outboxMessage.count({ where: { toAddress: email, template: 'account-locked' } })).toBe(1);
});

test('an unknown agency or user gets the very same message as a wrong password', async ({ page }) => {
  const { creds } = await newStaffMember();
  const messages: string[] = [];
  for (const attempt of [
    { ...creds, providerCode: 'NO-SUCH-AGENCY' },
    { ...creds, loginName: 'nobody.here' },
    { ...creds, password: 'not the right password at all' },
  ]) {
    await signInAsAgencyUser(page, attempt);
    messages.push((await page.locator('.error-summary').innerText()).trim());
  }
  expect(new Set(messages).size).toBe(1);
  expect(messages[0]).toMatch(GENERIC_REFUSAL);
});

test('empty fields get clear messages linked from the error summary, and nothing is sent', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const summary = page.locator('.error-summary');
  await expect(summary.getByRole('link', { name: 'Enter your provider code, for example ACME-NY' })).toHaveAttribute('href', '#providerCode');
  await expect(summary.getByRole('link', { name: 'Enter your login name' })).toBeVisible();
  await expect(summary.getByRole('link', { name: 'Enter your password' })).toBeVisible();
  await expect(page.getByLabel('Provider code')).toHaveAttribute('aria-invalid', 'true');
});

// One of each kind the rule refuses (lib/validation/free-text.ts), typed inside a real account's name
// with its right password: the name that looks like the account's must open nothing and count nothing.
const HIDDEN_IN_A_LOGIN_NAME = [
  ['a zero-width space', '\u200B'],
  ['a combining grapheme joiner', '\u034F'],
  ['a variation selector after a letter', '\uFE0F'],
  ['a Hangul filler', '\u3164'],
  ['a blank braille pattern', '\u2800'],
  ['a private-use character', '\uE000'],
] as const;
const LOGIN_NAME_HIDDEN_CHARACTER = 'Login name contains a hidden character. Type it in rather than pasting it';

for (const javaScriptEnabled of [true, false]) {
  test.describe(`JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled });

    test('[STAFF] a login name with a hidden character is refused with the field’s own message, keeps the form, opens no session and counts no failure', async ({ page }) => {
      const { agency, user, creds } = await newStaffMember();
      for (const [what, hidden] of HIDDEN_IN_A_LOGIN_NAME) {
        const loginName = `${creds.loginName.slice(0, 4)}${hidden}${creds.loginName.slice(4)}`;
        await signInAsAgencyUser(page, { ...creds, loginName });
        // The answer (any refusal has a summary), then soft checks of what it says: a rule that lets some
        // kinds through names each of them, not only the first.
        const summary = page.locator('.error-summary');
        await expect(summary).toBeVisible();
        await expect.soft(summary.getByRole('link', { name: LOGIN_NAME_HIDDEN_CHARACTER }), what).toHaveAttribute('href', '#loginName', { timeout: 1000 });
        await expect.soft(page.getByLabel('Login name'), what).toHaveAttribute('aria-invalid', 'true', { timeout: 1000 });
        await expect(page).toHaveURL(/\/login$/);
        await expect(page.getByLabel('Provider code')).toHaveValue(creds.providerCode);
        await expect(page.getByLabel('Login name')).toHaveValue(loginName);
        await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
      }
      // The answer above came after the sign-in was done with: what it recorded is there now.
      expect(await db().authSession.count({ where: { userId: user.id } })).toBe(0);
      expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({
        failedSignInCount: 0,
        lastFailedSignInAt: null,
        knownDeviceFailedCount: 0,
        knownDeviceLastFailedAt: null,
      });
      expect(await db().signInAddressFailure.count({ where: { agencyKey: agency.id } })).toBe(0);
      expect(await db().signInFailingAccount.count({ where: { agencyKey: agency.id } })).toBe(0);
    });
  });
}

test('the sign-in form offers what password managers need', async ({ page }) => {
  await page.goto('/login');
  // "webauthn" too: the browser may offer passkeys in the same autofill (conditional mediation).
  await expect(page.getByLabel('Login name')).toHaveAttribute('autocomplete', 'username webauthn');
  await expect(page.getByLabel('Password', { exact: true })).toHaveAttribute('autocomplete', 'current-password');
});

test('the Caps Lock warning shows while the password field has focus', async ({ page }) => {
  await page.goto('/login');
  const password = page.getByLabel('Password', { exact: true });
  const warning = page.getByText('Caps Lock is on');
  await password.focus();
  // Headless Chromium has no real Caps Lock key state: send the key event a keyboard with it on would send.
  await password.dispatchEvent('keydown', { key: 'A', modifierCapsLock: true });
  await expect(warning).toBeVisible();
  await page.getByLabel('Login name').focus();
  await expect(warning).toBeHidden();
  await password.focus();
  await password.dispatchEvent('keydown', { key: 'a', modifierCapsLock: false });
  await expect(warning).toBeHidden();
  await password.dispatchEvent('keyup', { key: 'CapsLock', modifierCapsLock: true });
  await expect(warning).toBeVisible();
});

test('[STAFF on a slow phone] a password typed before the page’s script has run keeps its text and the focus once the script runs', async ({ page }) => {
  // The page's scripts are held until the password is typed, as a slow connection holds them.
  let holding = true;
  const held: Array<() => Promise<void>> = [];
  await page.route('**/_next/static/chunks/**', (route) => (holding ? void held.push(() => route.continue()) : route.continue()));
  await page.goto('/login', { waitUntil: 'domcontentloaded' });
  const password = page.getByLabel('Password', { exact: true });
  const show = page.getByRole('button', { name: /^Show/ });
  await password.fill('typed before the script');
  await expect(show).toHaveCount(0);
  holding = false;
  for (const release of held.splice(0)) await release();
  // The show-password button comes with the script: the page is hydrated.
  await expect(show).toBeVisible();
  await expect(password).toHaveValue('typed before the script');
  await expect(password).toBeFocused();
});

test('a malformed session cookie is treated as signed out', async ({ page, context, baseURL }) => {
  await context.addCookies([{ name: 'next-auth.session-token', value: 'not-a-jwt.%%%.garbage', url: baseURL! }]);
  const response = await page.goto('/account');
  expect(response?.status()).toBe(200);
  await expect(page).toHaveURL(/\/login/);
  const api = await page.request.get('/api/me');
  expect(api.status()).toBe(401);
});

test('[VERIFIER] signs in at the vendor page and cannot reach an agency page', async ({ page }) => {
  await signInAsVendor(page, { email: 'Vera.Verifier@carenotes.example', password: DEMO_PASSWORD });
  await expect(page).toHaveURL(/\/vendor$/);
  await expect(page.getByRole('heading', { name: 'Vendor workspace' })).toBeVisible();
  const account = await page.goto('/account');
  expect(account?.status()).toBe(404);
  const changePassword = await page.goto('/change-password');
  expect(changePassword?.status()).toBe(404);
  expect((await page.request.get('/api/me')).status()).toBe(403);
});

test('[STAFF] cannot reach the vendor workspace', async ({ page }) => {
  const { creds } = await newStaffMember();
  await signInAsAgencyUser(page, creds);
  await expect(page).toHaveURL(/\/account$/);
  const vendor = await page.goto('/vendor');
  expect(vendor?.status()).toBe(404);
});
