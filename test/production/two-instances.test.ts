// Two production servers on one PostgreSQL: what they share lives in the database.
import { chromium, type Browser, type Page } from '@playwright/test';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemoData } from '@/prisma/seed';
import { verifyAuditChain } from '@/lib/audit/verify-chain';
import { startRoundRobinProxy, type RoundRobinProxy } from '../support/round-robin-proxy';
import { createDb } from '@/lib/db/client';
import { applyMigrations } from '@/scripts/db/migrate';
import { startThrowawayPostgres } from '@/test/support/throwaway-postgres';
import { formWithField } from '../support/html-form';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { startProductionServer, TEST_SECRET, throwawayMailDir, type ProductionServer } from '../support/production-server';

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

/** The hidden fields of the sign-in form of the page at `url` (the server action's reference), as a browser without JavaScript posts them. */
async function signInFormFields(url: string): Promise<[string, string][]> {
  return formWithField(await (await fetch(url)).text(), 'loginName').hidden;
}

describe('[OPERATOR] two instances behind a round-robin balancer', () => {
  let proxy: RoundRobinProxy | undefined;
  let browser: Browser | undefined;
  const balanced: ProductionServer[] = [];
  let pg: { url: string; stop: () => Promise<void> } | undefined;
  let route: { form: number; post: number } | null = { form: 0, post: 1 };
  // Every request to this instance while set (a whole page and its form's post).
  let pinned: number | undefined;
  const NEW_PASSWORD = 'copper kettle winter orchard';

  afterAll(async () => {
    await browser?.close();
    await Promise.all(balanced.map((s) => s.stop()));
    await proxy?.stop();
    await pg?.stop();
  });

  /** Why a sign-in did not end as expected, for the failure message: what the page said, and what the instances logged above info. */
  async function whatHappened(page: Page): Promise<string> {
    const said = await page.locator('[role=alert], h1').allInnerTexts();
    // From the raw output: a line that is not JSON must not hide the miss being reported.
    const logged = balanced.flatMap((server, i) =>
      server
        .output()
        .split('\n')
        .filter((line) => line && !/^\{.*"level":(10|20|30),/.test(line))
        .map((line) => `instance ${i}: ${line}`),
    );
    return [`at ${page.url()}`, ...said, ...logged.slice(-20)].join('\n');
  }

  /** Signs in as a browser with JavaScript does, and returns once the page shows the outcome expected (or fails saying what it shows). */
  async function signIn(page: Page, loginName: string, password: string, via: { form: number; post: number }, expected: 'signed in' | 'refused') {
    route = via;
    await page.goto(`${proxy!.url}/login`);
    await page.getByLabel('Provider code').fill('ACME-NY');
    await page.getByLabel('Login name').fill(loginName);
    await page.getByLabel('Password', { exact: true }).fill(password);
    // The form's own post, the one carrying the login name: focusing that field also posts to /login
    // (the passkey autofill's options), whose answer must not be taken for the sign-in's.
    const posted = page.waitForResponse(
      (response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/login' && (response.request().postData() ?? '').includes(loginName),
    );
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await posted;
    // The page as it then stands: on the next page, or on the form with its error summary.
    const shown = expected === 'signed in' ? page.waitForURL((url) => !url.pathname.startsWith('/login')) : page.getByTestId('error-summary').waitFor();
    await shown.catch(async (error: unknown) => {
      throw new Error(`expected the sign-in ${expected}; ${await whatHappened(page)}`, { cause: error });
    });
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
      if (pinned !== undefined) return pinned;
      if (path.startsWith('/login') && route) return method === 'GET' ? route.form : route.post;
      // Strict turns for the signed-in page (the page's assets would otherwise shift them).
      if (path === '/account') return accountTurns++ % 2;
      return undefined;
    });
    const env = {
      DATABASE_URL: pg.url,
      APP_URL: proxy.url,
      NEXTAUTH_SECRET: TEST_SECRET,
      MAIL_TRANSPORT: 'file',
      MAIL_DIR: throwawayMailDir(),
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
    await signIn(staff, 'jsmith', DEMO_PASSWORD, { form: 0, post: 1 }, 'signed in');
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
      await signIn(stranger, 'pat.admin', `wrong password number ${attempts}`, { form: attempts % 2, post: (attempts + 1) % 2 }, 'refused');
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
      await signIn(stranger, 'pat.admin', DEMO_PASSWORD, { form: i, post: i }, 'refused');
    }
    await database.$disconnect();
  });

  it('a password changed through one instance ends the other sessions on the other instance at their next request', async () => {
    const [, second] = balanced;
    const cookieOf = async (page: Page) => (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const onSecond = (cookie: string) => fetch(`${second!.url}/account`, { headers: { cookie }, redirect: 'manual' });

    // Another device's session, made on the second instance and used there.
    const elsewhere = await browser!.newPage();
    await signIn(elsewhere, 'jsmith', DEMO_PASSWORD, { form: 1, post: 1 }, 'signed in');
    const oldCookie = await cookieOf(elsewhere);
    expect((await onSecond(oldCookie)).status).toBe(200);

    // The change, rendered and posted on the first instance only.
    const changer = await browser!.newPage();
    await signIn(changer, 'jsmith', DEMO_PASSWORD, { form: 0, post: 0 }, 'signed in');
    pinned = 0;
    const postsBefore = proxy!.served.length;
    try {
      await changer.goto(`${proxy!.url}/change-password`);
      await changer.getByLabel('Current password').fill(DEMO_PASSWORD);
      await changer.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
      await changer.getByLabel('Confirm new password').fill(NEW_PASSWORD);
      await changer.getByRole('button', { name: 'Change password' }).click();
      await changer.waitForURL(/\/account\?done=password-changed\.\d+\.[\w-]+$/);
    } finally {
      pinned = undefined;
    }
    const changePosts = proxy!.served.slice(postsBefore).filter((s) => s.method === 'POST' && s.path.startsWith('/change-password'));
    expect(changePosts.map((s) => s.upstream)).toEqual([0]);

    // The second instance's very next request with the old session's cookie is refused…
    const refused = await onSecond(oldCookie);
    expect(refused.status).not.toBe(200);
    expect(new URL(refused.headers.get('location') ?? '', second!.url).pathname).toBe('/login');
    // …while the session that made the change goes on there.
    expect((await onSecond(await cookieOf(changer))).status).toBe(200);
    await Promise.all([elsewhere.close(), changer.close()]);
  });

  it('SIGTERM to one instance mid-traffic of pages and sign-ins: every request started gets an answer, every sign-in answered is audited exactly once, then the other serves all', async () => {
    const [first] = balanced;
    const database = createDb(pg!.url);
    // Sign-ins as a browser without JavaScript sends them: the form's fields, posted to /login.
    const form = await signInFormFields(`${proxy!.url}/login`);
    const signInPost = () => {
      const body = new FormData();
      for (const [name, value] of form) body.append(name, value);
      // An account of another agency that no test before changed: this test stands on its own.
      body.set('providerCode', 'SOLO-TX');
      body.set('loginName', 'ben.staff');
      body.set('password', DEMO_PASSWORD);
      return fetch(`${proxy!.url}/login`, { method: 'POST', body, headers: { origin: proxy!.url }, redirect: 'manual' }).then(async (r) => {
        await r.arrayBuffer();
        return { status: r.status, location: r.headers.get('location'), requestId: r.headers.get('x-request-id') };
      });
    };
    const lastSeq = (await database.auditEvent.aggregate({ _max: { seq: true } }))._max.seq ?? 0;
    // Everything takes turns now, the sign-in posts too.
    route = null;
    const servedBefore = proxy!.served.length;
    const kinds = Array.from({ length: 60 }, (_, i) => ['/login', 'sign-in', '/status', 'sign-in', '/help', '/api/ready'][i % 6]!);
    const requests = kinds.map((kind) =>
      kind === 'sign-in' ? signInPost() : fetch(`${proxy!.url}${kind}`).then(async (r) => ({ status: (await r.arrayBuffer(), r.status), location: null, requestId: null })),
    );
    // The signal goes once the first instance has answered a sign-in, while the rest are in flight on both.
    while (!proxy!.served.slice(servedBefore).some((s) => s.method === 'POST' && s.upstream === 0)) await new Promise((resolve) => setTimeout(resolve, 10));
    const exit = first!.stop('SIGTERM');
    const answers = await Promise.all(requests);
    const signIns = answers.filter((_, i) => kinds[i] === 'sign-in');
    // /api/ready says 503 on the stopping instance, by design (the balancer takes it out).
    expect(answers.filter(({ status }, i) => kinds[i] !== 'sign-in' && status !== 200 && !(kinds[i] === '/api/ready' && status === 503))).toEqual([]);
    // Each sign-in was answered: a redirect away from the form (signed in), or the form again (the
    // burst can fill the address's sign-in bucket before the successes give their counts back).
    const succeeded = signIns.filter(({ status, location }) => status === 303 && location && new URL(location, proxy!.url).pathname !== '/login');
    expect(signIns.filter((answer) => !succeeded.includes(answer) && answer.status !== 200)).toEqual([]);
    expect(succeeded.length).toBeGreaterThan(0);
    expect(await exit).toBe(0);
    // Sign-ins were in flight on the first instance when it was told to stop, and it finished them.
    const lines = first!.logLines();
    const stopping = lines.findIndex((line) => line.event === 'server.stopping');
    expect(stopping).toBeGreaterThan(-1);
    expect(lines.slice(stopping).filter((line) => line.event === 'http.request' && line.method === 'POST' && line.status === 303).length).toBeGreaterThan(0);
    for (const { requestId } of signIns) expect(requestId).toMatch(/^[0-9a-f-]{36}$/);

    // Both instances have settled (one exited, the other answered): each sign-in answered as a success
    // has exactly one success record under its request id, every other answer one refusal record, and
    // there is no record without an answer.
    const audited = await database.auditEvent.findMany({ where: { action: { startsWith: 'SIGN_IN_' }, seq: { gt: lastSeq } }, select: { action: true, requestId: true } });
    const ids = (rows: { requestId: string | null }[]) => rows.map((row) => row.requestId).sort();
    expect(ids(audited.filter((row) => row.action === 'SIGN_IN_SUCCESS'))).toEqual(ids(succeeded));
    expect(ids(audited.filter((row) => row.action !== 'SIGN_IN_SUCCESS'))).toEqual(ids(signIns.filter((answer) => !succeeded.includes(answer))));
    // …and the chain both instances appended to has no gap.
    expect(await verifyAuditChain(database)).toMatchObject({ ok: true });
    await database.$disconnect();
    const after = proxy!.served.length;
    const more = await Promise.all(Array.from({ length: 6 }, () => fetch(`${proxy!.url}/login`).then((r) => r.status)));
    expect(more).toEqual(more.map(() => 200));
    expect(proxy!.served.slice(after).map((s) => s.upstream)).toEqual(more.map(() => 1));
  });
});
