import type { Page } from '@playwright/test';
import { GUIDE_STEPS, VENDOR_PROMISE } from '@/lib/help/guide-steps';
import type { StatusSummary } from '@/lib/status/status-summary';
import { expect, test } from './support/test';

const FROM_MEMORY = 'x-portal-from-memory';
const STATUS_UNAVAILABLE = 'We could not load the current status. See the status page at /status.';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

/** Serves a hand-made GET /api/status to the page (or a failure), whatever the server has. */
async function fakeStatus(page: Page, answer: StatusSummary | { status: number }) {
  await page.route('**/api/status', (route) =>
    'overall' in answer ? route.fulfill({ json: answer }) : route.fulfill({ status: answer.status, body: 'Not found' }),
  );
}

function summary(overrides: Partial<StatusSummary> = {}): StatusSummary {
  const hour = 3600_000;
  return {
    overall: 'OPERATIONAL',
    components: [{ slug: 'sign-in', name: 'Sign-in', status: 'OPERATIONAL' }],
    activeIncidents: [],
    maintenance: { active: null, next: null },
    generatedAt: new Date().toISOString(),
    ...overrides,
    ...(overrides.maintenance === undefined && {
      maintenance: {
        active: null,
        next: {
          id: 'mw1',
          title: 'Database upgrade',
          description: null,
          startsAt: new Date(Date.now() + 24 * hour).toISOString(),
          endsAt: new Date(Date.now() + 26 * hour).toISOString(),
          blocksSignIn: true,
        },
      },
    }),
  };
}

test('the home page leads to sign-in, the guide, the status and the administrators’ form', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('link', { name: 'Sign in', exact: true })).toHaveAttribute('href', '/login');
  await expect(page.getByRole('link', { name: 'Can’t sign in?' })).toHaveAttribute('href', '/help');
  await expect(page.getByRole('link', { name: 'System status' })).toHaveAttribute('href', '/status');
  await expect(page.getByRole('link', { name: 'super administrator password reset request' })).toHaveAttribute(
    'href',
    '/super-admin-reset',
  );
  await expect(page.getByText(VENDOR_PROMISE)).toBeVisible();
});

test('server.mjs sends the guide from memory exactly as Next.js sends it; RSC navigations still reach Next.js', async ({
  page,
  request,
}) => {
  // A query string is not the exact URL server.mjs keeps: Next.js answers that one itself.
  const fromMemory = await request.get('/help');
  const fromNext = await request.get('/help?through=next');
  expect(fromMemory.status()).toBe(200);
  expect(fromMemory.headers()[FROM_MEMORY]).toBe('1');
  expect(fromNext.headers()[FROM_MEMORY]).toBeUndefined();
  expect(await fromMemory.body()).toEqual(await fromNext.body());
  const perResponse = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'x-request-id', FROM_MEMORY]);
  const stable = (headers: Record<string, string>) =>
    Object.fromEntries(Object.entries(headers).filter(([name]) => !perResponse.has(name)));
  expect(stable(fromMemory.headers())).toEqual(stable(fromNext.headers()));
  expect(fromMemory.headers()['x-frame-options']).toBe('DENY');
  expect(fromMemory.headers()['cross-origin-opener-policy']).toBe('same-origin');

  const etag = fromMemory.headers()['etag']!;
  expect((await request.get('/help', { headers: { 'if-none-match': etag } })).status()).toBe(304);
  const head = await request.head('/help');
  expect(head.status()).toBe(200);
  expect(head.headers()[FROM_MEMORY]).toBe('1');
  expect((await head.body()).length).toBe(0);
  const identity = await request.get('/help', { headers: { 'accept-encoding': 'identity' } });
  expect(identity.headers()[FROM_MEMORY]).toBe('1');
  expect(identity.headers()['content-encoding']).toBeUndefined();
  expect(await identity.body()).toEqual(await fromNext.body());

  // A client-side navigation asks for the RSC payload, which only Next.js has.
  const rsc = await request.get('/help', { headers: { rsc: '1' }, maxRedirects: 0 });
  expect(rsc.headers()[FROM_MEMORY]).toBeUndefined();
  await page.goto('/');
  await page.getByRole('link', { name: 'Can’t sign in?' }).click();
  await expect(page).toHaveURL(/\/help$/);
  await expect(page.locator(`#${GUIDE_STEPS[0]!.id} h2`)).toContainText(GUIDE_STEPS[0]!.title);
});

