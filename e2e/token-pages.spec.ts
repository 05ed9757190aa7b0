import http from 'node:http';
import type { Page } from '@playwright/test';
import { issueResetLink } from '@/lib/password-reset/issue-reset-link';
import { hashSecretToken, newSecretToken } from '@/lib/password-reset/secret-token';
import { RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import { formatReference } from '@/lib/super-admin/reference';
import { freePort } from '@/lib/net/free-port';
import { confirmPath, unsubscribePath } from '@/lib/status/subscription-token';
import { createSuperAdminRequest, uniqueSuffix } from '@/prisma/factories';
import { db, newStaffMember } from './support/data';
import { E2E_BASE_URL } from './support/env';
import { pressTwice } from './support/press-twice';
import { formWithField, multipartBody } from '@/test/support/html-form';
import { expect, signInAsAgencyUser, test } from './support/test';

// The reset and "this wasn't me" pages count each wrong link submitted per client address, and past the
// budget answer it as before without an audit record; a right link is never counted and never turned away;
// the status pages' HMAC links count nothing; opening any of them counts nothing (decision 027). The
// browser here always comes from 127.0.0.1, so each test empties that address's bucket before and after.
const RULE = RATE_LIMITS.tokenPagePerAddress;
const KEY = `${RULE.name}:127.0.0.1`;
const NEW_PASSWORD = 'brass meadow lantern quietly';

const counted = async () => (await db().rateLimitBucket.findUnique({ where: { key: KEY } }))?.count ?? 0;
const emptyBucket = () => db().rateLimitBucket.deleteMany({ where: { key: KEY } });
const fillBucket = () =>
  db().rateLimitBucket.upsert({ where: { key: KEY }, create: { key: KEY, windowStart: new Date(), count: RULE.limit }, update: { windowStart: new Date(), count: RULE.limit } });
const mainText = (page: Page) => page.locator('main').innerText();

type TokenPage = {
  name: string;
  button: string;
  /** The hidden field that carries the token to the server action. */
  tokenField: string;
  /** Whether a wrong link submitted is counted on the address: a stored token's page, not an HMAC's. */
  countsWrong: boolean;
  make: () => Promise<{ valid: string; wrong: string; wrongToken: string; used: () => Promise<boolean>; says?: string }>;
  /** The heading of the page a submission that worked lands on. */
  done: string;
  fill?: (page: Page) => Promise<void>;
};

/** A signed status link, and the same link with its signature (`t`) spoiled. */
function signedLink(valid: string, used: () => Promise<boolean>) {
  const token = new URL(valid, 'http://x').searchParams.get('t')!;
  const wrongToken = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
  return { valid, wrong: valid.replace(/t=[^&]+/, `t=${wrongToken}`), wrongToken, used };
}

const PAGES: TokenPage[] = [
  {
    name: 'the reset link page',
    done: 'Your new password is set',
    button: 'Set new password',
    tokenField: 'token',
    countsWrong: true,
    make: async () => {
      const { user } = await newStaffMember();
      const { token } = await db().$transaction((tx) => issueResetLink(tx, { userId: user.id, purpose: 'ADMIN_LINK', lifetimeHours: 24 }));
      const wrongToken = newSecretToken();
      return {
        valid: `/reset/${token}`,
        wrong: `/reset/${wrongToken}`,
        wrongToken,
        used: async () => !!(await db().passwordResetToken.findUniqueOrThrow({ where: { tokenHash: hashSecretToken(token) } })).usedAt,
      };
    },
    fill: async (page) => {
      await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
      await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    },
  },
  {
    name: 'the “this wasn’t me” cancel page',
    done: 'Request cancelled',
    button: 'Cancel this request',
    tokenField: 'token',
    countsWrong: true,
    make: async () => {
      const { agency, user } = await newStaffMember();
      const { request, cancelToken: token } = await createSuperAdminRequest(db(), agency, user);
      const wrongToken = newSecretToken();
      return {
        valid: `/super-admin-reset/cancel/${token}`,
        wrong: `/super-admin-reset/cancel/${wrongToken}`,
        wrongToken,
        used: async () => (await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).state === 'CANCELLED',
        // The done page names the request it cancelled (decision 060).
        says: `Request ${formatReference(request.reference)} is cancelled.`,
      };
    },
  },
  {
    name: 'the status subscription confirm page',
    done: 'You will get status alerts',
    button: 'Confirm my subscription',
    tokenField: 't',
    countsWrong: false,
    make: async () => {
      const email = `confirm.${uniqueSuffix()}@example.com`;
      const subscriber = await db().statusSubscriber.create({ data: { email, emailKey: email } });
      return signedLink(
        confirmPath(subscriber.id, new Date()),
        async () => !!(await db().statusSubscriber.findUniqueOrThrow({ where: { id: subscriber.id } })).confirmedAt,
      );
    },
  },
  {
    name: 'the status unsubscribe page',
    done: 'You will get no more status alerts',
    button: 'Stop status alerts',
    tokenField: 't',
    countsWrong: false,
    make: async () => {
      const email = `stop.${uniqueSuffix()}@example.com`;
      const subscriber = await db().statusSubscriber.create({ data: { email, emailKey: email, confirmedAt: new Date() } });
      // The link in the alert, which leads to the page without changing anything.
      return signedLink(
        unsubscribePath(subscriber.id),
        async () => !!(await db().statusSubscriber.findUniqueOrThrow({ where: { id: subscriber.id } })).unsubscribedAt,
      );
    },
  },
];

// These pages send no referrer, so a form posted from them without JavaScript carries `Origin: null`:
// the gate must still take it as the portal's own (Sec-Fetch-Site), and the answer must say it worked.
test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });
  for (const tokenPage of PAGES) {
    test(`[ANONYMOUS] ${tokenPage.name} works without JavaScript, and says so`, async ({ page }) => {
      const link = await tokenPage.make();
      await emptyBucket();
      try {
        await page.goto(link.valid);
        await tokenPage.fill?.(page);
        await page.getByRole('button', { name: tokenPage.button }).click();
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(tokenPage.done);
        if (link.says) await expect(page.locator('main')).toContainText(link.says);
        expect(await link.used()).toBe(true);
      } finally {
        await emptyBucket();
      }
    });
  }
});

