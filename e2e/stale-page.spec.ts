import type { Page } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe';
import { db } from './support/data';
import { expect, test } from './support/test';

// A real status change: the database triggers bump the version the pages watch.
async function changeTheStatus() {
  const notes = await db().statusComponent.findFirstOrThrow({ where: { slug: { not: 'sign-in' } }, orderBy: { slug: 'asc' } });
  await db().statusComponent.update({ where: { id: notes.id }, data: { status: notes.status } });
}

async function versionRead(page: Page) {
  return page.waitForResponse((response) => response.url().endsWith('/api/status/version') && response.ok());
}

test('[ANYONE] the guide notices a status change after it was opened, and one click brings a fresh page without the notice', async ({ page }) => {
  const firstRead = versionRead(page);
  await page.goto('/help');
  await firstRead;
  const notice = page.getByTestId('stale-page-notice');
  await expect(notice).toBeEmpty();

  await changeTheStatus();
  await expect(notice).toContainText('The status has changed since this page was opened.', { timeout: 20_000 });
  await expectNoAxeViolations(page);

  await page.evaluate(() => ((window as unknown as { beforeReload?: boolean }).beforeReload = true));
  const reload = page.getByRole('button', { name: 'Reload this page' });
  await reload.focus();
  const fresh = page.waitForEvent('load');
  await page.keyboard.press('Enter');
  await fresh;
  expect(await page.evaluate(() => (window as unknown as { beforeReload?: boolean }).beforeReload)).toBeUndefined();
  // Only a second read can make a page stale: wait until the fresh page has compared one.
  await expect(page.getByTestId('stale-page-notice')).toHaveAttribute('data-versions-read', '2', { timeout: 30_000 });
  await expect(page.getByTestId('stale-page-notice')).toBeEmpty();
});

test('[ANYONE] a guide opened after the change shows no notice', async ({ page }) => {
  await changeTheStatus();
  await page.goto('/help');
  // A second read of the same version, compared: still nothing to say.
  await expect(page.getByTestId('stale-page-notice')).toHaveAttribute('data-versions-read', '2', { timeout: 30_000 });
  await expect(page.getByTestId('stale-page-notice')).toBeEmpty();
});

test('[STAFF] the Unavailable page notices a status change and reloads past every cache on one click', async ({ page, request }) => {
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
    const firstRead = versionRead(page);
    await page.goto('/login');
    await firstRead;
    await expect(page.getByRole('heading', { name: 'CareNotes is unavailable for planned maintenance' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Reload this page' })).toBeHidden();

    await changeTheStatus();
    await expect(page.getByRole('status').filter({ hasText: 'The status has changed since this page was opened.' })).toBeVisible({ timeout: 20_000 });
    await expectNoAxeViolations(page);

    await page.evaluate(() => ((window as unknown as { beforeReload?: boolean }).beforeReload = true));
    const fresh = page.waitForEvent('load');
    await page.getByRole('button', { name: 'Reload this page' }).click();
    await fresh;
    expect(await page.evaluate(() => (window as unknown as { beforeReload?: boolean }).beforeReload)).toBeUndefined();
    await expect(page.getByRole('heading', { name: 'CareNotes is unavailable for planned maintenance' })).toBeVisible();
    await expect(page.locator('#stale-notice')).toHaveAttribute('data-versions-read', '2', { timeout: 30_000 });
    await expect(page.getByRole('button', { name: 'Reload this page' })).toBeHidden();
  } finally {
    await db().maintenanceWindow.updateMany({ where: { id: window.id, endedAt: null }, data: { endedAt: new Date() } });
    await expect.poll(async () => (await request.get('/login')).status()).toBe(200);
  }
});
