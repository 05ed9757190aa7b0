// Admission in server.mjs (lib/runtime/admission.mjs, decision 052): with every place in the app
// taken and no room to wait, a request is refused with 503 and Retry-After, while the probes and the
// pages sent from memory still answer. A request takes its place only once its body has arrived
// (lib/runtime/request-body.mjs): slow bodies hold none, and one that never comes is cut off.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@/lib/net/free-port';
import { formWithField, multipartBody } from '../support/html-form';
import { admissionFigures as readAdmissionFigures, until } from '../support/admission-figures';
import { burst } from '../support/raw-burst';
import { rawFailedSignIn, startMigratedProductionServer, type ProductionServer } from '../support/production-server';

let server: ProductionServer;
let metricsPort: number;

beforeAll(async () => {
  metricsPort = await freePort();
  server = await startMigratedProductionServer({ MAX_REQUESTS_IN_FLIGHT: '1', MAX_REQUESTS_WAITING: '0', METRICS_PORT: String(metricsPort) });
});

afterAll(async () => {
  await server?.stop();
});

/**
 * The sign-in form posted (its hidden fields included, as a browser without JavaScript sends it) with
 * the end of its body held back until `finish` sends the rest.
 */
async function slowSignInPost(port: number) {
  const { hidden } = formWithField((await get('/login')).body, 'loginName');
  expect(hidden.some(([name]) => name.startsWith('$ACTION'))).toBe(true);
  const { body, type } = multipartBody([...hidden, ['providerCode', 'NOBODY'], ['loginName', 'someone'], ['password', 'not the password']]);
  const socket = net.connect(port, '127.0.0.1');
  let answer = '';
  socket.on('data', (chunk) => (answer += chunk.toString()));
  socket.on('error', () => {});
  const answered = new Promise<string>((resolve) => socket.on('close', () => resolve(answer)));
  const held = Buffer.byteLength(body) - 10;
  socket.write(
    `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${server.url}\r\nAccept: text/html\r\n` +
      `Content-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`,
  );
  socket.write(Buffer.from(body).subarray(0, held));
  return { finish: () => socket.write(Buffer.from(body).subarray(held)), answered };
}

const getRequest = (path: string) => ({ path, text: `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n` });

/** The admission gauges of this file's server. */
const admissionFigures = () => readAdmissionFigures(metricsPort);

