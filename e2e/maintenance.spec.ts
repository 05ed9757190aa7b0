import { createHash } from 'node:crypto';
import type { APIRequestContext, APIResponse, Page } from '@playwright/test';
import { POLL_SECONDS } from '@/lib/maintenance/unavailable-page';
import { DEMO_PASSWORD } from '@/prisma/seed';
import { expectNoAxeViolations } from './support/axe';
import { db, newStaffMember } from './support/data';
import { E2E_BASE_URL } from './support/env';
import { expect, signInAsAgencyUser, signInAsVendor, test } from './support/test';

// These tests put the whole app into maintenance: each ends its window before it returns, and
// waits until sign-in answers again (the proxy keeps its lookup for up to a second).
async function startBlockingWindow(minutes: number, title = 'Planned upgrade') {
  const signIn = await db().statusComponent.findUniqueOrThrow({ where: { slug: 'sign-in' } });
  return db().maintenanceWindow.create({
    data: {
      title,
      startsAt: new Date(Date.now() - 60_000),
      endsAt: new Date(Date.now() + minutes * 60_000),
      startedAt: new Date(),
      blocksSignIn: true,
      components: { create: [{ componentId: signIn.id }] },
    },
  });
}

/** A new staff member's sign-in page, opened and filled in before any window starts; the member. */
async function signInFormFilledBeforeTheWindow(page: Page) {
  const { creds, user } = await newStaffMember();
  await page.goto('/login');
  await page.getByLabel('Provider code').fill(creds.providerCode);
  await page.getByLabel('Login name').fill(creds.loginName);
  await page.getByLabel('Password', { exact: true }).fill(creds.password);
  return user;
}

async function endWindow(id: string, request: APIRequestContext) {
  await db().maintenanceWindow.updateMany({ where: { id, endedAt: null }, data: { endedAt: new Date() } });
  await expect.poll(async () => (await request.get('/login')).status()).toBe(200);
}

/**
 * Ends the window and waits until what the Unavailable page's own check reads says so: the status
 * summary (a copy kept in memory, turned within a second or so) and /login, where it then goes.
 */
async function endWindowAsTheUnavailablePageSees(id: string, request: APIRequestContext) {
  await endWindow(id, request);
  await expect.poll(async () => (await (await request.get('/api/status')).json()).maintenance.active).toBeNull();
}

/**
 * Waits until the app's own lookup (a copy apart from the proxy's) closes sign-in too: from a tab
 * opened before the window, a sign-in that never runs in any case (it sends a field the form does
 * not have) until it is refused for the window.
 */
async function untilTheAppClosesSignIn(probe: Page) {
  await expect(async () => {
    for (const label of ['Provider code', 'Login name']) await probe.getByLabel(label).fill('probe');
    await probe.getByLabel('Password', { exact: true }).fill('probe');
    await probe.locator('form', { has: probe.getByLabel('Login name') }).evaluate((form) => {
      if (!form.querySelector('input[name="probe"]')) form.insertAdjacentHTML('beforeend', '<input type="hidden" name="probe" value="1">');
    });
    await probe.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(probe.getByText(/CareNotes is unavailable for planned maintenance until .+\. Nothing was changed\./)).toBeVisible({ timeout: 1_000 });
  }).toPass();
}

/**
 * A window made to start shortly, seen announced by a copy kept in memory before it starts. A machine
 * too slow for that costs time, not the test: the window is cancelled and made again further ahead.
 */
async function announcedBeforeItStarts<W extends { id: string }>(make: (startsAt: Date) => Promise<W>, announced: (window: W) => Promise<boolean>) {
  for (const lead of [20_000, 40_000, 80_000]) {
    const startsAt = new Date(Date.now() + lead);
    const window = await make(startsAt);
    const seen = await expect
      .poll(() => announced(window), { timeout: Math.max(1, startsAt.getTime() - Date.now() - 2_000) })
      .toBe(true)
      .then(
        () => true,
        () => false,
      );
    if (seen) return { window, startsAt };
    await db().maintenanceWindow.update({ where: { id: window.id }, data: { cancelledAt: new Date() } });
  }
  throw new Error('No copy announced a window 80 seconds before its start');
}

