// JSON logs and Prometheus metrics of the production server (server.mjs), read as the people who
// run it would: its stdout line by line, and its metrics port. The spec starts instances of its
// own on the e2e database, so it can read their stdout and choose their settings.
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { db, newStaffMember } from './support/data';
import { E2E_DATABASE_URL, E2E_SECRET } from './support/env';
import { expect, signInAsAgencyUser, test } from './support/test';

const root = path.resolve(import.meta.dirname, '..');

type Instance = { base: string; port: number; metricsPort: number | null; lines: string[]; child: ChildProcess };
type LogLine = Record<string, unknown> & { event?: string; requestId?: string; roundId?: string };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/**
 * server.mjs on the build with only the environment given here (not this process's: no LOG_LEVEL or
 * other setting leaks in), stdout piped for its JSON lines. The suite's own server delivers the
 * mail; these only serve.
 */
function productionServer(port: number, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['server.mjs'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: String(port),
      HOST: '127.0.0.1',
      APP_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: E2E_DATABASE_URL,
      NEXTAUTH_SECRET: E2E_SECRET,
      MAIL_WORKER: 'off',
      MAIL_TRANSPORT: 'file',
      ...env,
    },
  });
}

async function startInstance({ metrics, env = {} }: { metrics: boolean; env?: Record<string, string> }): Promise<Instance> {
  const port = await freePort();
  const metricsPort = metrics ? await freePort() : null;
  const base = `http://127.0.0.1:${port}`;
  const child = productionServer(port, { NEXTAUTH_URL: base, ...(metricsPort && { METRICS_PORT: String(metricsPort) }), ...env });
  const lines: string[] = [];
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts.filter(Boolean));
  });
  const instance = { base, port, metricsPort, lines, child };
  await expect.poll(() => parsed(instance).some((line) => line.event === 'server.listening'), { timeout: 60_000 }).toBe(true);
  if (metricsPort) await expect.poll(() => parsed(instance).some((line) => line.event === 'metrics.listening'), { timeout: 10_000 }).toBe(true);
  return instance;
}

function parsed(instance: Instance): LogLine[] {
  // Every line on stdout is JSON: one that is not fails here.
  return instance.lines.map((line) => JSON.parse(line) as LogLine);
}

async function stopInstance(instance: Instance | undefined) {
  if (!instance || instance.child.exitCode !== null) return;
  const exited = new Promise((resolve) => instance.child.once('exit', resolve));
  instance.child.kill('SIGTERM');
  await exited;
}

async function scrape(instance: Instance): Promise<string> {
  const answer = await fetch(`http://127.0.0.1:${instance.metricsPort}/metrics`);
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return answer.text();
}

