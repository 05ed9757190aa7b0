// The `test` every spec uses: a console error or an uncaught page error fails the test.
import { test as base, expect, type Page } from '@playwright/test';
import './env';

export const test = base.extend<{ failOnConsoleErrors: void }>({
  failOnConsoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (message) => {
        // A refused sign-in or a 4xx API call is expected in some specs; the browser logs those as resource errors.
        if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) errors.push(message.text() + ' @ ' + page.url());
      });
      page.on('pageerror', (error) => errors.push(`${error.message} @ ${page.url()}`));
      await use();
      expect(errors, 'console errors in the browser').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

export async function signInAsAgencyUser(page: Page, creds: { providerCode: string; loginName: string; password: string }) {
  await page.goto('/login');
  await page.getByLabel('Provider code').fill(creds.providerCode);
  await page.getByLabel('Login name').fill(creds.loginName);
  await page.getByLabel('Password', { exact: true }).fill(creds.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function signInAsVendor(page: Page, creds: { email: string; password: string }) {
  await page.goto('/vendor/login');
  await page.getByLabel('Work e-mail address').fill(creds.email);
  await page.getByLabel('Password', { exact: true }).fill(creds.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