/** A whole answer: its body read to the end, so the server has finished with it. */
async function get(pathname: string) {
  const response = await fetch(`${server.url}${pathname}`);
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** A POST whose body never completes, from a loopback address of its own choosing. */
function slowPost(localAddress: string) {
  const socket = net.connect({ port: server.port, host: '127.0.0.1', localAddress });
  let answer = '';
  let closed = false;
  socket.on('data', (chunk) => (answer += chunk.toString()));
  socket.on('error', () => {});
  socket.on('close', () => (closed = true));
  socket.write(`POST /login HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nOrigin: ${server.url}\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nsome`);
  return { socket, answer: () => answer, closedUnanswered: () => closed && answer === '' };
}

describe('[OPERATOR] admission in front of the app', () => {
  it('refuses with 503 and Retry-After when every place is taken and no one may wait; probes and pages from memory still answer', async () => {
    // /help is kept in memory once the instance has fetched it after start.
    for (let i = 0; i < 200 && !(await get('/help')).headers.get('x-portal-from-memory'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await get('/super-admin-reset/status')).status).toBe(200);
    await until(async () => (await admissionFigures()).inFlight === 0);

    const signIn = await rawFailedSignIn(server, 'POST /login');
    const answers = await burst(server.port, Array.from({ length: 24 }, (_, i) => [signIn, getRequest('/api/live'), getRequest('/help')][i % 3]!));
    const admitted = answers.filter((answer) => answer.path === signIn.path);
    // A refusal for credentials nobody has (200), or no place (503): nothing else.
    expect(admitted.every((answer) => answer.status === 200 || answer.status === 503)).toBe(true);
    expect(admitted.filter((answer) => answer.status === 200).length).toBeGreaterThanOrEqual(1);
    const refused = admitted.filter((answer) => answer.status === 503);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused.every((answer) => answer.retryAfter === '5' && /very busy/.test(answer.body))).toBe(true);
    // Never admitted, so never refused: the probes and the pages sent from memory.
    expect(answers.filter((answer) => answer.path !== signIn.path).map((answer) => answer.status)).toEqual(Array(16).fill(200));
    // A place is given on in the turn after its answer ends (decision 052): with no room to wait, a
    // request read in between would be refused.
    await until(async () => (await admissionFigures()).inFlight === 0);
    expect((await get('/super-admin-reset/status')).status).toBe(200);
  });

  it('a form whose body is still coming holds no place: the app answers others meanwhile, then the form', async () => {
    await until(async () => (await admissionFigures()).inFlight === 0);
    const held = await slowSignInPost(server.port);
    const slow = Array.from({ length: 3 }, () => slowSignInPost(server.port));
    expect((await get('/super-admin-reset/status')).status).toBe(200);
    expect(await admissionFigures()).toEqual({ inFlight: 0, waiting: 0 });

    held.finish();
    // The held sign-in ran once its body was whole: a refusal for credentials nobody has, not a 503.
    expect(await held.answered).toMatch(/^HTTP\/1\.1 200 /);
    for (const other of await Promise.all(slow)) other.finish();
  });

  it('a body that does not arrive within 10 s is refused with 408 and its connection closed, on every path', async () => {
    // A form, a probe and a page sent from memory: none is answered before its body has arrived.
    const late = async (method: string, path: string) => {
      const socket = net.connect(server.port, '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString()));
      socket.on('error', () => {});
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.write(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nOrigin: ${server.url}\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nsome`);
      const started = Date.now();
      await closed;
      return { answer, ms: Date.now() - started };
    };
    const answers = await Promise.all([late('POST', '/login'), late('POST', '/api/live'), late('GET', '/help')]);
    for (const { answer, ms } of answers) {
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(answer).toMatch(/took too long to arrive/);
      expect(ms).toBeGreaterThan(9_000);
    }
    expect(await admissionFigures()).toEqual({ inFlight: 0, waiting: 0 });
  });

  it('holds at most 64 bodies arriving at once here (MAX_REQUESTS_WAITING, never fewer than 64), 16 from one address: past them, a lighter address makes room', async () => {
    // Five addresses: the first sends 30 at once, the others 12 each (60 in all).
    const posts = [
      ...Array.from({ length: 30 }, () => ({ from: '127.0.0.2', ...slowPost('127.0.0.2') })),
      ...['127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6'].flatMap((from) => Array.from({ length: 12 }, () => ({ from, ...slowPost(from) }))),
    ];
    const refused = () => posts.filter((post) => post.answer().startsWith('HTTP/1.1 503 '));
    try {
      // None of the bodies ever completes: the first address gets 16 held and 14 refused; the others are all held (64 in all).
      await until(async () => refused().length === 14);
      expect(refused().every((post) => post.from === '127.0.0.2' && /retry-after: 5/i.test(post.answer()))).toBe(true);
      // Past 64 held, a newcomer from another address is held in place of the newest of the address
      // sending the most (its connection closed, unanswered: the body is still on its way) ...
      const newcomer = slowPost('127.0.0.7');
      await until(async () => posts.some((post) => post.closedUnanswered()));
      expect(posts.filter((post) => post.closedUnanswered()).map((post) => post.from)).toEqual(['127.0.0.2']);
      // ... and one more from the address sending the most is refused at once.
      const more = slowPost('127.0.0.2');
      await until(async () => more.answer() !== '');
      expect(more.answer()).toMatch(/^HTTP\/1\.1 503 /);
      expect(newcomer.answer()).toBe('');
      expect((await get('/super-admin-reset/status')).status).toBe(200);
      for (const extra of [newcomer, more]) extra.socket.destroy();
    } finally {
      for (const post of posts) post.socket.destroy();
    }
  });

  it('past 64 bodies held, one each from as many addresses (a botnet, an IPv6 /48), a newcomer takes the place of the body arriving longest once it is a slow one, not a 503 (review r45d F1, r45e F3)', async () => {
    const held = Array.from({ length: 64 }, (_, i) => slowPost(`127.0.3.${i + 1}`));
    const pushedOut = () => held.filter((post) => post.closedUnanswered()).length;
    // Newcomers from addresses of their own, one by one. While the bodies held are young (a rush of real forms),
    // a newcomer is refused; once they have been arriving for a second, one of them gives its place up.
    const newcomers: ReturnType<typeof slowPost>[] = [];
    try {
      await until(async () => {
        if (pushedOut() > 0) return true;
        if (newcomers.length >= 200) throw new Error('no body arriving for long gave its place up');
        newcomers.push(slowPost(`127.0.4.${newcomers.length + 1}`));
        return false;
      });
      // Every body held has been arriving for a second or more now: the next newcomer is held in place of one, not refused.
      const before = pushedOut();
      const last = slowPost('127.0.5.1');
      newcomers.push(last);
      await until(async () => pushedOut() > before || last.answer() !== '');
      expect(last.answer()).toBe('');
      // The place given up was the body arriving longest: never a newcomer's.
      expect(newcomers.filter((post) => post.closedUnanswered())).toEqual([]);
      expect((await get('/super-admin-reset/status')).status).toBe(200);
    } finally {
      for (const post of [...held, ...newcomers]) post.socket.destroy();
    }
  });

  it('refuses more than 64 cookies with 431 before Next.js reads them (its time grows with their square), on probes too', async () => {
    const cookies = (count: number) => Array.from({ length: count }, (_, i) => `c${i}=1`).join('; ');
    for (const path of ['/api/live', '/account', '/login']) {
      const refused = await fetch(`${server.url}${path}`, { headers: { cookie: cookies(1500) }, redirect: 'manual' });
      expect(refused.status, path).toBe(431);
      expect(await refused.text()).toMatch(/too many cookies/);
    }
    expect((await fetch(`${server.url}/api/live`, { headers: { cookie: cookies(64) } })).status).toBe(200);
  });

  it('refuses more than 64 query parameters with 414 before Next.js reads them (its time grows with the square of repeats), on every path', async () => {
    const repeated = (count: number) => Array.from({ length: count }, () => 'a').join('&');
    for (const path of ['/api/live', '/help', '/', '/status/unsubscribe', '/no-such-page']) {
      const refused = await fetch(`${server.url}${path}?${repeated(7000)}`, { redirect: 'manual' });
      expect(refused.status, path).toBe(414);
      expect(await refused.text()).toMatch(/more parts than any of this service/);
    }
    expect((await fetch(`${server.url}/api/live?${repeated(64)}`)).status).toBe(200);
  });

  it('closes a connection on which no request comes within 20 s, and holds at most 512 open from one address at once', async () => {
    // Each connection's close is timed from its own opening: the batches before the last take their
    // own time, which a busy machine makes long.
    const open = (localAddress: string) => {
      const opened = Date.now();
      const socket = net.connect({ port: server.port, host: '127.0.0.1', localAddress });
      socket.on('error', () => {});
      const connected = new Promise((resolve) => socket.on('connect', resolve));
      const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - opened)));
      return { socket, connected, closed };
    };
    // In batches of 100, each answered before the next: 530 at once overflow the listen backlog (511)
    // on a busy machine, and a handshake the kernel then drops leaves the client waiting for ever.
    const quiet: ReturnType<typeof open>[] = [];
    while (quiet.length < 530) {
      const batch = Array.from({ length: Math.min(100, 530 - quiet.length) }, () => open('127.0.0.8'));
      await Promise.all(batch.map((connection) => Promise.race([connection.connected, connection.closed])));
      expect((await get('/api/live')).status).toBe(200);
      quiet.push(...batch);
    }
    // Those past 512 are closed at once; the rest when their 20 s are up. Another address is served meanwhile.
    const openFor = await Promise.all(quiet.map((connection) => connection.closed));
    const early = openFor.filter((ms) => ms < 15_000).length;
    expect(early).toBe(530 - 512);
    expect(Math.min(...openFor.filter((ms) => ms >= 15_000))).toBeGreaterThanOrEqual(19_000);
    expect((await get('/super-admin-reset/status')).status).toBe(200);
  });
});
