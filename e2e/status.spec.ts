import type { Page } from '@playwright/test';
import { DEMO_PASSWORD } from '@/prisma/seed';
import { expectNoAxeViolations } from './support/axe';
import { db, openIncidentInDatabase } from './support/data';
import { expect, signInAsVendor, test } from './support/test';

const OPERATOR = { email: 'otto.operator@carenotes.example', password: DEMO_PASSWORD };
const VERIFIER = { email: 'vera.verifier@carenotes.example', password: DEMO_PASSWORD };

function unique(label: string) {
  return `${label} ${Date.now().toString(36)}`;
}

async function openIncidentAsOperator(page: Page, title: string, component: string) {
  await page.goto('/vendor/status');
  const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Open incident' }) });
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Impact').selectOption({ label: 'Partial outage' });
  await form.getByLabel(component).check();
  await form.getByLabel('First update').fill(`We are looking into ${title}.`);
  await form.getByRole('button', { name: 'Open incident' }).click();
  // With JavaScript the form's own answer names the incident; without, the page it leads to says so.
  await expect(page.getByRole('status').filter({ hasText: new RegExp(`^Incident (".+" )?opened\\.`) })).toBeVisible();
}

async function resolveIncident(title: string) {
  await db().incident.updateMany({ where: { title }, data: { resolvedAt: new Date(), status: 'RESOLVED' } });
}

test('[ANONYMOUS] /status shows every component with its 90-day uptime, as a picture and as text', async ({ page }) => {
  await page.goto('/status');
  await expect(page.getByRole('heading', { name: 'CareNotes status', level: 1 })).toBeVisible();
  for (const name of ['Sign-in', 'Documentation', 'Mobile app', 'API']) {
    await expect(page.getByRole('heading', { name, exact: true, level: 3 })).toBeVisible();
  }
  // The seeded API outage 12 days ago shows in the API's bars and their text alternative.
  const api = page.locator('#component-api');
  await expect(api.getByRole('img')).toHaveAccessibleName(/^API, last 90 days: \d+\.\d\d% uptime; 1 day with incidents or maintenance\.$/);
  await expect(api.locator('rect')).toHaveCount(90);
  await api.getByText('Days with incidents or maintenance').click();
  await expect(api.getByRole('listitem').filter({ hasText: /Partial outage, 45 min down/ })).toBeVisible();
});

