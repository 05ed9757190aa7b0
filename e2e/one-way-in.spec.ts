// One way in: every form works without JavaScript and never puts a secret in a URL; cross-site,
// malformed and unexpected requests are refused by the one gate, with nothing changed.
import type { Page, Request } from '@playwright/test';
import Database from 'better-sqlite3';
import { DEMO_PASSWORD } from '@/prisma/seed';
import { db, newMemberOfDemoAgency, newStaffMember } from './support/data';
import { E2E_BASE_URL, E2E_DATABASE_URL } from './support/env';
import { fileSuperAdminRequest } from './super-admin-support';
import { expect, signInAsAgencyUser, signInAsVendor, test } from './support/test';

const GENERIC_REFUSAL = /The details you entered are not right/;

/** Every URL the page asks for, to prove no password ever travels in one. */
function recordRequestUrls(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request: Request) => urls.push(decodeURIComponent(request.url())));
  return urls;
}

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });

  test('[STAFF] signs in with a POST form, sees server-rendered refusals, and no password reaches a URL', async ({ page }) => {
    const { creds, user } = await newStaffMember();
    const urls = recordRequestUrls(page);
    await page.goto('/login');
    const form = page.locator('form', { has: page.getByLabel('Password', { exact: true }) });
    await expect(form).toHaveAttribute('method', /post/i);

    await page.getByLabel('Provider code').fill(creds.providerCode);
    await page.getByLabel('Login name').fill(creds.loginName);
    await page.getByLabel('Password', { exact: true }).fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.locator('.error-summary')).toContainText(GENERIC_REFUSAL);
    // What was typed stays, but never the password.
    await expect(page.getByLabel('Provider code')).toHaveValue(creds.providerCode);
    await expect(page.getByLabel('Login name')).toHaveValue(creds.loginName);
    await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
    expect(await page.content()).not.toContain('not the password at all');

    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.locator('.error-summary')).toContainText('Enter your password');

    await page.getByLabel('Password', { exact: true }).fill(creds.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login\?done=signed-out\./);
    // Without JavaScript too, the page says the sign-out worked; the same address later says nothing.
    await expect(page.getByRole('status').filter({ hasText: 'You are signed out.' })).toBeVisible();
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'SIGNED_OUT' } })).toBe(1);
    expect((await page.goto('/account'))?.url()).toMatch(/\/login\?callbackUrl=/);
    await expect(page.getByText('You are signed out.')).toHaveCount(0);

    for (const url of urls) {
      expect(url).not.toContain(creds.password);
      expect(url).not.toContain('not the password at all');
      expect(url).not.toMatch(/password=/i);
    }
  });

  test('[STAFF] a temporary password leads to the change form, which works without JavaScript', async ({ page }) => {
    const temporary = 'K7MZ4QP2XR9TWH3N';
    const { creds } = await newStaffMember({ temporaryPassword: temporary });
    await page.goto('/login');
    await page.getByLabel('Provider code').fill(creds.providerCode);
    await page.getByLabel('Login name').fill(creds.loginName);
    await page.getByLabel('Password', { exact: true }).fill(temporary);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page).toHaveURL(/\/change-password$/);
    await page.getByLabel('Current password').fill(temporary);
    await page.getByLabel('New password', { exact: true }).fill('lantern meadow copper violin');
    await page.getByLabel('Confirm new password').fill('lantern meadow copper violin');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page).toHaveURL(/\/account\?done=password-changed\.\d+\.[\w-]+$/);
  });

  test('[VERIFIER] signs in at the vendor page without JavaScript', async ({ page }) => {
    await signInAsVendor(page, { email: 'vera.verifier@carenotes.example', password: DEMO_PASSWORD });
    await expect(page).toHaveURL(/\/vendor$/);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/vendor\/login\?done=signed-out\./);
    // Without JavaScript too, the vendor's page says the sign-out worked; the same page later says nothing.
    await expect(page.getByRole('status').filter({ hasText: 'You are signed out.' })).toBeVisible();
    expect((await page.goto('/vendor'))?.url()).toMatch(/\/vendor\/login$/);
    await expect(page.getByText('You are signed out.')).toHaveCount(0);
  });

  test('[ANONYMOUS] an address nobody has, or a page that is not there, gets a page that says so, with ways on, and a 404', async ({ page }) => {
    // The second is a page's own notFound(): Next.js renders it as an empty shell (Next.js #62228).
    for (const address of ['/no-such-page', '/status/no-such-view']) {
      const answer = await page.goto(address);
      expect(answer?.status(), address).toBe(404);
      await expect(page.getByRole('heading', { level: 1 }), address).toHaveText('We could not find that page');
      await expect(page.getByRole('link', { name: 'Help with signing in' })).toHaveAttribute('href', '/help');
    }
    // Under a secret link's address, the page keeps what keeps the link out of Referer headers.
    const underSecret = await page.goto('/reset/not-a-live-token/more');
    expect([underSecret?.status(), underSecret?.headers()['referrer-policy']]).toEqual([404, 'no-referrer']);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('We could not find that page');
  });

  test('[ANONYMOUS] a form posted without JavaScript to a page that is not there gets the page that says so, not an empty one', async ({ page }) => {
    // The alert form of /status, posted as the browser posts it, to a status view nobody has: its action
    // runs, then the page is not there.
    const BOUNDARY = '----formdata-portal-e2e';
    const html = await (await page.request.get('/status')).text();
    const hidden = [...html.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?\/>/g)].map(([, name, value = '']) => [name!, value.replace(/&quot;/g, '"').replace(/&amp;/g, '&')]);
    expect(hidden.map(([name]) => name)).toContain('$ACTION_KEY');
    const form = [...hidden, ['email', 'not-an-address']].map(([name, value]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('') + `--${BOUNDARY}--\r\n`;
    const answer = await page.request.post('/status/no-such-view', { data: form, headers: { Origin: E2E_BASE_URL, 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, Accept: 'text/html' }, maxRedirects: 0 });
    expect(answer.status()).toBe(404);
    // In the page's markup, not only in the data its scripts would render from (Next.js's empty shell has that).
    expect(await answer.text()).toMatch(/<h1[^>]*>We could not find that page<\/h1>/);
  });

  test('[ANONYMOUS] asks an administrator for help without JavaScript', async ({ page }) => {
    const { creds } = await newMemberOfDemoAgency('acme-ny');
    await page.goto('/help/ask-admin');
    await page.getByLabel('Provider code').fill(creds.providerCode);
    await page.getByLabel('Login name').fill(creds.loginName);
    await page.getByRole('button', { name: 'Send request' }).click();
    await expect(page.getByTestId('ask-admin-sent')).toBeVisible();
  });

  test('[ANONYMOUS] files the super-admin reset form without JavaScript', async ({ page }) => {
    const reference = await fileSuperAdminRequest(page, { providerCode: 'SOLO-TX', loginName: 'olga.owner', fullName: 'Olga Owens' });
    expect(reference).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
  });
});

