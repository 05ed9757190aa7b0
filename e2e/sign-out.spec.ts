// A session that ends anywhere but in this tab leaves no console page readable in it: a sign-out in
// another tab sends this one to the sign-in page at once, and a session ended on the server (a password
// changed elsewhere) sends the next link there as a new document, so Back asks the server again
// (review r33b F1). Every signed-in page shows Sign out (review r33b F2).
import type { Page } from '@playwright/test';
import { DEMO_PASSWORD } from '@/prisma/seed';
import { addTotpFactor, createAgency, createUser, createVendorAccount, uniqueSuffix } from '@/prisma/factories';
import { db, TEST_PASSWORD } from './support/data';
import { E2E_BASE_URL } from './support/env';
import { fileSuperAdminRequest } from './super-admin-support';
import { expect, signInAsAgencyUser, signInAsVendor, test } from './support/test';

/** An agency of its own: an administrator, and a staff member whose page the console shows. */
async function newConsole() {
  const agency = await createAgency(db());
  const admin = await createUser(db(), agency.id, TEST_PASSWORD, { role: 'PROVIDER_ADMIN', loginName: `out.admin.${uniqueSuffix()}` });
  const member = await createUser(db(), agency.id, TEST_PASSWORD, { loginName: `out.member.${uniqueSuffix()}` });
  return { admin, member, creds: { providerCode: agency.code, loginName: admin.loginName, password: TEST_PASSWORD } };
}

/** Where the tab's document was opened: a client-side navigation leaves it as it was. */
// Null while the page is being replaced (the evaluation meets a document on its way out).
const documentPath = (page: Page) =>
  page.evaluate(() => new URL((performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).name).pathname).catch(() => null);

/** Signs the browser out from another tab of it, which then closes. */
async function signOutInAnotherTab(page: Page) {
  const other = await page.context().newPage();
  try {
    await other.goto('/account');
    await other.getByRole('button', { name: 'Sign out' }).click();
    await expect(other).toHaveURL(/\/login\?done=/);
  } finally {
    await other.close();
  }
}

async function openMemberPage(page: Page, member: { displayName: string }) {
  await page.getByRole('link', { name: member.displayName }).click();
  await expect(page.getByRole('heading', { name: member.displayName })).toBeVisible();
}

test('[PROVIDER_ADMIN] signs out in one tab: the other tab shows the sign-in page at once, and Back there shows no console page', async ({ page }) => {
  const { member, creds } = await newConsole();
  await signInAsAgencyUser(page, creds);
  await page.goto('/admin');
  await openMemberPage(page, member);

  await signOutInAnotherTab(page);

  // Nothing asked of this tab: it left by itself, replacing the person's page.
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { name: 'Sign in to CareNotes' })).toBeVisible();
  await expect(page.getByRole('heading', { name: member.displayName })).toBeHidden();
  await page.goBack();
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fadmin$/);
  await expect(page.getByRole('heading', { name: 'Users' })).toBeHidden();
});