test('[OPERATOR] an incident opened at /vendor/status shows on the cached /status page at once', async ({ page }) => {
  const title = unique('Case notes not saving');
  // A cached copy of /status exists before the change.
  const before = await page.request.get('/status');
  expect(await before.text()).not.toContain(title);
  expect((await page.request.get('/status')).headers()['x-portal-from-memory']).toBe('1');

  await signInAsVendor(page, OPERATOR);
  await expect(page).toHaveURL(/\/vendor$/);
  await openIncidentAsOperator(page, title, 'Documentation');

  // One request, right after the operator's action returned: no waiting for the next poll.
  const after = await page.request.get('/status');
  const html = await after.text();
  expect(html).toContain(title);
  expect(html).toContain('Some systems are not working');

  await page.goto('/status');
  const incident = page.locator('article', { hasText: title });
  await expect(incident).toContainText('Partial outage');
  await expect(incident).toContainText(`Investigating: We are looking into ${title}.`);
  await expect(page.locator('#component-documentation')).toContainText('Partial outage');

  // The operator resolves it: the page says so at once, and the component is operational again.
  await page.goto('/vendor/status');
  const card = page.locator('div', { has: page.getByRole('heading', { name: title }) }).last();
  await card.getByLabel('New state').selectOption({ label: 'Resolved' });
  await card.getByLabel('Update').fill('Fixed.');
  await card.getByRole('button', { name: 'Post update' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Incident "${title}" resolved.` })).toBeVisible();
  const resolved = await (await page.request.get('/status')).text();
  expect(resolved).toContain('Resolved in the last 7 days');
  await page.goto('/status');
  await expect(page.locator('#component-documentation')).toContainText('Operational');
});

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });

  test('[OPERATOR] opens, updates and resolves an incident, and sets a component’s state, each told on the page', async ({ page }) => {
    const title = unique('Printing stuck');
    await signInAsVendor(page, OPERATOR);
    await openIncidentAsOperator(page, title, 'Documentation');
    expect(await db().incident.count({ where: { title } })).toBe(1);

    const card = page.locator('div', { has: page.getByRole('heading', { name: title }) }).last();
    await card.getByLabel('New state').selectOption({ label: 'Resolved' });
    await card.getByLabel('Update').fill('Fixed.');
    await card.getByRole('button', { name: 'Post update' }).click();
    await expect(page.getByRole('heading', { name: title })).toHaveCount(0);
    expect(await db().incident.findFirstOrThrow({ where: { title } })).toMatchObject({ status: 'RESOLVED' });

    const row = page.getByRole('row', { name: /Mobile app/ });
    await row.getByLabel('State of Mobile app').selectOption({ label: 'Degraded performance' });
    await row.getByRole('button', { name: 'Set' }).click();
    try {
      await expect(page).toHaveURL(/\/vendor\/status\?done=status-set-component\.\d+\.[\w-]+$/);
      await expect(page.getByRole('status').filter({ hasText: 'Component state saved.' })).toBeVisible();
      await expect(page.getByRole('row', { name: /Mobile app/ }).getByLabel('State of Mobile app').locator('option:checked')).toHaveText('Degraded performance');
      expect((await db().statusComponent.findUniqueOrThrow({ where: { slug: 'mobile-app' } })).status).toBe('DEGRADED_PERFORMANCE');
    } finally {
      await db().statusComponent.update({ where: { slug: 'mobile-app' }, data: { status: 'OPERATIONAL' } });
    }
  });

  test('[OPERATOR] a change refused because its incident or window moved on meanwhile is said on the page, not lost with its form (review r34b F1)', async ({ page }) => {
    const title = unique('Queue stalled');
    await signInAsVendor(page, OPERATOR);
    await openIncidentAsOperator(page, title, 'Documentation');
    const card = page.locator('div', { has: page.getByRole('heading', { name: title }) }).last();
    await resolveIncident(title); // by another operator, in another tab
    await card.getByLabel('New state').selectOption({ label: 'Monitoring' });
    await card.getByLabel('Update').fill('Looks better now.');
    await card.getByRole('button', { name: 'Post update' }).click();
    await expect(page).toHaveURL(/\/vendor\/status\?done=status-update-incident-gone\./);
    await expect(page.getByRole('status').filter({ hasText: 'Your update was not posted: that incident had already been resolved.' })).toBeVisible();
    expect(await db().incidentUpdate.count({ where: { incident: { title }, message: 'Looks better now.' } })).toBe(0);

    // A window planned far ahead, cancelled meanwhile.
    const window = await db().maintenanceWindow.create({
      data: { title: unique('Far ahead'), startsAt: new Date('2098-05-01T00:00:00Z'), endsAt: new Date('2098-05-01T02:00:00Z'), blocksSignIn: false },
    });
    await page.goto('/vendor/status');
    const controls = page.locator('div', { has: page.getByRole('heading', { name: window.title }) }).last();
    await db().maintenanceWindow.update({ where: { id: window.id }, data: { cancelledAt: new Date() } });
    await controls.getByRole('button', { name: 'Start now' }).click();
    await expect(page).toHaveURL(/\/vendor\/status\?done=status-start-maintenance-gone\./);
    await expect(page.getByRole('status').filter({ hasText: 'Nothing was changed: that maintenance window had already started, ended or been cancelled.' })).toBeVisible();
    expect(await db().maintenanceWindow.findUniqueOrThrow({ where: { id: window.id } })).toMatchObject({ startedAt: null, startsAt: window.startsAt });
  });
});

test('[OPERATOR] a component state set by hand shows on /status at once', async ({ page }) => {
  await signInAsVendor(page, OPERATOR);
  await expect(page).toHaveURL(/\/vendor$/);
  await page.getByRole('link', { name: /^Status operations/ }).click();
  await expect(page.getByRole('heading', { name: 'Status operations' })).toBeVisible();
  const row = page.getByRole('row', { name: /Mobile app/ });
  await row.getByLabel('State of Mobile app').selectOption({ label: 'Degraded performance' });
  await row.getByRole('button', { name: 'Set' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Mobile app: Degraded performance.' })).toBeVisible();
  try {
    const html = await (await page.request.get('/status')).text();
    expect(html).toContain('Some systems are slow');
  } finally {
    await db().statusComponent.update({ where: { slug: 'mobile-app' }, data: { status: 'OPERATIONAL' } });
  }
});

// Review r35c F10: the incident form keeps any field named component-…, and a `__proto__` among them was
// dropped, not refused; a `constructor` or `toString` was taken for one of the form's own fields.
for (const [field, refusal] of [
  ['__proto__', 'This form was sent in a way our pages never send it'],
  ['constructor', 'This form was sent in a way our pages never send it'],
  ['toString', 'This form sent a field it does not have'],
] as const) {
  test(`[OPERATOR] an incident form sent with a field named ${field} is refused, and opens no incident`, async ({ page }) => {
    const title = unique(`Forged ${field}`);
    await signInAsVendor(page, OPERATOR);
    await expect(page).toHaveURL(/\/vendor$/);
    await page.goto('/vendor/status');
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Open incident' }) });
    await form.getByLabel('Title').fill(title);
    await form.getByLabel('Impact').selectOption({ label: 'Partial outage' });
    await form.getByLabel('Documentation').check();
    await form.getByLabel('First update').fill(`We are looking into ${title}.`);
    await form.evaluate((element, name) => element.append(Object.assign(document.createElement('input'), { type: 'hidden', name, value: 'x' })), field);
    await form.getByRole('button', { name: 'Open incident' }).click();
    await expect(form.locator('.error-summary')).toContainText(refusal);
    expect(await db().incident.count({ where: { title } })).toBe(0);
  });
}

test('[VERIFIER] cannot reach /vendor/status, and a status action posted with their session is refused and audited', async ({ page, browser }) => {
  // The operator's page holds the actions; the verifier's cookies then replace the operator's.
  await signInAsVendor(page, OPERATOR);
  await expect(page).toHaveURL(/\/vendor$/);
  await page.goto('/vendor/status');

  const verifier = await browser.newContext();
  const verifierPage = await verifier.newPage();
  await signInAsVendor(verifierPage, VERIFIER);
  await expect(verifierPage).toHaveURL(/\/vendor$/);
  expect((await verifierPage.goto('/vendor/status'))?.status()).toBe(404);
  const verifierCookies = await verifier.cookies();
  await verifier.close();

  await page.context().clearCookies();
  await page.context().addCookies(verifierCookies);
  const title = unique('Forged incident');
  const deniedBefore = await db().auditEvent.count({ where: { action: 'ACCESS_DENIED' } });
  const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Open incident' }) });
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Sign-in').check();
  await form.getByLabel('First update').fill('Should never appear.');
  await form.getByRole('button', { name: 'Open incident' }).click();
  await expect(form.locator('.error-summary')).toContainText('You are not allowed to do that.');
  expect(await db().incident.count({ where: { title } })).toBe(0);
  expect(await db().auditEvent.count({ where: { action: 'ACCESS_DENIED' } })).toBe(deniedBefore + 1);
});

test('[ANONYMOUS] the Atom feed is a well-formed Atom 1.0 document listing incidents', async ({ page }) => {
  const response = await page.request.get('/status/feed.atom');
  expect(response.headers()['content-type']).toBe('application/atom+xml; charset=utf-8');
  const xml = await response.text();
  await page.goto('/status');
  const checked = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    const ns = 'http://www.w3.org/2005/Atom';
    const feed = doc.documentElement;
    const entries = [...doc.getElementsByTagNameNS(ns, 'entry')];
    const has = (parent: Element, name: string) => parent.getElementsByTagNameNS(ns, name).length > 0;
    return {
      parseError: doc.getElementsByTagName('parsererror').length > 0,
      root: `${feed.namespaceURI} ${feed.localName}`,
      feedHasRequired: ['id', 'title', 'updated', 'author'].every((name) => has(feed, name)),
      entries: entries.length,
      entriesHaveRequired: entries.every((entry) => ['id', 'title', 'updated', 'content'].every((name) => has(entry, name))),
      titles: entries.map((entry) => entry.getElementsByTagNameNS(ns, 'title')[0]!.textContent),
    };
  }, xml);
  expect(checked).toMatchObject({ parseError: false, root: 'http://www.w3.org/2005/Atom feed', feedHasRequired: true, entriesHaveRequired: true });
  expect(checked.titles).toContain('Resolved: API requests failing for some agencies');
});

test('[ANONYMOUS] the sign-in page warns of an incident touching sign-in', async ({ page }) => {
  const title = unique('Sign-in slow');
  await openIncidentInDatabase(title, 'sign-in', 'Signing in takes up to a minute.');
  try {
    // The banner's read is kept for up to a second per instance.
    await expect(async () => {
      await page.goto('/login');
      await expect(page.getByTestId('sign-in-incident')).toContainText(`Degraded performance: ${title}. Signing in takes up to a minute.`, { timeout: 100 });
    }).toPass();
  } finally {
    await resolveIncident(title);
  }
});

test('[OPERATOR] /vendor/status, also after a failed submit, and the confirm and unsubscribe pages have no WCAG 2.2 A/AA violations axe can find', async ({ page }) => {
  await signInAsVendor(page, OPERATOR);
  await expect(page).toHaveURL(/\/vendor$/);
  await page.goto('/vendor/status');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Open incident' }).click();
  await expect(page.locator('.error-summary')).toContainText('Enter a title');
  // The summary links to the very field, although the page holds several forms with a Title.
  const href = await page.locator('.error-summary').getByRole('link', { name: 'Enter a title' }).getAttribute('href');
  await expect(page.locator(`[id="${href!.slice(1)}"]`)).toHaveAttribute('name', 'title');
  await expect(page.locator(`[id="${href!.slice(1)}"]`)).toHaveAccessibleName('Title');
  await expectNoAxeViolations(page);
  const email = `axe.${unique('sub').replace(/\W/g, '')}@example.com`.toLowerCase();
  const subscriber = await db().statusSubscriber.create({ data: { email, emailKey: email } });
  const { confirmPath, unsubscribePath } = await import('@/lib/status/subscription-token');
  for (const path of [confirmPath(subscriber.id, new Date()), '/status/subscribe/confirm?s=x&e=1&t=y', unsubscribePath(subscriber.id), '/status/stop-alerts?s=x&t=y']) {
    await page.goto(path);
    await expectNoAxeViolations(page);
  }
});
