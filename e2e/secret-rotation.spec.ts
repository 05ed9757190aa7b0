// A session cookie made before NEXTAUTH_SECRET is rotated keeps its session on a server restarted
// with the new secret and the old one as NEXTAUTH_SECRET_PREVIOUS, and loses it once the previous
// secret is removed. The same build and database as the suite's server, started again here.
import type { ChildProcess } from 'node:child_process';
import type { Browser } from '@playwright/test';
import { decode, encode } from 'next-auth/jwt';
import { freePort } from '@/lib/net/free-port';
import { DEMO_PASSWORD } from '@/prisma/seed';
import { serveBuild } from '@/scripts/serve-build';
import { E2E_DATABASE_URL, E2E_SECRET } from './support/env';
import { expect, signInAsAgencyUser, test } from './support/test';

const NEW_SECRET = 'e2e-rotated-secret-not-used-anywhere-else-00000000002';
const COOKIE = 'next-auth.session-token';

async function serve(secrets: { current: string; previous?: string }): Promise<{ base: string; server: ChildProcess }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = serveBuild(port, {
    DATABASE_URL: E2E_DATABASE_URL,
    NEXTAUTH_SECRET: secrets.current,
    NEXTAUTH_SECRET_PREVIOUS: secrets.previous,
    MAIL_WORKER: 'off',
    MAIL_TRANSPORT: 'file',
  });
  await expect.poll(async () => (await fetch(`${base}/api/health`).catch(() => null))?.status, { timeout: 60_000 }).toBe(200);
  return { base, server };
}

function stopped(server: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (server.exitCode !== null) return resolve();
    server.once('exit', () => resolve());
    server.kill('SIGTERM');
  });
}

/** A fresh browser holding only this session cookie, opening /account on `base`. */
async function openAccountWith(browser: Browser, base: string, cookie: string) {
  const context = await browser.newContext();
  await context.addCookies([{ name: COOKIE, value: cookie, url: base, httpOnly: true, sameSite: 'Lax' }]);
  const page = await context.newPage();
  await page.goto(`${base}/account`);
  return { page, context };
}

test('[STAFF] a session made under the old secret survives a restart with the new secret and NEXTAUTH_SECRET_PREVIOUS, and ends when the previous secret is removed', async ({ page, browser }) => {
  await signInAsAgencyUser(page, { providerCode: 'ACME-NY', loginName: 'jsmith', password: DEMO_PASSWORD });
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
  const cookie = (await page.context().cookies()).find((c) => c.name === COOKIE)?.value;
  expect(cookie).toBeTruthy();

  const rotated = await serve({ current: NEW_SECRET, previous: E2E_SECRET });
  try {
    const { page: there, context } = await openAccountWith(browser, rotated.base, cookie!);
    await expect(there.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
    await expect(there.getByText('Jordan Smith')).toBeVisible();
    expect(new URL(there.url()).pathname).toBe('/account');
    // Not re-issued under the new secret (getServerSession drops next-auth's re-encoded cookie in
    // server components): the old cookie lives to its own end, which is why the README says 12 h.
    expect((await context.cookies()).find((c) => c.name === COOKIE)?.value).toBe(cookie);
    await context.close();
    // The same session's claims sealed under a secret this server does not know: no session.
    const claims = await decode({ token: cookie!, secret: E2E_SECRET });
    expect(claims?.sid).toBeTruthy();
    const forged = await encode({ token: claims!, secret: 'a-third-secret-nobody-configured-long-enough-0000003', maxAge: 3600 });
    const stranger = await openAccountWith(browser, rotated.base, forged);
    await expect(stranger.page).toHaveURL(/\/login(\?|$)/);
    await stranger.context.close();
  } finally {
    await stopped(rotated.server);
  }

  const dropped = await serve({ current: NEW_SECRET });
  try {
    const { page: there, context } = await openAccountWith(browser, dropped.base, cookie!);
    await expect(there).toHaveURL(/\/login(\?|$)/);
    await expect(there.getByRole('heading', { name: 'You are signed in' })).toBeHidden();
    await context.close();
  } finally {
    await stopped(dropped.server);
  }
});
