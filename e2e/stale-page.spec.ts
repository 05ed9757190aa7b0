import type { Page } from '@playwright/test';
import { STALE_CHECK_SECONDS } from '@/lib/help/stale-page';
import { expectNoAxeViolations } from './support/axe';
import { db } from './support/data';
import { expect, test } from './support/test';

// A real status change: the database triggers bump the version the pages watch.
async function changeTheStatus() {
  const notes = await db().statusComponent.findFirstOrThrow({ where: { slug: { not: 'sign-in' } }, orderBy: { slug: 'asc' } });
  await db().statusComponent.update({ where: { id: notes.id }, data: { status: notes.status } });
}

// The pages' clocks are the test's (page.clock.install): each check that reads the version again is
// run once what it should see is written, and once the page has read its own version (and so set its
// timer), not waited for against a timeout.
const nextCheck = (page: Page) => page.clock.fastForward(STALE_CHECK_SECONDS * 1000);

test('[ANYONE] the guide notices a status change after it was opened, and one click brings a fresh page without the notice', async ({ page }) => {
  await page.clock.install();
  await page.goto('/help');
  const notice = page.getByTestId('stale-page-notice');
  await expect(notice).toHaveAttribute('data-versions-read', '1');
  await expect(notice).toBeEmpty();

  await changeTheStatus();
  await nextCheck(page);
  await expect(notice).toContainText('The status has changed since this page was opened.');
  await expectNoAxeViolations(page);

  await page.evaluate(() => ((window as unknown as { beforeReload?: boolean }).beforeReload = true));
  const reload = page.getByRole('button', { name: 'Reload this page' });
  await reload.focus();
  const fresh = page.waitForEvent('load');
  await page.keyboard.press('Enter');
  await fresh;
  expect(await page.evaluate(() => (window as unknown as { beforeReload?: boolean }).beforeReload)).toBeUndefined();
  // Only a second read can make a page stale: wait until the fresh page has compared one.
  await expect(page.getByTestId('stale-page-notice')).toHaveAttribute('data-versions-read', '1');
  await nextCheck(page);
  await expect(page.getByTestId('stale-page-notice')).toHaveAttribute('data-versions-read', '2');
  await expect(page.getByTestId('stale-page-notice')).toBeEmpty();
});

test('[ANYONE] a guide opened after the change shows no notice', async ({ page }) => {
  await page.clock.install();
  await changeTheStatus();
  await page.goto('/help');
  // A second read of the same version, compared: still nothing to say.
  await expect(page.getByTestId('stale-page-notice')).toHaveAttribute('data-versions-read', '1');
  await nextCheck(page);
  await expect(page.getByTestId('stale-page-notice')).toHaveAttribute('data-versions-read', '2');
  await expect(page.getByTestId('stale-page-notice')).toBeEmpty();
});

test('[STAFF] the Unavailable page notices a status change and reloads past every cache on one click', async ({ page, request }) => {
  await page.clock.install();
  const signIn = await db().statusComponent.findUniqueOrThrow({ where: { slug: 'sign-in' } });
  const window = await db().maintenanceWindow.create({
    data: {
      title: 'Stale check window',
      startsAt: new Date(Date.now() - 60_000),
      endsAt: new Date(Date.now() + 60 * 60_000),
      startedAt: new Date(),
      blocksSignIn: true,
      components: { create: [{ componentId: signIn.id }] },
    },
  });
  try {
    await expect.poll(async () => (await request.get('/login')).status()).toBe(503);
    await page.goto('/login');
    await expect(page.getByRole('heading', { name: 'CareNotes is unavailable for planned maintenance' })).toBeVisible();
    await expect(page.locator('#stale-notice')).toHaveAttribute('data-versions-read', '1');
    await expect(page.getByRole('button', { name: 'Reload this page' })).toBeHidden();

    await changeTheStatus();
    await nextCheck(page);
    await expect(page.getByRole('status').filter({ hasText: 'The status has changed since this page was opened.' })).toBeVisible();
    await expectNoAxeViolations(page);

    await page.evaluate(() => ((window as unknown as { beforeReload?: boolean }).beforeReload = true));
    const fresh = page.waitForEvent('load');
    await page.getByRole('button', { name: 'Reload this page' }).click();
    await fresh;
    expect(await page.evaluate(() => (window as unknown as { beforeReload?: boolean }).beforeReload)).toBeUndefined();
    await expect(page.getByRole('heading', { name: 'CareNotes is unavailable for planned maintenance' })).toBeVisible();
    await expect(page.locator('#stale-notice')).toHaveAttribute('data-versions-read', '1');
    await nextCheck(page);
    await expect(page.locator('#stale-notice')).toHaveAttribute('data-versions-read', '2');
    await expect(page.getByRole('button', { name: 'Reload this page' })).toBeHidden();
  } finally {
    await db().maintenanceWindow.updateMany({ where: { id: window.id, endedAt: null }, data: { endedAt: new Date() } });
    await expect.poll(async () => (await request.get('/login')).status()).toBe(200);
  }
});