test('the guide gives the eight steps in order, each at its own anchor, with the promise', async ({ page }) => {
  await fakeStatus(page, { status: 404 });
  const response = await page.goto('/help');
  expect(response?.headers()['x-nextjs-prerender']).toBeTruthy();
  const ids = await page.locator('section.help-step').evaluateAll((sections) => sections.map((s) => s.id));
  expect(ids).toEqual(GUIDE_STEPS.map((step) => step.id));
  for (const [index, step] of GUIDE_STEPS.entries()) {
    await expect(page.locator(`#${step.id} h2`)).toHaveText(`Step ${index + 1} ${step.title}`);
    await expect(page.getByRole('navigation', { name: 'Steps' }).getByRole('link', { name: step.title })).toHaveAttribute(
      'href',
      `#${step.id}`,
    );
  }
  await expect(page.getByText(VENDOR_PROMISE).first()).toBeVisible();
  await expect(page.locator('#contact-admin').getByRole('link', { name: 'Ask your administrators for help' })).toHaveAttribute(
    'href',
    '/help/ask-admin',
  );
  await expect(page.locator('#admin-reset').getByRole('link', { name: /super administrator password reset/ })).toHaveAttribute(
    'href',
    '/super-admin-reset',
  );

  await page.goto('/help#downtime');
  await expect(page.locator('#downtime h2')).toBeInViewport();
});

test('the guide reads in full without JavaScript, and no live check pretends to run', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/help');
  for (const step of GUIDE_STEPS) await expect(page.locator(`#${step.id} h2`)).toContainText(step.title);
  await expect(page.getByText(VENDOR_PROMISE).first()).toBeVisible();
  for (const name of ['Google Chrome', 'Microsoft Edge', 'Mozilla Firefox', 'Safari on a Mac', 'iPhone or iPad', 'Android phone or tablet']) {
    await expect(page.getByRole('heading', { name: new RegExp(name) })).toBeVisible();
  }
  await expect(page.getByLabel('Try it here')).toHaveCount(0);
  await expect(page.locator('.live-check')).toHaveCount(0);
  // Each live check says where its answer is instead: the status page.
  for (const check of ['vendor-website-check', 'status-check', 'downtime-check']) {
    await expect(page.getByTestId(check).getByRole('link', { name: 'CareNotes status page' }), check).toHaveAttribute('href', '/status');
  }
  await context.close();
});

test('with the network cut, the connection check gives the offline advice, and recovers', async ({ page, context }) => {
  await fakeStatus(page, { status: 404 });
  await page.goto('/help');
  const check = page.getByTestId('connection-check');
  await expect(check).toContainText('Your connection works, and CareNotes is answering.');

  await context.setOffline(true);
  await expect(check).toContainText('Your device is not connected to the internet.');
  await expect(check).toContainText('Check that Wi-Fi is on and connected');

  await context.setOffline(false);
  await expect(check).toContainText('Your connection works, and CareNotes is answering.');
});

