// The browser signs itself out at the server's idle limit (30 minutes, admins and vendor staff), so
// the console is not left on the screen, nor behind Back, of a shared computer. The browser's clock is
// Playwright's: each fastForward runs the page's due timers once, so nothing here waits for time.
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { LAST_ACTIVITY } from '@/components/auth/between-tabs';
import { DEMO_PASSWORD } from '@/prisma/seed';
import { createAgency, createUser, uniqueSuffix } from '@/prisma/factories';
import { db, TEST_PASSWORD } from './support/data';
import { E2E_BASE_URL } from './support/env';
import { expect, signInAsAgencyUser, signInAsVendor, test } from './support/test';

async function newAccount(role: 'STAFF' | 'PROVIDER_ADMIN') {
  const agency = await createAgency(db());
  const user = await createUser(db(), agency.id, TEST_PASSWORD, { role, loginName: `idle.${uniqueSuffix()}` });
  return { providerCode: agency.code, loginName: user.loginName, password: TEST_PASSWORD };
}

/** A browser whose clock the test moves (a context of its own: the clock is the context's). */
async function withBrowserClock(browser: Browser, run: (context: BrowserContext, page: Page) => Promise<void>) {
  const context = await browser.newContext();
  try {
    await context.clock.install();
    await run(context, await context.newPage());
  } finally {
    await context.close();
  }
}

/** The activity the portal's tabs share: when a page was last opened (or a form sent) in any of them. */
const sharedActivity = (tab: Page) => tab.evaluate((key) => Number(localStorage.getItem(key)), LAST_ACTIVITY);

/**
 * Opens a page in the tab and waits until the tab has recorded it as activity. Its heading shows
 * before its scripts have run (or before their zero-delay timer has): moved then, the clock would
 * see the page recorded only at the new time. The browser's clock runs on, so the record grows.
 */
async function openAndRecorded(tab: Page, open: () => Promise<unknown>) {
  const before = await sharedActivity(tab);
  await open();
  await expect.poll(() => sharedActivity(tab)).toBeGreaterThan(before);
}

test('[PROVIDER_ADMIN] is signed out after 30 minutes with no page opened in any tab; Back then shows no console page', async ({ browser }) => {
  await withBrowserClock(browser, async (context, page) => {
    await signInAsAgencyUser(page, await newAccount('PROVIDER_ADMIN'));
    await page.goto('/admin');
    await page.getByRole('link', { name: 'Audit log' }).click();
    await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();

    // A page opened in another tab 20 minutes in keeps this one signed in past its own 30 minutes.
    const firstActivity = await sharedActivity(page);
    const other = await context.newPage();
    await context.clock.fastForward('20:00');
    await other.goto('/admin/help-requests');
    await expect(other.getByRole('heading', { name: 'Help requests' })).toBeVisible();
    // The tab records its opening once its scripts have run: on a busy machine, after its heading shows.
    await expect.poll(() => sharedActivity(other)).toBeGreaterThanOrEqual(firstActivity + 20 * 60_000);
    await context.clock.fastForward('11:00');
    // Had the tab started to sign out, this navigation would end on the sign-in page.
    await openAndRecorded(page, async () => {
      await page.getByRole('link', { name: 'Users' }).click();
      await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
    });
    await expect(page).toHaveURL(/\/admin$/);

    // Then 30 minutes with nothing opened anywhere: both tabs sign out and say so.
    await context.clock.fastForward('30:00');
    for (const tab of [page, other]) {
      await expect(tab).toHaveURL(/\/login\?done=/);
      await expect(tab.getByText('You are signed out.')).toBeVisible();
    }
    expect((await page.request.get('/api/me')).status()).toBe(401);
    // Nothing in the browser's storage says whose tabs these were (review r52f F8).
    expect(await page.evaluate(() => localStorage.getItem('carenotes:signed-in-as'))).toBeNull();
    await page.goBack();
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole('heading', { name: 'Users' })).toBeHidden();
  });
});

