import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { APIResponse } from '@playwright/test';
import { freePort } from '@/lib/net/free-port';
import { DEMO_PASSWORD } from '@/prisma/seed';
import { serveBuild } from '@/scripts/serve-build';
import { E2E_BASE_URL, E2E_DATABASE_URL, E2E_SECRET } from './support/env';
import { expect, signInAsAgencyUser, test } from './support/test';

const CSP = 'content-security-policy';
const HSTS = 'strict-transport-security';
const FROM_MEMORY = 'x-portal-from-memory';
const PAGES = ['/', '/login', '/help', '/status', '/super-admin-reset', '/admin', '/vendor/login', '/help/ask-admin', '/no-such-page'];

function policies(response: APIResponse): string[] {
  return response
    .headersArray()
    .filter(({ name }) => name.toLowerCase() === CSP)
    .map(({ value }) => value);
}

/** The one policy of an answer; two would each have to allow every script. */
function onePolicy(response: APIResponse): string {
  const found = policies(response);
  expect(found, `policies of ${response.url()}`).toHaveLength(1);
  return found[0]!;
}

function scriptSources(policy: string): string[] {
  return (policy.split(';').find((part) => part.trim().startsWith('script-src')) ?? '').trim().split(/\s+/).slice(1);
}

/**
 * Inline scripts of a page that its policy does not allow, worked out here independently of the
 * app's own code: an inline script runs only with the policy's nonce or with its SHA-256 listed.
 */
