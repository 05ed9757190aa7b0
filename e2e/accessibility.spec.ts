import type { Page } from '@playwright/test';
import { GUIDE_STEPS } from '@/lib/help/guide-steps';
import { createAgency, createUser, uniqueSuffix } from '@/prisma/factories';
import { expectNoAxeViolations } from './support/axe';
import { db, TEST_PASSWORD } from './support/data';
import { expect, test } from './support/test';

const PAGES = ['/', '/help', '/login', '/help/ask-admin', '/help/downtime', '/super-admin-reset', '/status'];

for (const path of PAGES) {
  test(`${path} has no WCAG 2.2 A/AA violations axe can find`, async ({ page }) => {
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
    // Let live checks settle so their final state is what gets scanned.
    if (path === '/help') await expect(page.getByTestId('connection-check')).not.toContainText('Checking');
    await expectNoAxeViolations(page);
  });
}

test('the not-found page (a page that is not there) has no WCAG 2.2 A/AA violations axe can find', async ({ page }) => {
  expect((await page.goto('/status/no-such-view'))?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('We could not find that page');
  await expectNoAxeViolations(page);
});

test('/help/ask-admin after a failed submit (error summary, invalid fields) has no violations', async ({ page }) => {
  await page.goto('/help/ask-admin');
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.locator('.error-summary')).toBeVisible();
  await expectNoAxeViolations(page);
});

/** Presses Tab until the focused element's accessible text matches; returns what was passed through. */
async function tabTo(page: Page, target: RegExp, maxPresses = 80): Promise<string[]> {
  const visited: string[] = [];
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press('Tab');
    const label = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      const labelled = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
      return (labelled ?? el.getAttribute('aria-label') ?? el.innerText ?? '').trim();
    });
    visited.push(label);
    if (target.test(label)) return visited;
  }
  throw new Error(`Tab never reached ${target}; went through: ${visited.join(' | ')}`);
}

test('[STAFF] can walk the guide and ask their administrators with the keyboard alone', async ({ page }) => {
  const agency = await createAgency(db());
  await createUser(db(), agency.id, TEST_PASSWORD, { loginName: `kb.${uniqueSuffix()}`, role: 'PROVIDER_ADMIN', email: `kb.${uniqueSuffix()}@example.test` });
  const staff = await createUser(db(), agency.id, TEST_PASSWORD, { loginName: `keys.${uniqueSuffix()}` });

  await page.route('**/api/status', (route) => route.fulfill({ status: 404, body: 'Not found' }));
  await page.goto('/help');
  await expect(page.getByTestId('connection-check')).not.toContainText('Checking');

  // The skip link comes first and lands in the main content.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/help#main$/);

  // Through the contents, every step in order, then down the steps and their controls.
  const passed = await tabTo(page, /^Check again$/);
  expect(passed.filter((label) => GUIDE_STEPS.some((step) => step.title === label))).toEqual(GUIDE_STEPS.map((step) => step.title));
  expect(passed).toContain('Try it here');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('connection-check')).toContainText('CareNotes is answering');

  await tabTo(page, /^Instructions for other browsers$/);
  await page.keyboard.press('Enter');
  await expect(page.locator('details.other-browsers')).toHaveAttribute('open', '');

  await tabTo(page, /^Ask your administrators for help$/);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/help\/ask-admin$/);

  await tabTo(page, /^Provider code or agency name$/);
  await page.keyboard.type(agency.code);
  await page.keyboard.press('Tab');
  await page.keyboard.type(staff.loginName);
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Message (optional)')).toBeFocused();
  await page.keyboard.type('Please phone me at the office.');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Send request' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Request received' })).toBeFocused();
  expect(await db().helpRequest.count({ where: { userId: staff.id } })).toBe(1);
});