test('[PROVIDER_ADMIN] going Back is no activity: the page it restores asked the server nothing', async ({ browser }) => {
  await withBrowserClock(browser, async (context, page) => {
    await signInAsAgencyUser(page, await newAccount('PROVIDER_ADMIN'));
    await page.goto('/admin');
    await openAndRecorded(page, async () => {
      await page.getByRole('link', { name: 'Audit log' }).click();
      await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
    });

    await context.clock.fastForward('20:00');
    // The router's prefetches of the links' routes aside, Back asks for no page.
    const asked: string[] = [];
    page.on('request', (request) => request.headers()['next-router-prefetch'] || asked.push(request.url()));
    await page.goBack();
    await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
    expect(asked, 'Back brings the page out of the router’s memory').toEqual([]);

    // 31 minutes since the server last heard from this browser: it signs out.
    await context.clock.fastForward('11:00');
    await expect(page).toHaveURL(/\/login\?done=/);
  });
});

test('[PROVIDER_ADMIN] a page a link on another site opened is no activity, on the server nor in the tab: the tab counts from the last page opened in the portal (review r55b F2)', async ({ browser }) => {
  await withBrowserClock(browser, async (context, page) => {
    const account = await newAccount('PROVIDER_ADMIN');
    await signInAsAgencyUser(page, account);
    await openAndRecorded(page, async () => {
      await page.goto('/admin');
      await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
    });

    // 20 minutes later, by the browser's clock and by the session's record, a link in a webmail opens a console page.
    await context.clock.fastForward('20:00');
    const user = await db().user.findFirstOrThrow({ where: { loginName: account.loginName }, select: { id: true } });
    const { id: sessionId } = await db().authSession.findFirstOrThrow({ where: { userId: user.id, endedAt: null } });
    const lastSeenAt = new Date(Date.now() - 20 * 60_000);
    await db().authSession.update({ where: { id: sessionId }, data: { lastSeenAt } });
    await page.goto(`data:text/html,<a href="${E2E_BASE_URL}/admin/help-requests">open</a>`);
    const answered = page.waitForResponse(`${E2E_BASE_URL}/admin/help-requests`);
    await page.getByRole('link', { name: 'open' }).click();
    expect((await (await answered).request().allHeaders())['sec-fetch-site']).toBe('cross-site');
    // Answered signed in, and on the server the idle clock runs on (the page's router prefetches read no session).
    await expect(page.getByRole('heading', { name: 'Help requests' })).toBeVisible();
    expect((await db().authSession.findUniqueOrThrow({ where: { id: sessionId } })).lastSeenAt).toEqual(lastSeenAt);
    // The tab counts from where the server does once its scripts have taken the page in: on a busy machine, after its heading shows.
    await expect(page.locator('form[hidden][data-page-taken-in^="/admin/help-requests"]')).toHaveCount(1);

    // 28½ minutes after the last page the admin opened in the portal, the tab signs out: the server's 30 would refuse its forms.
    await context.clock.fastForward('08:30');
    await expect(page).toHaveURL(/\/login\?done=/);
  });
});

test('[STAFF] has no idle limit: the page stays signed in after 31 minutes', async ({ browser }) => {
  await withBrowserClock(browser, async (context, page) => {
    await signInAsAgencyUser(page, await newAccount('STAFF'));
    await expect(page).toHaveURL(/\/account$/);
    await context.clock.fastForward('31:00');
    await page.getByRole('link', { name: 'Change your password' }).click();
    await expect(page).toHaveURL(/\/change-password$/);
    expect((await page.request.get('/api/me')).status()).toBe(200);
  });
});

test('[VERIFIER] is signed out after 30 minutes idle and lands on the vendor sign-in page', async ({ browser, baseURL }) => {
  await withBrowserClock(browser, async (context, page) => {
    await signInAsVendor(page, { email: 'vera.verifier@carenotes.example', password: DEMO_PASSWORD });
    await openAndRecorded(page, async () => {
      await page.goto('/vendor/queue');
      await expect(page.getByRole('heading', { name: 'Super administrator reset requests' })).toBeVisible();
    });
    await context.clock.fastForward('31:00');
    await expect(page).toHaveURL(/\/vendor\/login\?done=signed-out\./);
    await expect(page.getByText('You are signed out.')).toBeVisible();
    expect((await page.request.get('/api/me')).status()).toBe(401);
    // With the session gone, only the vendor page's own field says where to land; without it, the agencies' page.
    const signOut = (form: Record<string, string>) => page.request.post('/sign-out', { form, headers: { Origin: baseURL! }, maxRedirects: 0 });
    expect((await signOut({ portal: 'vendor' })).headers().location).toMatch(/^\/vendor\/login\?done=/);
    expect((await signOut({})).headers().location).toMatch(/^\/login\?done=/);
  });
});
