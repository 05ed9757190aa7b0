// Passkeys in real Chromium with a virtual authenticator (DevTools protocol): a platform
// authenticator with resident keys that always verifies the user, as a laptop with a fingerprint would.
import type { Page } from '@playwright/test';
import { TEST_PASSWORD } from './data';
import { agencyOwner, nextTotpCode, type FactorOwner } from './second-factor';
import { expect, signInAsAgencyUser } from './test';

/**
 * Chromium's virtual authenticator answers a conditional (autofill) request at once, without the
 * person picking the passkey, so a page with autofill would sign in by itself. Unless a test is
 * about autofill, the page is told it has none, as in a browser without conditional mediation.
 */
export async function addVirtualAuthenticator(page: Page, { autofill = false } = {}) {
  if (!autofill) {
    await page.addInitScript(() => {
      if (window.PublicKeyCredential) PublicKeyCredential.isConditionalMediationAvailable = async () => false;
    });
  }
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  return { cdp, authenticatorId };
}

/**
 * Adds a passkey at the security page by keyboard alone: type its name, Tab to the button, Enter.
 * First the proof the form asks for: a code from `owner`'s app when the account already had a
 * factor, else the account's password.
 */
export async function addPasskeyByKeyboard(page: Page, name: string, owner?: FactorOwner, password = TEST_PASSWORD) {
  const freshCode = page.locator('#passkey-fresh-code');
  if (owner && (await freshCode.count())) await freshCode.fill(await nextTotpCode(owner));
  const currentPassword = page.locator('#passkey-current-password');
  if (await currentPassword.count()) await currentPassword.fill(password);
  await page.getByLabel('Name for this passkey').focus();
  await page.keyboard.type(name);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Add a passkey' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByText(`Your passkey "${name}" has been added.`)).toBeVisible();
}

/** Where most passkey journeys start: a virtual authenticator, a password sign-in, and a passkey added at /account/security. */
export async function signInAndAddPasskey(page: Page, creds: { providerCode: string; loginName: string; password: string }, name: string) {
  await addVirtualAuthenticator(page);
  await signInAsAgencyUser(page, creds);
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/account/security');
  await addPasskeyByKeyboard(page, name, (await agencyOwner(creds))?.owner, creds.password);
}

export async function signOut(page: Page) {
  await page.goto('/account');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
}