test('[ANONYMOUS] a page that is not there says so with JavaScript too, with nothing the page policy refuses', async ({ page }) => {
  const refused: string[] = [];
  page.on('console', (message) => /Content Security Policy|Refused to/i.test(message.text()) && refused.push(message.text()));
  expect((await page.goto('/status/no-such-view'))?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('We could not find that page');
  await page.getByRole('link', { name: 'System status' }).click();
  await expect(page.getByRole('heading', { name: 'CareNotes status', level: 1 })).toBeVisible();
  expect(refused).toEqual([]);
});

test('[STAFF] after signing in, only a plain path on the portal is followed', async ({ page }) => {
  const { creds, user } = await newStaffMember();
  const bypasses = [
    'https://evil.example/',
    '//evil.example/',
    '/\\evil.example',
    '/%09/evil.example',
    '/\t/evil.example',
    'javascript:alert(document.domain)',
    `${E2E_BASE_URL}.evil.example/`,
    '/%2F%2Fevil.example',
    // On the portal, but no page of this sign-in's own: another audience's, a route's JSON, a secret link's.
    '/vendor/queue',
    '/api/me',
    // Of this audience, but a section a staff member's role does not open, however it is spelled.
    '/admin',
    '/%61dmin/users',
    '/admin/audit/%65xport',
    '/;/evil.example',
    // Past the length the form carries back once resolved: the sign-in still goes through.
    `/account/${'é'.repeat(400)}`,
  ];
  for (const callbackUrl of bypasses) {
    await page.goto(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
    await page.getByLabel('Provider code').fill(creds.providerCode);
    await page.getByLabel('Login name').fill(creds.loginName);
    await page.getByLabel('Password', { exact: true }).fill(creds.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page, callbackUrl).toHaveURL(`${E2E_BASE_URL}/account`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login\?done=signed-out\./);
  }
  // A plain path of the portal is kept.
  await page.goto(`/login?callbackUrl=${encodeURIComponent('/account?from=guide')}`);
  await signInWithFilledForm(page, creds);
  await expect(page).toHaveURL(`${E2E_BASE_URL}/account?from=guide`);
  // No sign-in ended on a page that refused the person, recording "access denied" in their name.
  expect(await db().auditEvent.count({ where: { actorId: user.id, action: 'ACCESS_DENIED' } })).toBe(0);
});

async function signInWithFilledForm(page: Page, creds: { providerCode: string; loginName: string; password: string }) {
  await page.getByLabel('Provider code').fill(creds.providerCode);
  await page.getByLabel('Login name').fill(creds.loginName);
  await page.getByLabel('Password', { exact: true }).fill(creds.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

test('[PROVIDER_ADMIN] an unlock replayed without Origin, from another site, or with an extra field changes nothing', async ({ page }) => {
  const { user } = await newMemberOfDemoAgency('acme-ny');
  const lockedUntil = new Date(Date.now() + 60 * 60_000);
  await db().user.update({ where: { id: user.id }, data: { lockedUntil, failedSignInCount: 5 } });

  await signInAsAgencyUser(page, { providerCode: 'ACME-NY', loginName: 'pat.admin', password: DEMO_PASSWORD });
  await expect(page).toHaveURL(/\/account$/);

  // Capture the real action request the button sends, and hold it back (in a tab of its own, whose
  // aborted request the browser reports as an error).
  const capturing = await page.context().newPage();
  await capturing.goto(`/admin/users/${user.id}`);
  let captured: { url: string; headers: Record<string, string>; body: Buffer } | null = null;
  await capturing.route(`**/admin/users/${user.id}`, async (route) => {
    const request = route.request();
    if (request.method() !== 'POST') return route.continue();
    captured = { url: request.url(), headers: await request.allHeaders(), body: request.postDataBuffer()! };
    await route.abort();
  });
  await capturing.getByRole('button', { name: 'Unlock' }).click();
  await expect.poll(() => captured !== null).toBe(true);
  await capturing.close();
  const { url, headers, body } = captured!;
  const replay = (extra: Record<string, string | undefined>) => {
    const sent: Record<string, string> = {};
    for (const [name, value] of Object.entries({ ...headers, ...extra })) if (value !== undefined && !name.startsWith(':')) sent[name] = value;
    return page.request.fetch(url, { method: 'POST', headers: sent, data: body, maxRedirects: 0 });
  };

  const since = new Date();
  for (const [label, extra] of [
    ['no Origin, no Sec-Fetch-Site', { origin: undefined, 'sec-fetch-site': undefined }],
    ['another site', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }],
    ['a look-alike origin', { origin: `${E2E_BASE_URL}.evil.example` }],
    ['the null origin of a sandboxed frame', { origin: 'null', 'sec-fetch-site': 'cross-site' }],
    ['the null origin, nothing to vouch for it', { origin: 'null', 'sec-fetch-site': undefined }],
    ['no Origin, cross-site fetch', { origin: undefined, 'sec-fetch-site': 'cross-site' }],
  ] as const) {
    const response = await replay(extra);
    expect(response.status(), label).toBe(403);
  }
  expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).lockedUntil?.getTime()).toBe(lockedUntil.getTime());
  // Each replay refused and recorded (the first ten of a minute from an address each get a record).
  const refusals = await db().auditEvent.count({ where: { action: 'CROSS_SITE_REFUSED', createdAt: { gte: since }, details: { contains: user.id } } });
  expect(refusals).toBe(6);

  // The same request from our own page goes through.
  const allowed = await replay({});
  expect(allowed.status()).toBe(200);
  expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).lockedUntil).toBeNull();
});