test('the connection check says so when CareNotes does not answer, or something else does', async ({ page }) => {
  await fakeStatus(page, { status: 404 });
  await page.route('**/api/health', (route) => route.abort('connectionrefused'));
  await page.goto('/help');
  const check = page.getByTestId('connection-check');
  await expect(check).toContainText('could not reach CareNotes just now');
  await expect(check).toContainText('well-known website');

  await page.unroute('**/api/health');
  await page.route('**/api/health', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>Guest Wi-Fi</h1>' }));
  await page.getByRole('button', { name: 'Check again' }).click();
  await expect(check).toContainText('Something other than CareNotes answered');
});

test('the Caps Lock try-it box warns while Caps Lock is on, and stops when it is off', async ({ page }) => {
  await fakeStatus(page, { status: 404 });
  await page.goto('/help');
  const box = page.getByLabel('Try it here');
  const warning = page.getByTestId('try-caps-lock');
  await box.focus();
  // Headless Chromium has no real Caps Lock state: send what a keyboard with it on would send.
  await box.dispatchEvent('keydown', { key: 'A', modifierCapsLock: true });
  await expect(warning).toHaveText('Caps Lock is on. Passwords are case-sensitive.');
  await box.dispatchEvent('keyup', { key: 'CapsLock', modifierCapsLock: false });
  await expect(warning).toBeHidden();
  await expect(page.getByText('Caps Lock is off.')).toBeVisible();
});

test('without the status, steps 3, 4 and 6 say plainly to see the status page', async ({ page }) => {
  await fakeStatus(page, { status: 404 });
  await page.goto('/help');
  await expect(page.getByTestId('vendor-website-check')).toContainText('CareNotes is answering.');
  await expect(page.getByTestId('vendor-website-check')).toContainText(STATUS_UNAVAILABLE);
  await expect(page.getByTestId('status-check')).toHaveText(`Warning: ${STATUS_UNAVAILABLE}`);
  await expect(page.getByTestId('downtime-check')).toHaveText(`Warning: ${STATUS_UNAVAILABLE}`);
});

test('steps 3, 4 and 6 show the current state, the posted incident and the maintenance window', async ({ page }) => {
  await fakeStatus(
    page,
    summary({
      overall: 'MAJOR_OUTAGE',
      components: [
        { slug: 'sign-in', name: 'Sign-in', status: 'MAJOR_OUTAGE' },
        { slug: 'notes', name: 'Case notes', status: 'OPERATIONAL' },
      ],
      activeIncidents: [
        {
          id: 'i1',
          title: 'Sign-in failing for some agencies',
          impact: 'MAJOR_OUTAGE',
          status: 'IDENTIFIED',
          startedAt: new Date(Date.now() - 3600_000).toISOString(),
          latestUpdate: { message: 'A fix is being deployed.', createdAt: new Date().toISOString() },
        },
      ],
      maintenance: {
        active: {
          id: 'mw1',
          title: 'Emergency database work',
          description: 'Sign-in is paused.',
          startsAt: new Date(Date.now() - 600_000).toISOString(),
          endsAt: new Date(Date.now() + 45 * 60_000 + 30_000).toISOString(),
          blocksSignIn: true,
        },
        next: null,
      },
    }),
  );
  await page.goto('/help');
  const vendor = page.getByTestId('vendor-website-check');
  await expect(vendor).toContainText('Messages from CareNotes');
  await expect(vendor).toContainText('Sign-in failing for some agencies');
  await expect(vendor).toContainText('A fix is being deployed.');

  const status = page.getByTestId('status-check');
  await expect(status).toContainText('Problem: CareNotes is down.');
  await expect(status).toContainText('Sign-in: down');
  await expect(status).not.toContainText('Case notes');

  const downtime = page.getByTestId('downtime-check');
  await expect(downtime).toContainText('Downtime now: Emergency database work');
  await expect(downtime).toContainText('in about 45 minutes');
  await expect(downtime).toContainText('You cannot sign in until it ends.');
});

test('step 6 announces the next planned window and its length', async ({ page }) => {
  await fakeStatus(page, summary());
  await page.goto('/help');
  await expect(page.getByTestId('status-check')).toContainText('Good: All parts of CareNotes are working normally.');
  await expect(page.getByTestId('downtime-check')).toContainText('Next planned downtime: Database upgrade');
  await expect(page.getByTestId('downtime-check')).toContainText('(2 hours)');
});

test('the detected browser’s cache instructions come first, the others folded', async ({ page }) => {
  await fakeStatus(page, { status: 404 });
  await page.goto('/help');
  const step = page.locator('#clear-cache');
  await expect(step.getByText('Your browser looks like this one:')).toBeVisible();
  await expect(step.locator('.screen-only .browser-steps').first()).toHaveAttribute('data-browser', 'chrome');
  const edge = step.locator('.screen-only [data-browser="edge"]');
  await expect(edge).toBeHidden();
  await step.getByText('Instructions for other browsers').click();
  await expect(edge).toBeVisible();
});

test('on an iPhone the iPhone instructions come first', async ({ browser }) => {
  const context = await browser.newContext({ userAgent: IPHONE });
  const page = await context.newPage();
  await page.route('**/api/status', (route) => route.fulfill({ status: 404, body: 'Not found' }));
  await page.goto('/help');
  await expect(page.locator('#clear-cache .screen-only .browser-steps').first()).toHaveAttribute('data-browser', 'ios');
  await context.close();
});

test('the printed guide has every browser’s instructions and none of the live checks', async ({ page }) => {
  await fakeStatus(page, { status: 404 });
  await page.goto('/help');
  await expect(page.getByTestId('connection-check')).toContainText('CareNotes is answering');
  await page.emulateMedia({ media: 'print' });
  for (const id of ['chrome', 'edge', 'firefox', 'safari', 'ios', 'android']) {
    await expect(page.locator(`#clear-cache [data-browser="${id}"]:visible`)).toHaveCount(1);
  }
  await expect(page.getByTestId('connection-check')).toBeHidden();
  await expect(page.getByLabel('Try it here')).toBeHidden();
  await expect(page.locator('.site-header')).toBeHidden();
  await expect(page.locator('#downtime h2')).toBeVisible();
});