for (const tokenPage of PAGES) {
  test(`[ANONYMOUS] ${tokenPage.name}: opening counts nothing, ${tokenPage.countsWrong ? 'a wrong link submitted counts' : 'nothing counts'}; over the limit a wrong link gets the same answer and a right one still works`, async ({
    page,
  }) => {
    const link = await tokenPage.make();
    const button = page.getByRole('button', { name: tokenPage.button });
    // Answered: no button left at all (a pending one is renamed, e.g. "Saving…").
    const answered = () => expect(page.locator('main button')).toHaveCount(0);
    const sendWrongToken = async () => {
      await page.goto(link.valid);
      await tokenPage.fill?.(page);
      await page.locator(`input[name="${tokenPage.tokenField}"]`).evaluate((input, value) => ((input as HTMLInputElement).value = value), link.wrongToken);
      await button.click();
      await answered();
      return mainText(page);
    };
    await emptyBucket();
    try {
      // A wrong link, opened: no form, and nothing counted.
      await page.goto(link.wrong);
      await expect(button).toHaveCount(0);
      await page.goto(link.valid);
      await expect(button).toBeVisible();
      expect(await counted()).toBe(0);

      // A wrong token sent from the right page (as a forged form would): counted only where the token is stored.
      const wrongPostText = await sendWrongToken();
      expect(await counted()).toBe(tokenPage.countsWrong ? 1 : 0);
      expect(await link.used()).toBe(false);
      // Nothing in it tells the owner of a right link to wait: a right link is never turned away (review r44c F1).
      expect(wrongPostText).not.toMatch(/minutes|too many/i);

      // Over the limit, a wrong token gets the same answer; the right link works, and is not counted.
      await fillBucket();
      expect(await sendWrongToken()).toBe(wrongPostText);
      const before = await counted();
      await page.goto(link.valid);
      await tokenPage.fill?.(page);
      await button.click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(tokenPage.done);
      await expect.poll(link.used).toBe(true);
      expect(await counted()).toBe(before);
    } finally {
      await emptyBucket();
    }
  });
}