test('[ANONYMOUS] during maintenance sign-in and the app answer 503 "Unavailable" that no cache may keep', async ({ request }) => {
  const window = await startBlockingWindow(60);
  try {
    await expect.poll(async () => (await request.get('/login')).status()).toBe(503);
    const page = await request.get('/login');
    const headers = page.headers();
    expect(headers['cache-control']).toBe('no-store');
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    expect(headers).not.toHaveProperty('etag');
    expect(headers).not.toHaveProperty('last-modified');
    expect(headers).not.toHaveProperty('expires');
    const retryAfter = Number(headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(58 * 60);
    expect(retryAfter).toBeLessThanOrEqual(60 * 60);
    const html = await page.text();
    expect(html).toContain('CareNotes is unavailable for planned maintenance');
    // Its one inline script is allowed by its hash and nothing else inline, like a prerendered page.
    const policy = headers['content-security-policy']!.split('; ');
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(policy.find((directive) => directive.startsWith('script-src '))).toBe(
      `script-src 'self' 'sha256-${createHash('sha256').update(script).digest('base64')}'`,
    );
    expect(policy).toContain("frame-ancestors 'none'");
    expect(html).toContain(`datetime="${window.endsAt.toISOString()}"`);
    for (const href of ['/help', '/status', '/help/downtime']) expect(html).toContain(`href="${href}"`);

    for (const path of ['/account', '/change-password', '/admin', '/reset/made-up-link-token', '/reset/done']) {
      const blocked = await request.get(path, { maxRedirects: 0 });
      expect(blocked.status(), path).toBe(503);
      expect(blocked.headers()['cache-control']).toBe('no-store');
    }
    // A server action called there with JavaScript is the kit's to close, in words its form shows (the
    // next test; test/integration/maintenance-actions.test.ts): this page would be nothing it can read.

    for (const path of ['/api/me']) {
      const api = await request.get(path);
      expect(api.status(), path).toBe(503);
      expect(api.headers()['content-type']).toBe('application/json');
      expect(api.headers()['cache-control']).toBe('no-store');
      expect(Number(api.headers()['retry-after'])).toBeGreaterThan(0);
      expect(api.headers()).not.toHaveProperty('etag');
      expect(await api.json()).toMatchObject({ error: 'MAINTENANCE', expectedEnd: window.endsAt.toISOString() });
    }

    for (const path of ['/', '/status', '/status/feed.atom', '/api/health', '/api/status', '/vendor/login']) {
      expect((await request.get(path)).status(), path).toBe(200);
    }
    expect((await request.get('/help')).status()).not.toBe(503);
    // Kept in memory too: in step with the window within a second or so of its write.
    await expect.poll(async () => (await (await request.get('/api/status')).json()).maintenance.active).toMatchObject({ id: window.id, blocksSignIn: true });
  } finally {
    await endWindow(window.id, request);
  }
});

test('[STAFF] in Chromium: the Unavailable page, an operator ends the window, the same tab’s reload gets the real sign-in page', async ({
  page,
  browser,
  request,
}) => {
  const window = await startBlockingWindow(60, 'Storage migration');
  try {
    await expect.poll(async () => (await request.get('/login')).status()).toBe(503);
    const first = await page.goto('/login');
    expect(first?.status()).toBe(503);
    await expect(page.getByRole('heading', { name: 'CareNotes is unavailable for planned maintenance' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Sign-in help guide' })).toHaveAttribute('href', '/help');
    await expectNoAxeViolations(page);
    // The guide's live checks say sign-in is closed, not "Good: ask your administrator" (review r52d F3).
    await page.goto('/help');
    await expect(page.getByTestId('connection-check')).toContainText('sign-in is closed for planned maintenance');
    await expect(page.getByTestId('vendor-website-check')).toContainText('sign-in is closed for planned maintenance');
    expect((await page.goto('/login'))?.status()).toBe(503);

    // The vendor workspace stays up: the operator signs in during the window and ends it.
    const operatorContext = await browser.newContext();
    const operator = await operatorContext.newPage();
    await signInAsVendor(operator, { email: 'otto.operator@carenotes.example', password: DEMO_PASSWORD });
    await expect(operator).toHaveURL(/\/vendor$/);
    await operator.goto('/vendor/status');
    const card = operator.locator('div', { has: operator.getByRole('heading', { name: 'Storage migration' }) }).last();
    await card.getByRole('button', { name: 'End maintenance now' }).click();
    await expect(operator.getByRole('status').filter({ hasText: 'Maintenance ended.' })).toBeVisible();
    await operatorContext.close();
    // The proxy's lookup is at most a second old.
    await expect.poll(async () => (await request.get('/login')).status()).toBe(200);
  } finally {
    await endWindow(window.id, request);
  }
  const reloaded = await page.reload();
  expect(reloaded?.status()).toBe(200);
  await expect(page.getByRole('heading', { name: 'Sign in to CareNotes' })).toBeVisible();
  await expect(page.getByLabel('Provider code')).toBeVisible();
});

test('[STAFF] the Unavailable page notices by itself that the window ended and opens the sign-in page', async ({ page, request }) => {
  // The page's clock is the test's: its own check runs once what it reads has turned.
  await page.clock.install();
  const window = await startBlockingWindow(60);
  try {
    await expect.poll(async () => (await request.get('/login')).status()).toBe(503);
    await page.goto('/login');
    await expect(page.getByRole('heading', { name: 'CareNotes is unavailable for planned maintenance' })).toBeVisible();
    // The operator ends it early; nobody touches the tab.
    await endWindowAsTheUnavailablePageSees(window.id, request);
    await page.clock.fastForward(POLL_SECONDS * 1000);
    await expect(page.getByRole('heading', { name: 'Sign in to CareNotes' })).toBeVisible();
  } finally {
    await endWindow(window.id, request);
  }
});

test('[STAFF] a sign-in posted before the page’s scripts ran meets the Unavailable page: when the window ends, it opens the sign-in page and sends nothing again', async ({ page, request }) => {
  await page.clock.install();
  const user = await signInFormFilledBeforeTheWindow(page);
  const posts: string[] = [];
  page.on('request', (sent) => {
    if (sent.method() === 'POST' && !sent.headers()['next-action']) posts.push(sent.url());
  });
  const window = await startBlockingWindow(60);
  try {
    await expect.poll(async () => (await request.get('/login')).status()).toBe(503);
    // A plain form post, as a browser sends one before the page's scripts have loaded.
    await Promise.all([page.waitForEvent('load'), page.evaluate(() => document.querySelector('form')!.submit())]);
    await expect(page.getByRole('heading', { name: 'CareNotes is unavailable for planned maintenance' })).toBeVisible();
    await endWindowAsTheUnavailablePageSees(window.id, request);
    await page.clock.fastForward(POLL_SECONDS * 1000);
    await expect(page.getByRole('heading', { name: 'Sign in to CareNotes' })).toBeVisible();
  } finally {
    await endWindow(window.id, request);
  }
  expect(posts).toHaveLength(1);
  await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
  expect(await db().authSession.count({ where: { userId: user.id } })).toBe(0);
});

test('[ANONYMOUS] the sign-in page announces a window that blocks sign-in from 72 hours before', async ({ page }) => {
  const signIn = await db().statusComponent.findUniqueOrThrow({ where: { slug: 'sign-in' } });
  const startsAt = new Date(Date.now() + 48 * 3_600_000);
  const later = new Date(Date.now() + 100 * 3_600_000);
  const make = (title: string, at: Date) =>
    db().maintenanceWindow.create({
      data: { title, startsAt: at, endsAt: new Date(at.getTime() + 7_200_000), blocksSignIn: true, components: { create: [{ componentId: signIn.id }] } },
    });
  const soon = await make('Upgrade in two days', startsAt);
  const farOff = await make('Upgrade in four days', later);
  try {
    await expect(async () => {
      await page.goto('/login');
      await expect(page.getByTestId('sign-in-maintenance')).toContainText('Planned maintenance: Upgrade in two days.', { timeout: 100 });
    }).toPass();
    await expect(page.getByTestId('sign-in-maintenance')).toContainText('You will not be able to sign in from');
    await expect(page.getByText('Upgrade in four days')).toHaveCount(0);
  } finally {
    await db().maintenanceWindow.updateMany({ where: { id: { in: [soon.id, farOff.id] } }, data: { cancelledAt: new Date() } });
  }
});

test('[STAFF] signing in with JavaScript from a page opened before the window says the portal is closed until its end, and nothing happens', async ({ page, request }) => {
  const user = await signInFormFilledBeforeTheWindow(page);
  const probe = await page.context().newPage();
  await probe.goto('/login');
  const window = await startBlockingWindow(60);
  try {
    await expect.poll(async () => (await request.get('/login')).status()).toBe(503);
    // The proxy sees the window; the app's own lookup is a separate copy, a moment older.
    await untilTheAppClosesSignIn(probe);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByText(/CareNotes is unavailable for planned maintenance until .+\. Nothing was changed\./)).toBeVisible();
    await expect(page).toHaveURL(/\/login$/);
    expect(await db().authSession.count({ where: { userId: user.id } })).toBe(0);
  } finally {
    await endWindow(window.id, request);
  }
});

test('[STAFF] during maintenance agency sign-in is closed wherever its action is posted, and opens again after', async ({ browser, request }) => {
  const { user, creds } = await newStaffMember();
  // The sign-in form as a browser without JavaScript posts it: React's hidden fields name the action.
  const page = await browser.newPage({ javaScriptEnabled: false });
  await page.goto('/login');
  const hidden = await page
    .locator('form', { has: page.getByLabel('Password', { exact: true }) })
    .locator('input[type="hidden"]')
    .evaluateAll((inputs) => inputs.map((input): [string, string] => [(input as HTMLInputElement).name, (input as HTMLInputElement).value]));
  await page.close();
  expect(hidden.some(([name]) => name.startsWith('$ACTION_'))).toBe(true);
  const form = { ...Object.fromEntries(hidden), providerCode: creds.providerCode, loginName: creds.loginName, password: creds.password, callbackUrl: '/account' };
  // Posted to /login (which the window closes) and to paths it leaves open, where no page may run it.
  const postAt = (path: string) => request.post(path, { headers: { origin: E2E_BASE_URL }, multipart: form, maxRedirects: 0 });
  const signedIn = async () => db().authSession.count({ where: { userId: user.id } });

  const window = await startBlockingWindow(30);
  try {
    await expect.poll(async () => (await request.get('/login')).status()).toBe(503);
    for (const path of ['/login', '/vendor', '/vendor/login', '/help', '/']) {
      const answer = await postAt(path);
      expect(answer.status(), path).not.toBe(303);
      expect(answer.headers()['set-cookie'] ?? '', path).not.toMatch(/session-token/);
    }
    expect(await signedIn()).toBe(0);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: { startsWith: 'SIGN_IN' } } })).toBe(0);
  } finally {
    await endWindow(window.id, request);
  }
  // The very same post signs in once the window is over (within the second each part of an instance
  // keeps its lookup; a refused post changes nothing): the refusals above were the window's.
  let after: APIResponse | undefined;
  await expect.poll(async () => (after = await postAt('/login')).status()).toBe(303);
  expect(after!.headers()['set-cookie']).toMatch(/session-token/);
  expect(await signedIn()).toBe(1);
  // No other page serves agency sign-in: the signed-in pages import only sign-out's module.
  expect((await postAt('/vendor')).status()).not.toBe(303);
  expect(await signedIn()).toBe(1);
});

