// Issue #16 on a 375 px phone: the public pages a locked-out person reaches from a phone fit the
// screen, every password field there has its own show-password toggle, and the provider-code help
// opens by keyboard.
import { expectNoAxeViolations } from './support/axe';
import { db, openIncidentInDatabase } from './support/data';
import { expect, test } from './support/test';

test.use({ viewport: { width: 375, height: 740 } });

test('[ANYONE] on a phone: sign-in pages, the guide, ask-admin and status fit 375 px with no axe violations', async ({ page }) => {
  for (const path of ['/login', '/vendor/login', '/help', '/help/ask-admin', '/status']) {
    expect((await page.goto(path))?.status(), path).toBe(200);
    const width = await page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth));
    expect(width, `${path} is ${width} px wide`).toBeLessThanOrEqual(375);
    await expectNoAxeViolations(page, path);
  }
});

test('[ANYONE] on a phone: every password field on the agency and vendor sign-in pages has its own toggle that only switches the field', async ({ page }) => {
  for (const path of ['/login', '/vendor/login']) {
    await page.goto(path);
    const fields = page.locator('input[type="password"]');
    const count = await fields.count();
    expect(count, path).toBeGreaterThan(0);
    await expect(page.getByRole('button', { name: /^Show / }), path).toHaveCount(count);
    const field = fields.first();
    await field.fill('phone typed words');
    const toggle = page.getByRole('button', { name: /^Show / }).first();
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await expect(page.locator('input[type="text"][autocomplete="current-password"]')).toHaveValue('phone typed words');
    await page.keyboard.press('Space');
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await expect(page.locator('input[autocomplete="current-password"]')).toHaveAttribute('type', 'password');
  }
});

test('[ANYONE] on a phone: "Don’t know your provider code?" opens by keyboard on /login and /help, and ask-admin takes a name', async ({ page }) => {
  for (const path of ['/login', '/help']) {
    await page.goto(path);
    const help = page.locator('details.provider-code-help');
    await help.locator('summary').focus();
    await page.keyboard.press('Enter');
    await expect(help.getByText('in the welcome message your agency sent')).toBeVisible();
    const box = await help.boundingBox();
    expect(box!.x + box!.width, path).toBeLessThanOrEqual(375);
  }
  await page.goto('/help/ask-admin');
  await expect(page.getByLabel('Provider code or agency name')).toHaveAccessibleDescription(/type your agency’s full name/);
});

test('[ANYONE] on a phone: an incident titled with one long word still fits 375 px, and its update keeps the lines it was typed in (review r50d F2, F3)', async ({ page }) => {
  const title = `Unreachable${'x'.repeat(180)}${Date.now().toString(36)}`;
  const incident = await openIncidentInDatabase(title, 'api', 'Affected: exports.\nWorkaround: try again in an hour.');
  try {
    // /status is sent from memory: the new copy follows the change within a second or so.
    await expect(async () => {
      await page.goto('/status');
      await expect(page.locator(`#incident-${incident.id}`)).toBeVisible({ timeout: 100 });
    }).toPass();
    const article = page.locator(`#incident-${incident.id}`);
    expect(await article.locator('li').first().innerText()).toContain('Affected: exports.\nWorkaround: try again in an hour.');
    const width = await page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth));
    expect(width, `/status is ${width} px wide`).toBeLessThanOrEqual(375);
  } finally {
    await db().incident.update({ where: { id: incident.id }, data: { resolvedAt: new Date(), status: 'RESOLVED' } });
  }
});