test('[VERIFIER] an export opened from a link on another site is refused and not recorded; from the portal, or typed, it downloads', async ({ page }) => {
  await signInAsVendor(page, { email: 'vera.verifier@carenotes.example', password: DEMO_PASSWORD });
  await expect(page).toHaveURL(/\/vendor(\/queue)?$/);
  const exports = () => db().auditEvent.count({ where: { action: 'SUPER_ADMIN_QUEUE_EXPORTED' } });
  const before = await exports();

  // A page of another origin links to the export: the browser sends the session cookie (SameSite=Lax) and says cross-site.
  await page.goto(`data:text/html,<a href="${E2E_BASE_URL}/vendor/queue/export">queue</a>`);
  const answered = page.waitForResponse(`${E2E_BASE_URL}/vendor/queue/export`);
  await page.getByRole('link', { name: 'queue' }).click();
  const refused = await answered;
  expect(refused.status()).toBe(403);
  expect(refused.request().headers()['sec-fetch-site'] ?? (await refused.request().allHeaders())['sec-fetch-site']).toBe('cross-site');
  expect(await exports()).toBe(before);

  // From the portal's own page, and as a typed address (`none`), it is the person's own.
  for (const site of ['same-origin', 'none']) {
    const response = await page.request.get('/vendor/queue/export', { headers: { 'sec-fetch-site': site } });
    expect(response.status(), site).toBe(200);
  }
  expect(await exports()).toBe(before + 2);

  // A browser without Fetch Metadata is judged by the page it names as the referrer.
  expect((await page.request.get('/vendor/queue/export', { headers: { referer: 'https://elsewhere.example/queue' } })).status()).toBe(403);
  expect(await exports()).toBe(before + 2);
  expect((await page.request.get('/vendor/queue/export', { headers: { referer: `${E2E_BASE_URL}/vendor/queue` } })).status()).toBe(200);
  expect(await exports()).toBe(before + 3);
});