test('[ANONYMOUS] the sign-in page kept in memory stops at the start of the window it announces', async ({ request }) => {
  test.setTimeout(240_000);
  const signIn = await db().statusComponent.findUniqueOrThrow({ where: { slug: 'sign-in' } });
  // The copy in memory announces it (the write moved the status version)...
  const { window, startsAt } = await announcedBeforeItStarts(
    (at) =>
      db().maintenanceWindow.create({
        data: {
          title: 'Starts in a moment',
          startsAt: at,
          endsAt: new Date(at.getTime() + 3_600_000),
          blocksSignIn: true,
          components: { create: [{ componentId: signIn.id }] },
        },
      }),
    async () => {
      const answer = await request.get('/login');
      return answer.headers()['x-portal-from-memory'] === '1' && (await answer.text()).includes('Starts in a moment');
    },
  );
  try {
    // ...and is not sent once the window runs, although nothing was written since: without its end
    // the copy would be sent until its next render, a minute later.
    await expect.poll(async () => (await request.get('/login')).status(), { timeout: startsAt.getTime() - Date.now() + 15_000 }).toBe(503);
    expect(Date.now()).toBeGreaterThanOrEqual(startsAt.getTime());
  } finally {
    await endWindow(window.id, request);
  }
});

test('[ANONYMOUS] the status summary and feed kept in memory turn to a window at its start, by the clock alone', async ({ request }) => {
  test.setTimeout(240_000);
  const api = await db().statusComponent.findUniqueOrThrow({ where: { slug: 'api' } });
  const summary = async () => {
    const answer = await request.get('/api/status');
    return { fromMemory: answer.headers()['x-portal-from-memory'] === '1', ...(await answer.json()) };
  };
  const feed = async () => {
    const answer = await request.get('/status/feed.atom');
    return { fromMemory: answer.headers()['x-portal-from-memory'] === '1', text: await answer.text() };
  };
  const version = async () => (await db().statusVersion.findUniqueOrThrow({ where: { id: 1 } })).version;
  // Marked started already, so that no round writes anything when it starts.
  const { window, startsAt } = await announcedBeforeItStarts(
    (at) =>
      db().maintenanceWindow.create({
        data: {
          title: 'Summary turns',
          startsAt: at,
          startedAt: at,
          endsAt: new Date(at.getTime() + 3_600_000),
          blocksSignIn: false,
          components: { create: [{ componentId: api.id }] },
        },
      }),
    async (made) => {
      const now = await summary();
      const feedNow = await feed();
      return now.fromMemory && now.maintenance.next?.id === made.id && feedNow.fromMemory && feedNow.text.includes('Planned maintenance: Summary turns');
    },
  );
  try {
    const announced = await version();
    expect(Date.now()).toBeLessThan(startsAt.getTime());
    await expect.poll(async () => (await summary()).maintenance.active?.id, { timeout: startsAt.getTime() - Date.now() + 15_000 }).toBe(window.id);
    expect(Date.now()).toBeGreaterThanOrEqual(startsAt.getTime());
    // The feed's copy too says where the window stands now (review r41h I1).
    await expect.poll(async () => (await feed()).text).toContain('Maintenance in progress: Summary turns');
    // Nothing was written since the copies announced it: each copy's own mark ended it, not a write.
    expect(await version()).toBe(announced);
    await expect.poll(async () => (await summary()).fromMemory).toBe(true);
  } finally {
    await endWindow(window.id, request);
  }
});

test('[STAFF] signing out without JavaScript during maintenance ends the session; the tab shows the Unavailable page, never the signed-in one', async ({ browser, request }) => {
  const { creds, user } = await newStaffMember();
  const context = await browser.newContext({ baseURL: E2E_BASE_URL, javaScriptEnabled: false });
  const page = await context.newPage();
  await signInAsAgencyUser(page, creds);
  await expect(page).toHaveURL(/\/account$/);
  const window = await startBlockingWindow(60);
  try {
    await expect.poll(async () => (await request.get('/login')).status()).toBe(503);
    // The signed-in page was open before the window; its sign-out button is pressed during it.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { name: 'CareNotes is unavailable for planned maintenance' })).toBeVisible();
    expect(page.url()).toMatch(/\/login\?done=signed-out\./);
    expect(await db().authSession.count({ where: { userId: user.id, endedAt: null } })).toBe(0);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'SIGNED_OUT' } })).toBe(1);
  } finally {
    await endWindow(window.id, request);
    await context.close();
  }
});
