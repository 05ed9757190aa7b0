import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createAdmission } from './admission.mjs';

// A real HTTP server admitting as server.mjs does; each admitted request is held until the test answers it.
function serverWith(limit: number, waitingLimit: number) {
  const admission = createAdmission({ limit, waitingLimit });
  const held: { path: string; answer: () => void; answerWith: (body: string) => void }[] = [];
  const arrived: string[] = [];
  // Which request each admitted one believes it is serving, as a request-scoped logger would see it.
  const scope = new AsyncLocalStorage<string>();
  const ranAs = new Map<string, string | undefined>();
  const server = http.createServer((request, response) => {
    const path = request.url ?? '';
    arrived.push(path);
    // The client's address, as server.mjs passes it; a test names other clients in a header.
    const client = String(request.headers['x-client'] ?? request.socket.remoteAddress);
    const admitted = scope.run(path, () =>
      admission.admit(
        response,
        () => {
          ranAs.set(path, scope.getStore());
          held.push({
            path,
            answer: () => scope.run('the answer', () => response.end(`answered ${path}`)),
            answerWith: (body) => response.end(body),
          });
        },
        client,
        () => response.writeHead(503, { 'Retry-After': '5' }).end('busy'),
        request.socket,
      ),
    );
    if (!admitted) response.writeHead(503, { 'Retry-After': '5' }).end('busy');
  });
  return { server, admission, held, arrived, ranAs };
}

function get(port: number, path: string, agent = new http.Agent(), client?: string) {
  const sent = http.get({ host: '127.0.0.1', port, path, agent, headers: client ? { 'x-client': client } : {} });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    sent.on('response', (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    sent.on('error', reject);
  });
  return { sent, answer };
}