test('[STAFF] a link on another site to an admin page, with text of its own in the path, leaves a short record that says where it came from', async ({ page }) => {
  const { creds, user } = await newStaffMember();
  await signInAsAgencyUser(page, creds);
  await expect(page).toHaveURL(/\/account$/);
  const planted = encodeURIComponent(`URGENT: ${'call the number below '.repeat(100)}`);
  await page.goto(`data:text/html,<a href="${E2E_BASE_URL}/admin/users/${planted}">open</a>`);
  const answered = page.waitForResponse((response) => response.url().startsWith(`${E2E_BASE_URL}/admin/users/`));
  await page.getByRole('link', { name: 'open' }).click();
  expect((await answered).status()).toBe(404);
  const record = await db().auditEvent.findFirstOrThrow({ where: { actorId: user.id, action: 'ACCESS_DENIED' }, orderBy: { createdAt: 'desc' } });
  const details = JSON.parse(record.details ?? '{}') as { what: string; sentByAnotherSite?: boolean };
  expect(details.what.length).toBeLessThanOrEqual(200);
  expect(details.what.startsWith('page /admin/users/URGENT')).toBe(true);
  expect(details.sentByAnotherSite).toBe(true);
});

test('[ANONYMOUS] a flood of cross-site posts is refused in full, leaves a bounded audit trail with its count, and sign-in still works', async ({ page, request }) => {
  const since = new Date();
  const flood = 300;
  const answers = await Promise.all(
    Array.from({ length: flood }, () =>
      request.post('/login', {
        headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', 'content-type': 'application/x-www-form-urlencoded' },
        data: 'providerCode=ACME-NY&loginName=jsmith&password=x',
        maxRedirects: 0,
      }),
    ),
  );
  expect(answers.map((answer) => answer.status())).toEqual(Array(flood).fill(403));
  const records = await db().auditEvent.findMany({ where: { action: 'CROSS_SITE_REFUSED', createdAt: { gte: since } }, select: { details: true } });
  // The first ten of a minute from an address are each recorded, then the 100th, 1,000th… A slow
  // run's flood may cross into the address's next minute, which counts afresh: two minutes' worth at most.
  expect(records.length).toBeGreaterThanOrEqual(2);
  expect(records.length).toBeLessThanOrEqual(22);
  const counts = records.map((record) => JSON.parse(record.details ?? '{}').refusalsThisMinute as number);
  expect(Math.max(...counts)).toBeGreaterThanOrEqual(100);

  const { creds } = await newStaffMember();
  await signInAsAgencyUser(page, creds);
  await expect(page).not.toHaveURL(/\/login/);
});