/** Another site: one page of its own, served on another origin. */
async function anotherSite(html: string): Promise<{ url: string; close: () => Promise<void> }> {
  const port = await freePort();
  const server = http.createServer((_request, response) => response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

for (const tokenPage of PAGES) {
  test(`[ATTACKER] ${tokenPage.name}: another site's hidden images, fetches, prefetches and a popup it sends on spend none of a visitor's tries; the link in the mail still works`, async ({
    page,
  }) => {
    const link = await tokenPage.make();
    // The page itself (the unsubscribe link in an alert only redirects to it), each address made different.
    const landing = link.valid.replace('/status/unsubscribe?', '/status/stop-alerts?');
    const target = (i: number) => `${E2E_BASE_URL}${landing}${landing.includes('?') ? '&' : '?'}n=${i}`;
    const TRIES = RULE.limit + 5;
    const images = Array.from({ length: TRIES }, (_, i) => `<img alt="" src="${target(i)}">`).join('');
    const prefetch = JSON.stringify({ prefetch: [{ source: 'list', urls: Array.from({ length: 10 }, (_, i) => target(100 + i)) }] });
    const popup = `document.querySelector('button').onclick = () => {
      const opened = window.open(${JSON.stringify(target(200))});
      let i = 201;
      const next = setInterval(() => {
        if (i > ${200 + TRIES}) return clearInterval(next), (document.title = 'sent on');
        opened.location = ${JSON.stringify(target(0).replace(/n=0$/, 'n='))} + i++;
      }, 100);
    };`;
    const site = await anotherSite(
      `<!doctype html><title>Elsewhere</title><button>Go</button>${images}<script type="speculationrules">${prefetch}</script>` +
        `<script>${popup} fetch(${JSON.stringify(target(-1))}, { mode: 'no-cors', credentials: 'include' }).finally(() => (document.title = 'fetched'));</script>`,
    );
    await emptyBucket();
    try {
      await page.goto(site.url);
      await expect(page).toHaveTitle('fetched');
      await page.waitForFunction(() => [...document.images].every((image) => image.complete));
      // The context's new page, not the opener's popup event: once the portal's Cross-Origin-Opener-Policy
      // severs the window from its opener, Chromium at times reports it as no popup of the page at all.
      const [opened] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('button', { name: 'Go' }).click()]);
      await expect(page).toHaveTitle('sent on', { timeout: 30_000 });
      // However far it got: once a page of the portal is in the window, the portal's
      // Cross-Origin-Opener-Policy leaves the other site no handle to send it on.
      await expect(opened).toHaveURL(new RegExp(`[?&]n=2\\d\\d$`));
      await expect(opened.getByRole('button', { name: tokenPage.button })).toBeVisible();
      await opened.close();
      expect(await counted()).toBe(0);
      // The visitor then follows the real link from the mail, and it works: one try.
      await page.goto(link.valid);
      await tokenPage.fill?.(page);
      await page.getByRole('button', { name: tokenPage.button }).click();
      await expect(page.locator('main button')).toHaveCount(0);
      await expect.poll(link.used).toBe(true);
      // A right link is never counted.
      expect(await counted()).toBe(0);
    } finally {
      await site.close();
      await emptyBucket();
    }
  });
}