function sample(text: string, series: string): number {
  const line = text.split('\n').find((row) => row.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

/** Submits the sign-in form and returns the request id of the POST that carried it. */
async function signInAndTrace(page: Page, creds: { providerCode: string; loginName: string; password: string }): Promise<string> {
  // The sign-in page also posts to /login as it loads: the passkey form's options action (autofill).
  // The form's own post is the one that carries the login name.
  const posted = page.waitForResponse(
    (response) =>
      response.request().method() === 'POST' && new URL(response.url()).pathname === '/login' && (response.request().postData() ?? '').includes(creds.loginName),
  );
  await signInAsAgencyUser(page, creds);
  const requestId = (await posted).headers()['x-request-id'];
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  return requestId!;
}

let instance: Instance;

test.beforeAll(async () => {
  instance = await startInstance({ metrics: true });
});
test.afterAll(async () => {
  await stopInstance(instance);
});

test('[OPERATOR] every request leaves one JSON access line naming it, tokens redacted, and its id is the audit record\'s', async ({ browser }) => {
  const { creds, user } = await newStaffMember();
  const token = randomBytes(32).toString('base64url');
  const wrongPassword = `wrong ${randomBytes(6).toString('hex')} guess`;

  const resetAnswer = await fetch(`${instance.base}/reset/${token}?t=${token}`);
  const resetId = resetAnswer.headers.get('x-request-id');
  const encoded = await fetch(`${instance.base}/%72eset/${token}`);
  await Promise.all([resetAnswer.text(), encoded.text()]);

  const context = await browser.newContext({ baseURL: instance.base });
  const page = await context.newPage();
  const failedId = await signInAndTrace(page, { ...creds, password: wrongPassword });
  await expect(page.locator('.error-summary')).toBeVisible();
  await context.close();

  // Each line is written once its answer has gone out, which the client may see a moment before.
  const ids = [resetId, encoded.headers.get('x-request-id'), failedId];
  await expect.poll(() => ids.every((id) => parsed(instance).some((line) => line.event === 'http.request' && line.requestId === id))).toBe(true);
  const lines = parsed(instance);
  const access = (id: string | null) => lines.filter((line) => line.event === 'http.request' && line.requestId === id);

  expect(access(resetId)).toEqual([
    expect.objectContaining({
      method: 'GET',
      path: '/reset/[redacted]?t=[redacted]',
      route: '/reset/[token]',
      status: resetAnswer.status,
      clientIp: '127.0.0.1',
      durationMs: expect.any(Number),
      level: 30,
      time: expect.any(String),
    }),
  ]);
  expect(access(encoded.headers.get('x-request-id'))).toEqual([expect.objectContaining({ path: '/reset/[redacted]', status: encoded.status })]);

  expect(access(failedId)).toEqual([expect.objectContaining({ method: 'POST', path: '/login', route: '/login', status: 200, clientIp: '127.0.0.1' })]);
  const audited = await db().auditEvent.findMany({ where: { requestId: failedId }, select: { action: true, targetId: true } });
  expect(audited).toEqual([{ action: 'SIGN_IN_FAILURE', targetId: user.id }]);

  const everything = instance.lines.join('\n');
  expect(everything).not.toContain(token);
  expect(everything).not.toContain(wrongPassword);
  expect(everything).not.toContain(creds.password);
});

test('[OPERATOR] the metrics port counts sign-ins by outcome and times requests by route pattern, never by raw path', async ({ browser }) => {
  const { creds } = await newStaffMember();
  const wrong = 'portal_sign_ins_total{audience="agency",step="password",outcome="wrong_password"}';
  const success = 'portal_sign_ins_total{audience="agency",step="password",outcome="success"}';
  const before = await scrape(instance);

  const context = await browser.newContext({ baseURL: instance.base });
  const page = await context.newPage();
  await signInAndTrace(page, { ...creds, password: 'not the password at all' });
  await expect(page.locator('.error-summary')).toBeVisible();
  await signInAndTrace(page, creds);
  await expect(page).toHaveURL(/\/account$/);
  await context.close();
  const token = randomBytes(32).toString('base64url');
  const cancel = await fetch(`${instance.base}/super-admin-reset/cancel/${token}`);
  await cancel.text();
  // A request is timed once its answer has gone out, which the client may see a moment before.
  const cancelSeries = `portal_http_request_duration_seconds_count{method="GET",route="/super-admin-reset/cancel/[token]",status="${cancel.status}"}`;
  await expect.poll(async () => sample(await scrape(instance), cancelSeries)).toBeGreaterThanOrEqual(1);

  const after = await scrape(instance);
  expect(sample(after, wrong) - sample(before, wrong)).toBe(1);
  expect(sample(after, success) - sample(before, success)).toBe(1);
  expect(sample(after, 'portal_http_request_duration_seconds_count{method="POST",route="/login",status="200"}')).toBeGreaterThanOrEqual(2);
  expect(after).not.toContain(token);
  // The database gauges are read on scrape.
  expect(sample(after, 'portal_database_figures_up')).toBe(1);
  for (const gauge of [
    'portal_mail_outbox_pending',
    'portal_mail_outbox_dead',
    'portal_mail_outbox_oldest_pending_age_seconds',
    'portal_status_alert_fanouts_unfinished',
    'portal_verification_queue_depth',
    'portal_verification_queue_oldest_age_seconds',
  ]) {
    expect(after).toMatch(new RegExp(`^${gauge} \\d`, 'm'));
  }
});

test("[ANYONE] cannot read the metrics through the app's port", async () => {
  for (const target of ['/metrics', '/metrics/', '/api/metrics']) {
    const answer = await fetch(`${instance.base}${target}`);
    expect(answer.status).toBe(404);
    expect(await answer.text()).not.toContain('portal_sign_ins_total');
  }
  // …and the metrics port serves nothing but /metrics.
  const other = await fetch(`http://127.0.0.1:${instance.metricsPort}/help`);
  expect(other.status).toBe(404);
});

test('[OPERATOR] without METRICS_PORT the server listens on its own port only', async () => {
  const bare = await startInstance({ metrics: false });
  try {
    const listening = execFileSync('ss', ['-Hltnp'], { encoding: 'utf8' })
      .split('\n')
      .filter((row) => row.includes(`pid=${bare.child.pid},`));
    expect(listening.map((row) => row.split(/\s+/)[3])).toEqual([`127.0.0.1:${bare.port}`]);
    expect(parsed(bare).some((line) => line.event === 'metrics.listening')).toBe(false);
  } finally {
    await stopInstance(bare);
  }
});

test("[OPERATOR] the app's own lines written while serving a request carry its id, with no id passed by the code that logs", async () => {
  // A database that cannot be opened: proxy.ts logs its failed maintenance lookup, a line written
  // deep inside Next.js's handling that names no request itself. The instance's own fetches of the
  // pages it keeps in memory (/status, /login, the version poll) fail the same way meanwhile, each
  // under its own id: at debug level their access lines show, marked internal.
  const broken = await startInstance({ metrics: false, env: { DATABASE_URL: 'file:/nonexistent-portal-dir/portal.db', LOG_LEVEL: 'debug' } });
  try {
    // With a query string /login is always rendered by Next.js, never sent from the copy kept in
    // memory (which the instance's own fetch may already have made). The mark the instance puts on
    // its own fetches is a per-process secret: a guess is a client's request.
    const answer = await fetch(`${broken.base}/login?callbackUrl=%2Faccount`, { headers: { 'x-portal-render': '1' } });
    const requestId = answer.headers.get('x-request-id');
    await expect.poll(() => parsed(broken).some((line) => line.event === 'http.request' && line.requestId === requestId)).toBe(true);
    const failure = parsed(broken).find((line) => line.event === 'proxy.maintenance_lookup_failed' && line.requestId === requestId);
    expect(failure).toMatchObject({ level: 50, error: { message: expect.stringContaining('Cannot open database') } });
    expect(parsed(broken).filter((line) => line.event === 'http.request' && line.requestId === requestId)).toEqual([expect.not.objectContaining({ internal: true })]);
    // Every error line names its work: a request, the test's or one of the instance's own fetches
    // (whose access line is written once its answer is out, so it may come a moment after), or the
    // 30 s status round, which fails here too once the test has run that long.
    const internalIds = () => new Set(parsed(broken).filter((line) => line.event === 'http.request' && line.internal === true).map((line) => line.requestId));
    const strays = () => {
      const internal = internalIds();
      return parsed(broken).filter((line) => line.level === 50 && typeof line.roundId !== 'string' && line.requestId !== requestId && !internal.has(line.requestId));
    };
    await expect.poll(strays).toEqual([]);
    expect(parsed(broken).filter((line) => line.level === 50).every((line) => typeof (line.requestId ?? line.roundId) === 'string')).toBe(true);
  } finally {
    await stopInstance(broken);
  }
});

test('[OPERATOR] a METRICS_PORT that cannot be used stops the server with exit code 1 and a line naming it', async () => {
  const appPort = await freePort();
  for (const [value, says] of [
    ['9x', /METRICS_PORT must be a port number/],
    [String(appPort), /METRICS_PORT must differ from PORT/],
    [String(instance.metricsPort), /EADDRINUSE/],
  ] as const) {
    const child = productionServer(appPort, { METRICS_PORT: value });
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code, value).toBe(1);
    const fatal = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as LogLine).find((line) => line.level === 60);
    expect(JSON.stringify(fatal), value).toMatch(says);
  }
});