// `__proto__` too: set on a plain object it was silently dropped, not refused (review r35a); it is no
// name our forms use, and is refused as a form no page of ours sends (review r35c F10).
for (const [field, refusal] of [
  ['role', 'This form sent a field it does not have'],
  ['__proto__', 'This form was sent in a way our pages never send it'],
] as const) {
  test(`[ANONYMOUS] a form with a field it does not have (${field}) is refused, and nothing happens`, async ({ page }) => {
    const { creds, user } = await newStaffMember();
    await page.goto('/login');
    await page.evaluate((name) => {
      const input = Object.assign(document.createElement('input'), { type: 'hidden', name, value: 'SUPER_ADMIN' });
      document.querySelector('form')!.append(input);
    }, field);
    await signInWithFilledForm(page, creds);
    await expect(page.locator('.error-summary')).toContainText(refusal);
    await expect(page).toHaveURL(/\/login$/);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).lastSignInAt).toBeNull();
  });
}

test('requests no browser would send get a 4xx answer, never a 500', async ({ page }) => {
  await page.goto('/login');
  const html = await page.content();
  const actionId = /&quot;id&quot;:&quot;([0-9a-f]+)&quot;|"id":"([0-9a-f]{20,})"/.exec(html);
  const origin = { origin: E2E_BASE_URL };
  const probes: { label: string; path: string; headers?: Record<string, string>; data?: string | Buffer }[] = [
    { label: 'JSON to the old next-auth callback', path: '/api/auth/callback/agency', headers: { ...origin, 'content-type': 'application/json' }, data: '{"providerCode":"x"}' },
    { label: 'form to the old next-auth callback', path: '/api/auth/callback/agency', headers: { ...origin, 'content-type': 'application/x-www-form-urlencoded' }, data: 'providerCode=x' },
    { label: 'JSON to the sign-in page', path: '/login', headers: { ...origin, 'content-type': 'application/json' }, data: '{"password":"x"}' },
    { label: 'an unknown action id', path: '/login', headers: { ...origin, 'next-action': '0'.repeat(42), 'content-type': 'text/plain' }, data: '[]' },
  ];
  if (actionId) {
    const id = actionId[1] ?? actionId[2]!;
    probes.push(
      { label: 'action arguments as text', path: '/login', headers: { ...origin, 'next-action': id, 'content-type': 'text/plain;charset=UTF-8' }, data: 'garbage' },
      { label: 'action arguments as an empty list', path: '/login', headers: { ...origin, 'next-action': id, 'content-type': 'text/plain;charset=UTF-8' }, data: '[]' },
      {
        label: 'action multipart with broken JSON',
        path: '/login',
        headers: { ...origin, 'next-action': id, 'content-type': 'multipart/form-data; boundary=x' },
        data: '--x\r\nContent-Disposition: form-data; name="0"\r\n\r\n{bad\r\n--x--\r\n',
      },
      {
        label: 'action multipart cut short',
        path: '/login',
        headers: { ...origin, 'next-action': id, 'content-type': 'multipart/form-data; boundary=x' },
        data: '--x\r\nContent-Disposition: form-data; name="0"\r\n\r\n["$K1"]',
      },
    );
  }
  expect(actionId, 'the sign-in page carries its action id for no-JS posts').not.toBeNull();
  for (const probe of probes) {
    const response = await page.request.post(probe.path, { headers: probe.headers, data: probe.data, maxRedirects: 0 });
    expect(response.status(), probe.label).toBeGreaterThanOrEqual(200);
    expect(response.status(), probe.label).toBeLessThan(500);
    const text = await response.text();
    expect(text, probe.label).not.toMatch(/prisma|sqlite|postgres|stack|TypeError|SyntaxError/i);
  }
});

