import type { Page } from '@playwright/test';
import { DEMO_PASSWORD } from '@/prisma/seed';
import { uniqueSuffix } from '@/prisma/factories';
import { expectNoAxeViolations } from './support/axe';
import { db } from './support/data';
import { expect, signInAsVendor, test } from './support/test';

const OPERATOR = { email: 'otto.operator@carenotes.example', password: DEMO_PASSWORD };
const formWith = (page: Page, submit: string) => page.locator('form', { has: page.getByRole('button', { name: submit, exact: true }) });

// A window far ahead, at a moment whose wall clock differs in every zone used below.
async function plannedWindow(title: string) {
  const notes = await db().statusComponent.findFirstOrThrow({ where: { slug: { not: 'sign-in' } } });
  return db().maintenanceWindow.create({
    data: {
      title,
      startsAt: new Date('2098-07-01T14:05:00Z'),
      endsAt: new Date('2098-07-01T15:35:00Z'),
      components: { create: [{ componentId: notes.id }] },
    },
  });
}

test.describe('a reader in Tokyo', () => {
  test.use({ timezoneId: 'Asia/Tokyo' });

  test('[ANYONE] /status shows each time in the reader’s own zone, with UTC on hover and in datetime', async ({ page }) => {
    const title = `Tokyo window ${uniqueSuffix()}`;
    const window = await plannedWindow(title);
    try {
      // /status is rendered again within a second of a change: wait for the window to be there.
      await expect.poll(async () => (await (await page.request.get('/status')).text()).includes(title)).toBe(true);
      await page.goto('/status');
      const times = page.locator(`article:has(h3:text-is("${title}")) time`);
      await expect(times.first()).toHaveText('Jul 1, 2098, 11:05 PM GMT+9');
      await expect(times.first()).toHaveAttribute('datetime', '2098-07-01T14:05:00.000Z');
      await expect(times.first()).toHaveAttribute('title', 'Jul 1, 2098, 2:05 PM UTC');
      await expect(times.nth(1)).toHaveText('Jul 2, 2098, 12:35 AM GMT+9');
      await expectNoAxeViolations(page);
    } finally {
      await db().maintenanceWindow.delete({ where: { id: window.id } });
    }
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false, timezoneId: 'America/Chicago' });

  test('[ANYONE] /status says each time in UTC, naming the zone: the same page for everyone', async ({ page }) => {
    const title = `UTC window ${uniqueSuffix()}`;
    const window = await plannedWindow(title);
    try {
      await expect.poll(async () => (await (await page.request.get('/status')).text()).includes(title)).toBe(true);
      await page.goto('/status');
      await expect(page.locator(`article:has(h3:text-is("${title}")) time`).first()).toHaveText('Jul 1, 2098, 2:05 PM UTC');
    } finally {
      await db().maintenanceWindow.delete({ where: { id: window.id } });
    }
  });
});

/** The next night New York springs forward (the second Sunday of March), as `YYYY-MM-DD`: within the coming year, as a start must be. */
function nextSpringForward(): string {
  const now = Date.now();
  for (const year of [new Date(now).getUTCFullYear(), new Date(now).getUTCFullYear() + 1]) {
    const secondSunday = 8 + ((7 - new Date(Date.UTC(year, 2, 1)).getUTCDay()) % 7);
    if (Date.UTC(year, 2, secondSunday, 6, 30) > now + 10 * 60_000) return new Date(Date.UTC(year, 2, secondSunday)).toISOString().slice(0, 10);
  }
  throw new Error('no spring-forward night ahead');
}

test('[OPERATOR] schedules maintenance in a zone they pick; a time the clock change skips is refused on its field', async ({ page }) => {
  await signInAsVendor(page, OPERATOR);
  await page.goto('/vendor/status');
  const form = formWith(page, 'Schedule maintenance');
  const title = `Zoned window ${uniqueSuffix()}`;
  await form.getByLabel('Title').fill(title);
  // 02:30 on the night New York springs forward does not exist there.
  const night = nextSpringForward();
  await form.getByLabel('Start', { exact: true }).fill(`${night}T02:30`);
  await form.getByLabel('End', { exact: true }).fill(`${night}T05:00`);
  await form.getByLabel('Time zone of the start and end').selectOption('America/New_York');
  await form.getByRole('checkbox').first().check();
  await form.getByRole('button', { name: 'Schedule maintenance' }).click();
  const start = form.getByLabel('Start', { exact: true });
  await expect(start).toHaveAttribute('aria-invalid', 'true');
  await expect(start).toHaveAccessibleDescription(/does not exist in America\/New_York/);
  await expect(form.getByLabel('Time zone of the start and end')).toHaveValue('America/New_York');
  expect(await db().maintenanceWindow.count({ where: { title } })).toBe(0);

  await start.fill(`${night}T01:30`);
  await form.getByRole('button', { name: 'Schedule maintenance' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Maintenance "${title}" scheduled.` })).toBeVisible();
  const saved = await db().maintenanceWindow.findFirstOrThrow({ where: { title } });
  // 01:30 EST is 06:30 UTC; 05:00 is already EDT, 09:00 UTC.
  expect(saved.startsAt.toISOString()).toBe(`${night}T06:30:00.000Z`);
  expect(saved.endsAt.toISOString()).toBe(`${night}T09:00:00.000Z`);
  await db().maintenanceWindow.delete({ where: { id: saved.id } });
});
