import { expect, test } from './support/test';

test('the development mailbox does not exist on a production server with SMTP', async ({ page }) => {
  const response = await page.goto('/dev/mailbox');
  expect(response?.status()).toBe(404);
});