function refusedInlineScripts(html: string, policy: string): string[] {
  const allowed = new Set(scriptSources(policy));
  const refused: string[] = [];
  for (const [, attributes = '', text = ''] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    if (/\ssrc=/.test(` ${attributes}`) || text === '') continue;
    const nonce = /\bnonce="([^"]+)"/.exec(attributes)?.[1];
    const hash = `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    if (!(nonce && allowed.has(`'nonce-${nonce}'`)) && !allowed.has(hash)) refused.push(text.slice(0, 80));
  }
  return refused;
}

function expectStrictPolicy(policy: string) {
  const scripts = scriptSources(policy);
  expect(scripts).not.toContain("'unsafe-inline'");
  expect(scripts).not.toContain("'unsafe-eval'");
  expect(scripts[0]).toBe("'self'");
  expect(scripts.slice(1).every((source) => /^'(nonce|sha256)-[A-Za-z0-9+/=]+'$/.test(source))).toBe(true);
  for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"]) expect(policy).toContain(directive);
}

test('[ANONYMOUS] every page answers with one strict policy that allows exactly its own inline scripts, and no HSTS over http', async ({ request }) => {
  for (const pathname of PAGES) {
    for (const method of ['GET', 'HEAD'] as const) {
      const response = await request.fetch(pathname, { method, maxRedirects: 0 });
      expect(response.headers()['content-type'], pathname).toMatch(/^text\/html/);
      expectStrictPolicy(onePolicy(response));
      expect(response.headers(), pathname).not.toHaveProperty(HSTS);
    }
    const page = await request.get(pathname);
    const html = await page.text();
    expect(html, pathname).toContain('<script');
    expect(refusedInlineScripts(html, onePolicy(page)), pathname).toEqual([]);
  }
});

test('[ANONYMOUS] prerendered pages carry hashes, pages rendered per request a fresh nonce each', async ({ request }) => {
  // (/super-admin-reset is rendered per request: each rendering carries its own idempotency key.)
  for (const pathname of ['/', '/help', '/status']) {
    const response = await request.get(pathname);
    expect(response.headers()['x-nextjs-prerender'] ?? response.headers()[FROM_MEMORY], pathname).toBeTruthy();
    expect(onePolicy(response), pathname).not.toContain("'nonce-");
  }
  // Many at once, so that no answer takes another's nonce.
  // (/login and /vendor/login themselves come from memory: with a query they are rendered per request.)
  const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => request.get(i % 2 ? '/login?callbackUrl=%2Faccount' : '/super-admin-reset')));
  const nonces = await Promise.all(
    answers.map(async (answer) => {
      const policy = onePolicy(answer);
      expect(refusedInlineScripts(await answer.text(), policy)).toEqual([]);
      return /'nonce-([^']+)'/.exec(policy)?.[1];
    }),
  );
  expect(nonces.every(Boolean)).toBe(true);
  expect(new Set(nonces).size).toBe(nonces.length);
});

test('[ANONYMOUS] cannot choose the nonce by sending a policy of their own', async ({ request }) => {
  const chosen = "default-src *; script-src 'nonce-attacker-chosen' 'unsafe-inline'";
  const answer = await request.get('/login?callbackUrl=%2Faccount', { headers: { 'Content-Security-Policy': chosen } });
  const policy = onePolicy(answer);
  expect(policy).not.toContain('attacker-chosen');
  expectStrictPolicy(policy);
  const html = await answer.text();
  expect(html).not.toContain('attacker-chosen');
  expect(refusedInlineScripts(html, policy)).toEqual([]);
});

test('[ANONYMOUS] /help from memory carries the very policy Next.js gave it, which fits its bytes', async ({ request }) => {
  const fromMemory = await request.get('/help');
  expect(fromMemory.headers()[FROM_MEMORY]).toBe('1');
  const throughNext = await request.get('/help?through=next');
  expect(throughNext.headers()).not.toHaveProperty(FROM_MEMORY);
  expect(onePolicy(fromMemory)).toBe(onePolicy(throughNext));
  expect(refusedInlineScripts(await fromMemory.text(), onePolicy(fromMemory))).toEqual([]);
  const head = await request.head('/help');
  expect(head.headers()[FROM_MEMORY]).toBe('1');
  expect(onePolicy(head)).toBe(onePolicy(fromMemory));
});

test('[ANONYMOUS] /login comes from memory with hashes that fit its bytes; with a callbackUrl, or as a client navigation, Next.js renders it', async ({
  request,
}) => {
  await expect.poll(async () => (await request.get('/login')).headers()[FROM_MEMORY], { timeout: 30_000 }).toBe('1');
  const fromMemory = await request.get('/login');
  const html = await fromMemory.text();
  expect(html).toContain('Sign in to CareNotes');
  expect(html).toContain('name="callbackUrl" value="/account"');
  expect(onePolicy(fromMemory)).not.toContain("'nonce-");
  expect(refusedInlineScripts(html, onePolicy(fromMemory))).toEqual([]);
  expect(fromMemory.headers()['cache-control']).toBe('no-cache');
  expect(fromMemory.headers()).not.toHaveProperty('set-cookie');

  const withCallback = await request.get('/login?callbackUrl=%2Fadmin');
  expect(withCallback.headers()).not.toHaveProperty(FROM_MEMORY);
  expect(await withCallback.text()).toContain('name="callbackUrl" value="/admin"');
  const navigation = await request.get('/login', { headers: { RSC: '1' } });
  expect(navigation.headers()).not.toHaveProperty(FROM_MEMORY);
});

test('[ANONYMOUS] /vendor/login comes from memory with hashes that fit its bytes; with a signed-out notice, Next.js renders it', async ({ request }) => {
  await expect.poll(async () => (await request.get('/vendor/login')).headers()[FROM_MEMORY], { timeout: 30_000 }).toBe('1');
  const fromMemory = await request.get('/vendor/login');
  const html = await fromMemory.text();
  expect(html).toContain('Vendor staff sign in');
  expect(onePolicy(fromMemory)).not.toContain("'nonce-");
  expect(refusedInlineScripts(html, onePolicy(fromMemory))).toEqual([]);
  expect(fromMemory.headers()['cache-control']).toBe('no-cache');
  expect(fromMemory.headers()).not.toHaveProperty('set-cookie');

  const signedOut = await request.post('/sign-out', { form: { portal: 'vendor' }, headers: { origin: E2E_BASE_URL }, maxRedirects: 0 });
  const notice = await request.get(signedOut.headers().location!);
  expect(notice.headers()).not.toHaveProperty(FROM_MEMORY);
  expect(await notice.text()).toContain('You are signed out.');
});

test('[OPERATOR] no page is kept a year by a shared cache: after a deploy, its forms and scripts would point at the old build', async ({ request }) => {
  // Prerendered pages with forms, pages from memory, and the router's data for them.
  // (/help/ask-admin, in PAGES, is rendered per visit: each carries its own form key.)
  const prerendered = ['/', '/help', '/super-admin-reset/status'];
  for (const pathname of [...PAGES, ...prerendered]) {
    for (const headers of [{}, { RSC: '1' }] as Record<string, string>[]) {
      const answer = await request.get(pathname, { headers, maxRedirects: 0 });
      expect(answer.headers()['cache-control'] ?? '', `${pathname} ${JSON.stringify(headers)}`).not.toMatch(/s-maxage|max-age=[1-9]|immutable/);
    }
  }
  // A cache may still keep them, asking each time: the ETag makes that a 304.
  for (const pathname of prerendered) {
    const answer = await request.get(pathname);
    expect(answer.headers()['cache-control'], pathname).toBe('no-cache');
    const etag = answer.headers().etag;
    expect(etag, pathname).toBeTruthy();
    expect((await request.get(pathname, { headers: { 'If-None-Match': etag! } })).status(), pathname).toBe(304);
  }
});

test('[PROVIDER_ADMIN] the console answers with a nonce policy that its scripts carry', async ({ page }) => {
  await signInAsAgencyUser(page, { providerCode: 'ACME-NY', loginName: 'pat.admin', password: DEMO_PASSWORD });
  await expect(page).toHaveURL(/\/account$/);
  const response = await page.goto('/admin');
  const headers = await response!.headersArray();
  const found = headers.filter(({ name }) => name.toLowerCase() === CSP).map(({ value }) => value);
  expect(found).toHaveLength(1);
  expectStrictPolicy(found[0]!);
  expect(found[0]).toMatch(/'nonce-/);
  expect(refusedInlineScripts(await response!.text(), found[0]!)).toEqual([]);
});

test('[ANONYMOUS] a script injected into a page is refused by the browser, and the suite hears of it', async ({ browser, cspViolations }) => {
  // On a page the test opens itself, as some specs do.
  const page = await browser.newPage();
  for (const pathname of ['/help', '/login']) {
    await page.goto(pathname);
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      document.body.append(script);
    });
    await expect.poll(() => cspViolations.filter((violation) => violation.includes(pathname)).length, pathname).toBe(1);
    expect(await page.evaluate(() => (window as { __injected?: boolean }).__injected)).toBeUndefined();
  }
  await page.close();
  // Proved caught: cleared, or the fixture would fail this test.
  expect(cspViolations).toHaveLength(2);
  cspViolations.length = 0;
});

test('[ANONYMOUS] HSTS is sent when the running server’s APP_URL is https, on pages from Next.js and from memory', async ({ request }) => {
  expect((await request.get('/login')).headers()).not.toHaveProperty(HSTS);

  // The same build, started again with an https APP_URL: headers fixed at build time would miss it.
  const port = await freePort();
  const server = serveBuild(port, {
    APP_URL: 'https://help.example.com',
    NEXTAUTH_URL: 'https://help.example.com',
    DATABASE_URL: E2E_DATABASE_URL,
    NEXTAUTH_SECRET: E2E_SECRET,
    MAIL_WORKER: 'off',
    // A production server refuses to start without a mail transport named (lib/config.ts).
    MAIL_TRANSPORT: 'file',
    MAIL_DIR: path.join(os.tmpdir(), 'portal-e2e-hsts-mail'),
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (const pathname of ['/help', '/login']) {
      await expect.poll(async () => (await fetch(`${base}${pathname}`).catch(() => null))?.headers.get(FROM_MEMORY), { timeout: 60_000 }).toBe('1');
    }
    for (const pathname of ['/', '/login', '/help', '/status', '/super-admin-reset', '/admin', '/api/health']) {
      const answer = await fetch(`${base}${pathname}`, { redirect: 'manual' });
      expect(answer.headers.get(HSTS), pathname).toBe('max-age=31536000; includeSubDomains');
    }
  } finally {
    server.kill('SIGTERM');
  }
});