async function until(condition: () => boolean) {
  for (let turns = 0; !condition(); turns++) {
    if (turns > 100_000) throw new Error('the server never got there');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

let close: (() => void) | undefined;
afterEach(() => close?.());

async function listening(limit: number, waitingLimit: number) {
  const served = serverWith(limit, waitingLimit);
  await new Promise<void>((resolve) => served.server.listen(0, '127.0.0.1', resolve));
  close = () => {
    served.server.closeAllConnections();
    served.server.close();
  };
  return { ...served, port: (served.server.address() as AddressInfo).port };
}

describe('admission in front of Next.js', () => {
  it('runs no more than its limit at once; the rest wait and go on in arrival order as places free', async () => {
    const { port, held, admission, arrived, ranAs } = await listening(2, 10);
    // Each from an address of its own: one address alone would have a quarter of the places.
    const answers = ['/a', '/b', '/c', '/d'].map((path) => get(port, path, undefined, `client ${path}`).answer);
    await until(() => arrived.length === 4);
    expect(held.map((h) => h.path)).toEqual(['/a', '/b']);
    expect(admission.figures()).toEqual({ inFlight: 2, waiting: 2 });

    held.shift()!.answer();
    await until(() => held.length === 2);
    expect(held.map((h) => h.path)).toEqual(['/b', '/c']);
    for (const path of ['/b', '/c', '/d']) {
      await until(() => held.some((h) => h.path === path));
      held.splice(held.findIndex((h) => h.path === path), 1)[0]!.answer();
    }
    expect((await Promise.all(answers)).map((a) => a.body)).toEqual(['answered /a', 'answered /b', 'answered /c', 'answered /d']);
    await until(() => admission.figures().inFlight === 0);
    expect(admission.figures()).toEqual({ inFlight: 0, waiting: 0 });
    // Each ran in its own request's context, also those started by another request's answer.
    expect(Object.fromEntries(ranAs)).toEqual({ '/a': '/a', '/b': '/b', '/c': '/c', '/d': '/d' });
  });

  it('gives freed places to the waiting addresses in turn: one address’s long line delays another by one request', async () => {
    const { port, held, arrived, admission } = await listening(1, 10);
    const answers = ['/a1', '/a2', '/a3', '/a4'].map((path) => get(port, path, undefined, 'flooding').answer);
    await until(() => arrived.length === 4);
    answers.push(get(port, '/b1', undefined, 'someone else').answer);
    await until(() => arrived.length === 5);
    expect(admission.figures()).toEqual({ inFlight: 1, waiting: 4 });
    const ran: string[] = [];
    while (ran.length < 5) {
      await until(() => held.length === 1);
      const next = held.shift()!;
      ran.push(next.path);
      next.answer();
    }
    expect(ran).toEqual(['/a1', '/a2', '/b1', '/a3', '/a4']);
    await Promise.all(answers);
    await until(() => admission.figures().inFlight === 0);
    expect(admission.figures()).toEqual({ inFlight: 0, waiting: 0 });
  });

  it('refuses an address that holds a quarter of the waiting line, and still admits everyone else', async () => {
    const { port, held, arrived, admission } = await listening(1, 8);
    const answers = ['/a1', '/a2', '/a3'].map((path) => get(port, path, undefined, 'flooding').answer);
    await until(() => arrived.length === 3);
    expect(admission.figures()).toEqual({ inFlight: 1, waiting: 2 });
    expect((await get(port, '/a4', undefined, 'flooding').answer).status).toBe(503);
    const other = get(port, '/b1', undefined, 'someone else').answer;
    await until(() => admission.figures().waiting === 3);
    const ran: string[] = [];
    for (let i = 0; i < 4; i++) {
      await until(() => held.length === 1);
      const next = held.shift()!;
      ran.push(next.path);
      next.answer();
    }
    expect(ran).toEqual(['/a1', '/a2', '/b1', '/a3']);
    expect((await Promise.all([...answers, other])).map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
  });

  it('gives one address at most a quarter of the places, even while others are free: the next person finds one at once', async () => {
    const { port, held, arrived, admission } = await listening(8, 100);
    const flood = ['/a1', '/a2', '/a3', '/a4', '/a5'].map((path) => get(port, path, undefined, 'flooding').answer);
    await until(() => arrived.length === 5);
    expect(held.map((h) => h.path)).toEqual(['/a1', '/a2']);
    expect(admission.figures()).toEqual({ inFlight: 2, waiting: 3 });
    // Someone else, arriving after the flood, is let in at once.
    const other = get(port, '/b1', undefined, 'someone else').answer;
    await until(() => held.length === 3);
    expect(held.map((h) => h.path)).toEqual(['/a1', '/a2', '/b1']);
    // A request of the flood that ends lets its next one in, never more than its share.
    held.shift()!.answer();
    await until(() => held.some((h) => h.path === '/a3'));
    expect(admission.figures()).toEqual({ inFlight: 3, waiting: 2 });
    while (held.length > 0) {
      held.shift()!.answer();
      await until(() => held.length > 0 || admission.figures().inFlight === 0);
    }
    expect((await Promise.all([...flood, other])).map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(admission.figures()).toEqual({ inFlight: 0, waiting: 0 });
  });

  it('frees a place once the answer is written, not once it is read: a client that never reads holds none', async () => {
    const { port, held, arrived, admission } = await listening(1, 10);
    // A client that sends its request and never reads: its receive buffer fills, and the server's send buffer after it.
    const stalled = net.connect({ port, host: '127.0.0.1' });
    stalled.on('error', () => {});
    stalled.pause();
    stalled.write(`GET /stalled HTTP/1.1\r\nHost: 127.0.0.1\r\nx-client: stalling\r\n\r\n`);
    await until(() => held.length === 1);
    const other = get(port, '/other', undefined, 'someone else').answer;
    await until(() => arrived.length === 2);
    expect(admission.figures()).toEqual({ inFlight: 1, waiting: 1 });
    // The app writes an answer far larger than the buffers between it and the client, and ends it.
    held.shift()!.answerWith('x'.repeat(32 * 1024 * 1024));
    await until(() => held.length === 1);
    expect(held[0]!.path).toBe('/other');
    held.shift()!.answer();
    expect((await other).status).toBe(200);
    expect(stalled.destroyed).toBe(false);
    stalled.destroy();
    await until(() => admission.figures().inFlight === 0);
  });

  it('refuses with 503 only when the waiting line is full, and nothing refused ever runs', async () => {
    const { port, held, arrived } = await listening(1, 1);
    const first = get(port, '/in-flight').answer;
    const second = get(port, '/waiting').answer;
    await until(() => arrived.length === 2);
    const refused = await get(port, '/refused').answer;
    expect(refused.status).toBe(503);

    held.shift()!.answer();
    await until(() => held.length === 1);
    held.shift()!.answer();
    expect((await Promise.all([first, second])).map((a) => a.status)).toEqual([200, 200]);
    expect(arrived).toContain('/refused');
    expect(held).toHaveLength(0);
  });

  it('when a few addresses fill the whole line, a newcomer takes the place of the longest line’s newest request', async () => {
    // Four addresses, each at its quarter of a line of 8: the line is full.
    const { port, held, arrived, admission } = await listening(1, 8);
    const inFlight = get(port, '/running', undefined, 'someone').answer;
    await until(() => held.length === 1);
    const floods = ['a', 'b', 'c', 'd'].flatMap((flooder) => [1, 2].map((n) => ({ path: `/${flooder}${n}`, answer: get(port, `/${flooder}${n}`, undefined, flooder).answer })));
    await until(() => admission.figures().waiting === 8);
    // One more of a flood is refused; someone new gets in, and the newest of a longest line makes way.
    expect((await get(port, '/a3', undefined, 'a').answer).status).toBe(503);
    const newcomer = get(port, '/new', undefined, 'newcomer').answer;
    await until(() => arrived.includes('/new') && admission.figures().waiting === 8);
    const pushedOut = await Promise.race(floods.map(async ({ path, answer }) => ({ path, ...(await answer) })));
    expect([pushedOut.path, pushedOut.status, pushedOut.body]).toEqual(['/a2', 503, 'busy']);
    // Everyone still waiting, the newcomer among them, runs; the one pushed out never does.
    const ran: string[] = [];
    while (ran.length < 9) {
      await until(() => held.length === 1);
      const next = held.shift()!;
      ran.push(next.path);
      next.answer();
    }
    expect(ran).toContain('/new');
    expect(ran).not.toContain('/a2');
    expect((await newcomer).status).toBe(200);
    await inFlight;
    await until(() => admission.figures().inFlight === 0);
    expect(admission.figures()).toEqual({ inFlight: 0, waiting: 0 });
  });

  it('frees the places of requests sent one after another on a connection the client then closes, started or waiting', async () => {
    for (const limit of [1, 2]) {
      const { port, held, arrived, admission } = await listening(limit, 8);
      const socket = net.connect(port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      // The second request goes out before the first is answered: its answer waits behind the first's.
      // With two places, from two clients (behind one proxy, say), both are in the app.
      socket.write(`GET /first HTTP/1.1\r\nHost: x\r\nx-client: piped\r\n\r\nGET /second HTTP/1.1\r\nHost: x\r\nx-client: piped ${limit}\r\n\r\n`);
      await until(() => arrived.length === 2);
      expect(admission.figures()).toEqual(limit === 1 ? { inFlight: 1, waiting: 1 } : { inFlight: 2, waiting: 0 });
      socket.destroy();
      await until(() => admission.figures().inFlight === 0 && admission.figures().waiting === 0);
      // Someone else is served at once.
      const next = get(port, '/next', undefined, 'someone else').answer;
      await until(() => held.some((h) => h.path === '/next'));
      held.find((h) => h.path === '/next')!.answer();
      expect((await next).status).toBe(200);
      close?.();
    }
  });

  it('runs no more of one address’s requests in a turn of the event loop than its places, however fast they are answered', async () => {
    // Pages the app answers from its cache end within the request's own callback. Were a freed place
    // given on at once, one address's fifty keep-alive connections would all be served in one turn
    // (about 80 ms on this machine), and every other client, pages from memory included, would wait
    // that long for each step: another client's sign-in went from 27 ms to 440 ms.
    const admission = createAdmission({ limit: 16, waitingLimit: 400 });
    let turn = 0;
    let ticking = true;
    const tick = () => {
      turn += 1;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const runsInTurn = new Map<number, number>();
    const server = http.createServer((request, response) => {
      const admitted = admission.admit(
        response,
        () => {
          runsInTurn.set(turn, (runsInTurn.get(turn) ?? 0) + 1);
          response.end('from the cache');
        },
        'one address',
        () => response.writeHead(503).end(),
        request.socket,
      );
      if (!admitted) response.writeHead(503).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    close = () => {
      ticking = false;
      server.closeAllConnections();
      server.close();
    };
    const port = (server.address() as AddressInfo).port;
    // Fifty connections whose requests are all there when the server's turn comes, as from a client
    // in another process: the sockets are written, then this process is kept busy for a moment.
    const sockets = await Promise.all(
      Array.from(
        { length: 50 },
        () =>
          new Promise<net.Socket>((resolve) => {
            const socket = net.connect({ port, host: '127.0.0.1' }, () => resolve(socket));
          }),
      ),
    );
    let answered = 0;
    for (const socket of sockets) socket.on('data', (chunk) => (answered += String(chunk).split('from the cache').length - 1));
    for (let round = 1; round <= 3; round++) {
      for (const socket of sockets) socket.write('GET /cached HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      const busyUntil = performance.now() + 50;
      while (performance.now() < busyUntil);
      await until(() => answered === 50 * round);
    }
    for (const socket of sockets) socket.destroy();
    // A quarter of the 16 places, taken as requests arrive and again once freed in the same turn.
    expect(Math.max(...runsInTurn.values())).toBeLessThanOrEqual(8);
    await until(() => admission.figures().inFlight === 0);
  });

  it('forgets a request whose client went away while waiting: it never runs and holds no place', async () => {
    const { port, held, arrived, admission } = await listening(1, 1);
    const first = get(port, '/in-flight').answer;
    const impatient = get(port, '/gone');
    impatient.answer.catch(() => {});
    await until(() => arrived.length === 2);
    impatient.sent.destroy();
    await until(() => admission.figures().waiting === 0);

    // Its place in the line is free again, and when the one in flight ends nothing runs for it.
    const third = get(port, '/third').answer;
    await until(() => admission.figures().waiting === 1);
    held.shift()!.answer();
    await until(() => held.length === 1);
    expect(held[0]!.path).toBe('/third');
    held.shift()!.answer();
    expect((await Promise.all([first, third])).map((a) => a.status)).toEqual([200, 200]);
  });
});