test('[VERIFIER] a query parameter given twice is read as its first value, never a 500', async ({ page }) => {
  for (const path of [
    '/super-admin-reset/submitted?done=a&done=b',
    '/status/stop-alerts?s=a&s=b&t=c&t=d',
    '/status/subscribe/confirm?s=a&s=b&e=1&e=2&t=c&t=d',
  ]) {
    expect((await page.request.get(path, { maxRedirects: 0 })).status(), path).toBe(200);
  }
  await page.goto('/login?callbackUrl=%2Fadmin&callbackUrl=%2F%2Fevil.example');
  await expect(page.locator('input[name="callbackUrl"]').first()).toHaveValue('/admin');

  await signInAsVendor(page, { email: 'vera.verifier@carenotes.example', password: DEMO_PASSWORD });
  const queue = await page.goto('/vendor/queue?q=first&q=second');
  expect(queue?.status()).toBe(200);
  await expect(page.getByLabel('Find a request')).toHaveValue('first');
});

test.describe('while the database is locked', () => {
  test('[ANONYMOUS] sign-in and ask-admin say "try again in a few minutes", keep what was typed, and record nothing', async ({ page }) => {
    const { creds, user } = await newMemberOfDemoAgency('acme-ny');
    await page.goto('/help/ask-admin');
    await page.getByLabel('Provider code').fill(creds.providerCode);
    await page.getByLabel('Login name').fill(creds.loginName);
    await page.getByLabel('Message (optional)').fill('Please call me on the office line');
    const loginPage = await page.context().newPage();
    await loginPage.goto('/login');
    await loginPage.getByLabel('Provider code').fill(creds.providerCode);
    await loginPage.getByLabel('Login name').fill(creds.loginName);
    await loginPage.getByLabel('Password', { exact: true }).fill(creds.password);

    const holder = new Database(E2E_DATABASE_URL.slice('file:'.length));
    holder.exec('BEGIN EXCLUSIVE');
    try {
      await page.getByRole('button', { name: 'Send request' }).click();
      await expect(page.locator('.error-summary')).toContainText('Try again in a few minutes', { timeout: 20_000 });
      await expect(page.getByTestId('ask-admin-sent')).toHaveCount(0);
      await expect(page.getByLabel('Provider code')).toHaveValue(creds.providerCode);
      await expect(page.getByLabel('Message (optional)')).toHaveValue('Please call me on the office line');

      await loginPage.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect(loginPage.locator('.error-summary')).toContainText('Try again in a few minutes', { timeout: 20_000 });
      await expect(loginPage).toHaveURL(/\/login$/);
      await expect(loginPage.getByLabel('Login name')).toHaveValue(creds.loginName);
      expect(await loginPage.content()).not.toMatch(/prisma|sqlite|database is locked/i);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(await db().helpRequest.count({ where: { userId: user.id } })).toBe(0);
    // Once the database answers again, the very same form goes through.
    await loginPage.getByLabel('Password', { exact: true }).fill(creds.password);
    await loginPage.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(loginPage).toHaveURL(/\/account$/);
    await loginPage.close();
  });
});
