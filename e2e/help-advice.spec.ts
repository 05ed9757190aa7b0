import { expect, test } from './support/test';

test('[ANYONE] on /login and /help finds where to get a provider code, by keyboard', async ({ page }) => {
  for (const path of ['/login', '/help', '/help/ask-admin']) {
    await page.goto(path);
    const help = page.locator('details.provider-code-help');
    await expect(help).toHaveCount(1);
    await expect(help.getByText('in the welcome message your agency sent')).toBeHidden();
    await help.locator('summary').focus();
    await page.keyboard.press('Enter');
    await expect(help.getByText('in the welcome message your agency sent')).toBeVisible();
    await expect(help).toContainText('Ask your supervisor if you don’t know who your administrator is.');
  }
});

test('[ANYONE] the guide asks about the device, warns never to share a password, and says who to ask before the form is sent', async ({ page }) => {
  await page.goto('/help');
  await expect(page.getByText('Are you reading this on the same computer or phone you are trying to sign in on?')).toBeVisible();
  await expect(page.locator('#contact-admin')).toContainText('Never share your password with anyone');
  await page.goto('/help/ask-admin');
  await expect(page.getByText('Ask your supervisor if you don’t know who your administrator is: they can also reach them for you.')).toBeVisible();
});

test('[ANYONE] the downtime support materials are a real page with advice, linked from the guide, and readable without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await page.goto('/help#downtime');
    await page.getByRole('link', { name: 'Support materials for working during downtime' }).click();
    await expect(page).toHaveURL(/\/help\/downtime$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Working while CareNotes is unavailable');
    await expect(page.getByRole('heading', { name: 'While CareNotes is unavailable', exact: true })).toBeVisible();
    await expect(page.getByText('Enter each paper note in CareNotes with the time the care happened')).toBeVisible();
  } finally {
    await context.close();
  }
});
