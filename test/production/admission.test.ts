// Admission in server.mjs (lib/runtime/admission.mjs, decision 052): with every place in the app
// taken and no room to wait, a request is refused with 503 and Retry-After, while the probes and the
// pages sent from memory still answer; once the place is free, the app answers again.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@/lib/net/free-port';
import { applyMigrations } from '@/scripts/db/migrate';
import { formWithField, multipartBody } from '../support/html-form';
import { startProductionServer, TEST_SECRET, throwawaySqliteUrl, type ProductionServer } from '../support/production-server';

let server: ProductionServer;
let metricsPort: number;
let APP_URL: string;

beforeAll(async () => {
  const url = throwawaySqliteUrl();
  await applyMigrations(url);
  metricsPort = await freePort();
  // The server's own origin: Next.js refuses a server action whose Origin is not the host it was sent to.
  const port = await freePort();
  APP_URL = `http://127.0.0.1:${port}`;
  server = await startProductionServer({
    DATABASE_URL: url,
    APP_URL,
    NEXTAUTH_SECRET: TEST_SECRET,
    MAIL_TRANSPORT: 'file',
    MAIL_DIR: `${url.slice(5)}-mail`,
    MAX_REQUESTS_IN_FLIGHT: '1',
    MAX_REQUESTS_WAITING: '0',
    METRICS_PORT: String(metricsPort),
  }, port);
});

afterAll(async () => {
  await server?.stop();
});

/**
 * The sign-in form posted (its hidden fields included, as a browser without JavaScript sends it) with
 * the end of its body held back: Next.js reads the whole body of a server action before it runs it,
 * so this request holds its place in the app until `finish` sends the rest.
 */
async function slowSignInPost(port: number) {
  const { hidden } = formWithField((await get('/login')).body, 'loginName');
  expect(hidden.some(([name]) => name.startsWith('$ACTION'))).toBe(true);
  const { body, type } = multipartBody([...hidden, ['providerCode', 'NOBODY'], ['loginName', 'someone'], ['password', 'not the password']]);
  const socket = net.connect(port, '127.0.0.1');
  let answer = '';
  socket.on('data', (chunk) => (answer += chunk.toString()));
  const answered = new Promise<string>((resolve) => socket.on('close', () => resolve(answer)));
  const held = Buffer.byteLength(body) - 10;
  socket.write(
    `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${APP_URL}\r\nAccept: text/html\r\n` +
      `Content-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`,
  );
  socket.write(Buffer.from(body).subarray(0, held));
  return { finish: () => socket.write(Buffer.from(body).subarray(held)), answered };
}

/** The admission gauges, read from the metrics port (never admitted, like the probes). */
async function admissionFigures() {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  return { inFlight: Number(/^portal_requests_in_flight (\d+)$/m.exec(text)?.[1]), waiting: Number(/^portal_requests_waiting (\d+)$/m.exec(text)?.[1]) };
}

async function until(condition: () => Promise<boolean>) {
  for (let i = 0; !(await condition()); i++) {
    if (i > 300) throw new Error('the server never got there');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A whole answer: its body read to the end, so the server has finished with it. */
async function get(pathname: string) {
  const response = await fetch(`${server.url}${pathname}`);
  return { status: response.status, headers: response.headers, body: await response.text() };
}

describe('[OPERATOR] admission in front of the app', () => {
  it('refuses with 503 and Retry-After when every place is taken and no one may wait; probes, metrics and pages from memory still answer', async () => {
    // /help is kept in memory once the instance has fetched it after start.
    for (let i = 0; i < 200 && !(await get('/help')).headers.get('x-portal-from-memory'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await get('/vendor/login')).status).toBe(200);

    await until(async () => (await admissionFigures()).inFlight === 0);
    const held = await slowSignInPost(server.port);
    await until(async () => (await admissionFigures()).inFlight === 1);

    const refused = await get('/vendor/login');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.body).toMatch(/very busy/);
    expect((await get('/api/live')).status).toBe(200);
    expect((await get('/api/ready')).status).toBe(200);
    expect(await admissionFigures()).toEqual({ inFlight: 1, waiting: 0 });
    const help = await get('/help');
    expect(help.status).toBe(200);
    expect(help.headers.get('x-portal-from-memory')).toBe('1');

    held.finish();
    // The held sign-in ran once its body was whole: a refusal for credentials nobody has, not a 503.
    expect(await held.answered).toMatch(/^HTTP\/1\.1 200 /);
    expect((await get('/vendor/login')).status).toBe(200);
  });
});
