// Two production servers on one PostgreSQL: what they share lives in the database.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { afterAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '@/prisma/seed';
import { startRoundRobinProxy, type RoundRobinProxy } from '../support/round-robin-proxy';
import { createDb } from '@/lib/db/client';
import { applyMigrations } from '@/scripts/db/migrate';
import { startThrowawayPostgres } from '@/test/support/throwaway-postgres';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { startProductionServer, TEST_SECRET, type ProductionServer } from '../support/production-server';

const MESSAGES = 400;
let postgres: { url: string; stop: () => Promise<void> } | undefined;
let sink: SmtpSink | undefined;
const servers: ProductionServer[] = [];

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await sink?.stop();
  await postgres?.stop();
});

describe('[OPERATOR] two instances on one PostgreSQL', () => {
  it('deliver each queued mail exactly once with both mail loops running, and both stop cleanly', async () => {
    postgres = await startThrowawayPostgres();
    await applyMigrations(postgres.url);
    sink = await startSmtpSink();
    const env = { DATABASE_URL: postgres.url, APP_URL: 'http://127.0.0.1:9', NEXTAUTH_SECRET: TEST_SECRET, SMTP_URL: sink.url, MAIL_POLL_MS: '100' };
    servers.push(...(await Promise.all([startProductionServer(env), startProductionServer(env)])));
    for (const server of servers) expect((await fetch(`${server.url}/api/ready`)).status).toBe(200);

    const database = createDb(postgres.url);
    await database.outboxMessage.createMany({
      data: Array.from({ length: MESSAGES }, (_, i) => ({ template: 'test', toAddress: `person${i}@example.test`, subject: `message ${i}`, textBody: 't', htmlBody: '<p>h</p>' })),
    });
    await sink.waitFor(() => sink!.received.length >= MESSAGES, 120_000);
    const ids = sink.received.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(MESSAGES);
    expect(await database.outboxMessage.count({ where: { status: 'SENT' } })).toBe(MESSAGES);
    expect(await Promise.all(servers.map((s) => s.stop('SIGTERM')))).toEqual([0, 0]);
    expect(sink.received).toHaveLength(MESSAGES);
    await database.$disconnect();
  });
});