for (const javaScriptEnabled of [true, false]) {
  test(`[STAFF] the browser that set a new password with a reset link signs in with it while strangers hold the account hard-locked; a new browser is refused (JavaScript ${javaScriptEnabled ? 'on' : 'off'}; decision 062, session 53)`, async ({ browser }) => {
    const newPassword = 'amber falcon river tulip';
    const { user, creds } = await newStaffMember();
    const { token } = await db().$transaction((tx) => issueResetLink(tx, { userId: user.id, purpose: 'ADMIN_LINK', lifetimeHours: 24 }));
    const linkBrowser = await browser.newContext({ javaScriptEnabled });
    const otherBrowser = await browser.newContext({ javaScriptEnabled });
    try {
      const page = await linkBrowser.newPage();
      await page.goto(`/reset/${token}`);
      await page.getByLabel('New password', { exact: true }).fill(newPassword);
      await page.getByLabel('Confirm new password').fill(newPassword);
      await page.getByRole('button', { name: 'Set new password' }).click();
      await expect(page.getByRole('heading', { name: 'Your new password is set' })).toBeVisible();
      // A stranger paced guesses into the hard lock (as known-device-lockout drives it).
      await db().user.update({ where: { id: user.id }, data: { failedSignInCount: 20, lockedUntil: new Date(Date.now() + 3_600_000), hardLockedAt: new Date() } });

      const other = await otherBrowser.newPage();
      await signInAsAgencyUser(other, { ...creds, password: newPassword });
      await expect(other.locator('.error-summary')).toBeVisible();
      await expect(other).toHaveURL(/\/login/);
      await signInAsAgencyUser(page, { ...creds, password: newPassword });
      await expect(page).toHaveURL(/\/account$/);
    } finally {
      await linkBrowser.close();
      await otherBrowser.close();
    }
  });
}

test('[STAFF] a copy of the used page, sent without JavaScript with another password, lands on “Your new password is set”, which says only one of them is (review r54a F1, F2)', async ({ request }) => {
  const { user } = await newStaffMember();
  const { token } = await db().$transaction((tx) => issueResetLink(tx, { userId: user.id, purpose: 'ADMIN_LINK', lifetimeHours: 24 }));
  // The page's form as a browser without JavaScript sends it: one rendering, sent twice with different passwords.
  const form = formWithField(await (await request.get(`/reset/${token}`, { headers: { accept: 'text/html' } })).text(), 'newPassword');
  const send = (password: string) => {
    const { body, type } = multipartBody([...form.hidden, ['newPassword', password], ['confirmPassword', password]]);
    return request.post(form.action || `/reset/${token}`, { headers: { origin: E2E_BASE_URL, 'content-type': type, accept: 'text/html' }, data: body, maxRedirects: 0 });
  };
  for (const password of ['copper meadow lantern violet', 'another phrase entirely new']) {
    const answer = await send(password);
    expect([answer.status(), answer.headers().location], password).toEqual([303, '/reset/done']);
  }
  const done = await (await request.get('/reset/done', { headers: { accept: 'text/html' } })).text();
  expect(done).toContain('If you sent the form more than once with different passwords, only one of them is set: if the first you try is refused, sign in with the other.');
  expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'PASSWORD_RESET_WITH_LINK' } })).toBe(1);
});

test('[STAFF] pressing Set new password twice without JavaScript lands on “Your new password is set”, not on “This link cannot be used”: set once (review r53d F5)', async ({ browser }) => {
  const newPassword = 'copper meadow lantern violet';
  const { user } = await newStaffMember();
  const { token } = await db().$transaction((tx) => issueResetLink(tx, { userId: user.id, purpose: 'ADMIN_LINK', lifetimeHours: 24 }));
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(`/reset/${token}`);
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    const confirm = page.getByLabel('Confirm new password');
    await confirm.fill(newPassword);
    const posts = await pressTwice(page, `/reset/${token}`, confirm);
    await expect(page.getByRole('heading', { name: 'Your new password is set' })).toBeVisible();
    expect(posts()).toBe(2);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'PASSWORD_RESET_WITH_LINK' } })).toBe(1);
  } finally {
    await context.close();
  }
});