test('[PROVIDER_ADMIN] whose session ended elsewhere: the next link opens the sign-in page as a new document, and Back shows no console page', async ({ page }) => {
  const { admin, member, creds } = await newConsole();
  // Signed in on the sign-in page and then only by links: the tab's document is still the sign-in page's.
  await signInAsAgencyUser(page, creds);
  await page.getByRole('link', { name: 'Admin console' }).click();
  await openMemberPage(page, member);
  expect(await documentPath(page)).toBe('/login');

  // The password changed on another computer: the server refuses this session from now on.
  await db().user.update({ where: { id: admin.id }, data: { sessionVersion: { increment: 1 } } });
  await page.getByRole('link', { name: 'Users', exact: true }).click();
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fadmin$/);
  await expect.poll(() => documentPath(page)).toBe('/login');
  await expect(page.getByRole('heading', { name: 'Sign in to CareNotes' })).toBeVisible();

  // The router's memory of the console went with the old document: Back asks the server, which refuses.
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/login\\?callbackUrl=%2Fadmin%2Fusers%2F${member.id}$`));
  await expect(page.getByRole('heading', { name: member.displayName })).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Sign in to CareNotes' })).toBeVisible();
});

test('[STAFF] once another person signs in on the same browser, a tab still showing the first person’s page reloads as the new person’s (review r50e F4)', async ({ page }) => {
  const agency = await createAgency(db());
  const suffix = uniqueSuffix();
  const [first, next] = [
    await createUser(db(), agency.id, TEST_PASSWORD, { loginName: `first.${suffix}`, displayName: 'Fay First' }),
    await createUser(db(), agency.id, TEST_PASSWORD, { loginName: `next.${suffix}`, displayName: 'Ned Next' }),
  ];
  await signInAsAgencyUser(page, { providerCode: agency.code, loginName: first.loginName, password: TEST_PASSWORD });
  await expect(page.getByText('Fay First')).toBeVisible();

  // The next person signs in in another tab without the first having signed out (the sign-in page is open to anyone).
  const other = await page.context().newPage();
  try {
    await signInAsAgencyUser(other, { providerCode: agency.code, loginName: next.loginName, password: TEST_PASSWORD });
    await expect(other.getByText('Ned Next')).toBeVisible();
  } finally {
    await other.close();
  }
  // Nothing asked of the first tab: it is the new person's page now, not a page of keys every form would refuse.
  await expect(page.getByText('Ned Next')).toBeVisible();
  await expect(page.getByText('Fay First')).toBeHidden();
  // Fay's session ended with it, on the record as a sign-out by another sign-in here (review r51g F4).
  const [ended] = await db().auditEvent.findMany({ where: { targetId: first.id, action: 'SIGNED_OUT' } });
  expect(JSON.parse(ended?.details ?? '{}')).toEqual({ endedBy: 'another sign-in on this browser' });
});

test('[STAFF] signs out in one tab: the other tab shows the sign-in page at once, though a staff session has no idle limit', async ({ page }) => {
  const agency = await createAgency(db());
  const member = await createUser(db(), agency.id, TEST_PASSWORD, { loginName: `tabs.${uniqueSuffix()}`, displayName: 'Tess Tabs' });
  await signInAsAgencyUser(page, { providerCode: agency.code, loginName: member.loginName, password: TEST_PASSWORD });
  await expect(page.getByText('Tess Tabs')).toBeVisible();

  await signOutInAnotherTab(page);
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByText('Tess Tabs')).toBeHidden();
});

test('[PROVIDER_ADMIN] signs out from a console page', async ({ page }) => {
  const { member, creds } = await newConsole();
  await signInAsAgencyUser(page, creds);
  await page.goto(`/admin/users/${member.id}`);
  await expect(page.getByRole('heading', { name: member.displayName })).toBeVisible();
  const signedInAs = () => page.evaluate(() => localStorage.getItem('carenotes:signed-in-as'));
  expect(await signedInAs()).not.toBeNull();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login\?done=/);
  await expect(page.getByText('You are signed out.')).toBeVisible();
  expect((await page.request.get('/api/me')).status()).toBe(401);
  // The next person at this computer finds no mark of whose tabs these were (review r52c I1).
  expect(await signedInAs()).toBeNull();
});

test('[STAFF] two sign-outs of one session at the same moment (two tabs, the idle limit) give one notice: whichever answer the browser keeps, both links say it is signed out', async ({ page, playwright }) => {
  const { member } = await newConsole();
  const creds = { providerCode: (await db().agency.findUniqueOrThrow({ where: { id: member.agencyId } })).code, loginName: member.loginName, password: TEST_PASSWORD };
  await signInAsAgencyUser(page, creds);
  await expect(page).toHaveURL(/\/account/);
  const cookies = await page.context().cookies();
  // Two posts with the session's cookies, sent together, as two tabs signed out by the idle limit send them.
  const tab = await playwright.request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: { cookie: cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ') } });
  try {
    const answers = await Promise.all([1, 2].map(() => tab.post('/sign-out', { headers: { origin: E2E_BASE_URL }, maxRedirects: 0 })));
    const notices = answers.map((answer) => {
      expect(answer.status()).toBe(303);
      const notice = answer.headersArray().find((header) => header.name.toLowerCase() === 'set-cookie' && /^(__Host-)?portal-notice=/.test(header.value));
      return { link: answer.headers()['location']!, cookie: notice!.value.split(';')[0]!.split('=') as [string, string] };
    });
    expect(notices[1]).toEqual(notices[0]);
    for (const { link, cookie } of notices) {
      const [name, value] = cookie;
      await page.context().addCookies([{ name, value, url: E2E_BASE_URL }]);
      await page.goto(link);
      await expect(page.getByText('You are signed out.')).toBeVisible();
    }
    expect((await page.request.get('/api/me')).status()).toBe(401);
  } finally {
    await tab.dispose();
  }
});

test('[VERIFIER] signs out from the queue and lands on the vendor sign-in page', async ({ page }) => {
  await signInAsVendor(page, { email: 'vera.verifier@carenotes.example', password: DEMO_PASSWORD });
  await page.goto('/vendor/queue');
  await expect(page.getByRole('heading', { name: 'Super administrator reset requests' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/vendor\/login\?done=signed-out\./);
  await expect(page.getByRole('status').filter({ hasText: 'You are signed out.' })).toBeVisible();
  expect((await page.request.get('/api/me')).status()).toBe(401);
});

test('[STAFF] a sign-out notice someone else got says nothing in this browser, signed in or not; this browser’s own, opened again once signed in, says it still is and offers Sign out (reviews r34a F1, r42a F1)', async ({ page, playwright }) => {
  const { member } = await newConsole();
  const creds = { providerCode: (await db().agency.findUniqueOrThrow({ where: { id: member.agencyId } })).code, loginName: member.loginName, password: TEST_PASSWORD };
  // Anyone gets such a link by signing out without a session.
  const stranger = await playwright.request.newContext({ baseURL: E2E_BASE_URL });
  const minted = await stranger.post('/sign-out', { headers: { origin: E2E_BASE_URL }, maxRedirects: 0 });
  await stranger.dispose();
  expect(minted.status()).toBe(303);
  const link = minted.headers()['location']!;
  expect(link).toMatch(/^\/login\?done=/);
  for (const signedIn of [false, true]) {
    if (signedIn) {
      await signInAsAgencyUser(page, creds);
      await expect(page).toHaveURL(/\/account/);
    }
    await page.goto(link);
    await expect(page.getByRole('heading', { name: 'Sign in to CareNotes' })).toBeVisible();
    await expect(page.getByText(/signed out|still signed in/)).toHaveCount(0);
  }

  // Its own notice, opened again after signing in once more: still signed in, and Sign out works.
  expect((await page.request.get('/api/me')).status()).toBe(200);
  await page.goto('/account');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByText('You are signed out.')).toBeVisible();
  const own = page.url();
  await signInAsAgencyUser(page, creds);
  await expect(page).toHaveURL(/\/account/);
  await page.goto(own);
  await expect(page.getByText('You are still signed in on this browser.')).toBeVisible();
  await expect(page.getByText('You are signed out.')).toHaveCount(0);
  expect((await page.request.get('/api/me')).status()).toBe(200);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByText('You are signed out.')).toBeVisible();
  expect((await page.request.get('/api/me')).status()).toBe(401);
});

test('[VERIFIER] a vendor sign-out notice someone else got says nothing in this browser, signed in or not', async ({ page, playwright }) => {
  const account = await createVendorAccount(db(), 'VERIFIER', TEST_PASSWORD);
  const stranger = await playwright.request.newContext({ baseURL: E2E_BASE_URL });
  const minted = await stranger.post('/sign-out', { form: { portal: 'vendor' }, headers: { origin: E2E_BASE_URL }, maxRedirects: 0 });
  await stranger.dispose();
  const link = minted.headers()['location']!;
  expect(link).toMatch(/^\/vendor\/login\?done=signed-out\./);
  for (const signedIn of [false, true]) {
    if (signedIn) {
      await signInAsVendor(page, { email: account.email, password: TEST_PASSWORD });
      await expect(page).toHaveURL(/\/vendor$/);
    }
    await page.goto(link);
    await expect(page.getByRole('heading', { name: 'Vendor staff sign in' })).toBeVisible();
    await expect(page.getByText(/signed out|still signed in/)).toHaveCount(0);
  }
});

test('[ATTACKER] the notices the portal gave another browser say nothing here: an account locked by wrong codes, a super-admin request received (review r42a F1)', async ({ page, browser }) => {
  const impostor = await browser.newContext({ baseURL: E2E_BASE_URL, javaScriptEnabled: false });
  try {
    const theirs = await impostor.newPage();
    // A request filed by someone with no account, for a name that matches nothing.
    const reference = await fileSuperAdminRequest(theirs, { providerCode: 'ACME-NY', loginName: `nobody.${uniqueSuffix()}` });
    const received = theirs.url();
    await page.goto(received);
    await expect(page.getByRole('heading', { name: 'Request received' })).toBeVisible();
    await expect(page.getByTestId('reference')).toHaveCount(0);
    await expect(page.getByText(reference)).toHaveCount(0);

    // Their own account with an app, locked by their own wrong codes.
    const agency = await createAgency(db(), { softLockThreshold: 2 });
    const own = await createUser(db(), agency.id, TEST_PASSWORD, { role: 'PROVIDER_ADMIN', loginName: `locker.${uniqueSuffix()}` });
    await addTotpFactor(db(), { userId: own.id });
    await signInAsAgencyUser(theirs, { providerCode: agency.code, loginName: own.loginName, password: TEST_PASSWORD }, { verify: false });
    for (let guess = 0; guess < 2; guess += 1) {
      await theirs.getByLabel('Code', { exact: true }).fill('000000');
      await theirs.getByRole('button', { name: 'Continue' }).click();
      if (guess === 0) await expect(theirs.locator('#code-error')).toContainText('That code is not right');
    }
    await expect(theirs).toHaveURL(/\/login\?done=second-factor-locked\./);
    await expect(theirs.getByText(/Too many wrong codes/)).toBeVisible();
    await page.goto(theirs.url());
    await expect(page.getByRole('heading', { name: 'Sign in to CareNotes' })).toBeVisible();
    await expect(page.getByText(/Too many wrong codes/)).toHaveCount(0);
    // In the browser they were given to, a second notice leaves the first one's page as it was (review r42f F2).
    await theirs.goto(received);
    await expect(theirs.getByTestId('reference')).toHaveText(reference);
  } finally {
    await impostor.close();
  }
});

test('[ANONYMOUS] a vendor sign-in page whose notice is forged, or was signed for the agencies\' page, says nothing', async ({ page }) => {
  const agencies = (await page.request.post('/sign-out', { headers: { origin: E2E_BASE_URL }, maxRedirects: 0 })).headers()['location']!;
  const vendors = (await page.request.post('/sign-out', { form: { portal: 'vendor' }, headers: { origin: E2E_BASE_URL }, maxRedirects: 0 })).headers()['location']!;
  const done = (link: string) => new URL(link, E2E_BASE_URL).searchParams.get('done')!;
  const [name, seconds, signature] = done(vendors).split('.');
  await page.goto(vendors);
  await expect(page.getByText('You are signed out.')).toBeVisible();
  for (const other of [done(agencies), `${name}.${Number(seconds) - 1}.${signature}`, `${name}.${seconds}.${signature!.slice(0, -2)}`, 'signed-out']) {
    await page.goto(`/vendor/login?done=${encodeURIComponent(other)}`);
    await expect(page.getByRole('heading', { name: 'Vendor staff sign in' })).toBeVisible();
    await expect(page.getByText(/signed out|still signed in/), other).toHaveCount(0);
  }
});

test('[PROVIDER_ADMIN] who types the sign-out address gets a page with the button, which signs out (review r34b F4)', async ({ page }) => {
  const { creds } = await newConsole();
  await signInAsAgencyUser(page, creds);
  await expect(page).toHaveURL(/\/account/);
  const shown = await page.goto('/sign-out');
  expect(shown!.status()).toBe(200);
  // Opening it signs no one out.
  expect((await page.request.get('/api/me')).status()).toBe(200);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByText('You are signed out.')).toBeVisible();
  expect((await page.request.get('/api/me')).status()).toBe(401);
});