describe('[OPERATOR] two instances behind a round-robin balancer', () => {
  let proxy: RoundRobinProxy | undefined;
  let browser: Browser | undefined;
  const balanced: ProductionServer[] = [];
  let pg: { url: string; stop: () => Promise<void> } | undefined;
  let route = { form: 0, post: 1 };

  afterAll(async () => {
    await browser?.close();
    await Promise.all(balanced.map((s) => s.stop()));
    await proxy?.stop();
    await pg?.stop();
  });

  async function signIn(page: Page, loginName: string, password: string, via: { form: number; post: number }) {
    route = via;
    await page.goto(`${proxy!.url}/login`);
    await page.getByLabel('Provider code').fill('ACME-NY');
    await page.getByLabel('Login name').fill(loginName);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForLoadState('networkidle');
  }

  it('a form rendered by one instance submits to the other, a session and a lockout hold on both', async () => {
    pg = await startThrowawayPostgres();
    await applyMigrations(pg.url);
    // The seed seals the demo authenticator secrets with the instances' NEXTAUTH_SECRET.
    process.env.NEXTAUTH_SECRET = TEST_SECRET;
    await seedDemoData(pg.url);
    const upstreams: string[] = [];
    // Which instance renders the sign-in form and which one gets its post (then the redirect's page).
    let accountTurns = 0;
    proxy = await startRoundRobinProxy(upstreams, (method, path) => {
      if (path.startsWith('/login')) return method === 'GET' ? route.form : route.post;
      // Strict turns for the signed-in page (the page's assets would otherwise shift them).
      if (path === '/account') return accountTurns++ % 2;
      return undefined;
    });
    const env = {
      DATABASE_URL: pg.url,
      APP_URL: proxy.url,
      NEXTAUTH_SECRET: TEST_SECRET,
      MAIL_TRANSPORT: 'file',
      MAIL_DIR: mkdtempSync(path.join(os.tmpdir(), 'portal-mail-')),
      MAIL_WORKER: 'off',
      // Same value on every instance (README "Several instances").
      NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    };
    balanced.push(...(await Promise.all([startProductionServer(env), startProductionServer(env)])));
    upstreams.push(...balanced.map((s) => s.url));
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
    const database = createDb(pg.url);

    // Session made on one instance, used on both.
    const staff = await browser.newPage();
    await signIn(staff, 'jsmith', 'maple river quiet lantern', { form: 0, post: 1 });
    expect(new URL(staff.url()).pathname).not.toMatch(/^\/login/);
    // The form came from one instance and its post went to the other.
    const [formGet, formPost] = proxy.served.filter((s) => s.path.startsWith('/login'));
    expect(formGet?.method).toBe('GET');
    expect(formPost?.method).toBe('POST');
    expect(formPost?.upstream).not.toBe(formGet?.upstream);
    const before = proxy.served.length;
    for (let i = 0; i < 4; i += 1) {
      const answer = await staff.goto(`${proxy.url}/account`);
      expect(answer?.status()).toBe(200);
      expect(new URL(staff.url()).pathname).toBe('/account');
    }
    expect(new Set(proxy.served.slice(before).filter((s) => s.path === '/account').map((s) => s.upstream))).toEqual(new Set([0, 1]));

    // A lockout counted across both instances refuses on both.
    const stranger = await browser.newPage();
    let attempts = 0;
    const lockedRow = () => database.user.findFirst({ where: { loginKey: 'pat.admin' }, select: { lockedUntil: true, hardLockedAt: true, failedSignInCount: true } });
    while (attempts < 12 && !(await lockedRow())?.lockedUntil) {
      await signIn(stranger, 'pat.admin', `wrong password number ${attempts}`, { form: attempts % 2, post: (attempts + 1) % 2 });
      attempts += 1;
    }
    const row = await lockedRow();
    expect(row?.lockedUntil).not.toBeNull();
    // More failures than either instance saw: each counted the other's.
    expect(row?.failedSignInCount).toBeGreaterThan(Math.ceil(attempts / 2));
    // The sign-in posts themselves went to both instances.
    const posts = proxy.served.filter((s) => s.method === 'POST' && s.path.startsWith('/login')).map((s) => s.upstream);
    expect(posts.length).toBeGreaterThanOrEqual(attempts);
    expect(new Set(posts)).toEqual(new Set([0, 1]));
    for (let i = 0; i < 2; i += 1) {
      await signIn(stranger, 'pat.admin', 'maple river quiet lantern', { form: i, post: i });
      expect(new URL(stranger.url()).pathname).toBe('/login');
    }
    await database.$disconnect();
  });

  it('SIGTERM to one instance mid-traffic: every request started gets an answer, then the other serves all', async () => {
    const [first] = balanced;
    const paths = ['/login', '/status', '/help', '/api/ready'];
    const requests = Array.from({ length: 40 }, (_, i) => fetch(`${proxy!.url}${paths[i % paths.length]}`).then((r) => r.status));
    // The signal goes once answers are coming back, while the rest are in flight on both instances.
    await Promise.race(requests);
    const exit = first!.stop('SIGTERM');
    const statuses = await Promise.all(requests);
    // /api/ready says 503 on the stopping instance, by design (the balancer takes it out).
    expect(statuses.filter((status, i) => status !== 200 && !(paths[i % paths.length] === '/api/ready' && status === 503))).toEqual([]);
    expect(await exit).toBe(0);
    const after = proxy!.served.length;
    const more = await Promise.all(Array.from({ length: 6 }, () => fetch(`${proxy!.url}/login`).then((r) => r.status)));
    expect(more).toEqual(more.map(() => 200));
    expect(proxy!.served.slice(after).map((s) => s.upstream)).toEqual(more.map(() => 1));
  });
});
