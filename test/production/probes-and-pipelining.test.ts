// What clients can make server.mjs do before anything is admitted (decision 052): probes are answered
// by the server itself, and a connection may send only a few requests ahead of their answers.
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../support/admission-figures';
import { keepAliveHeader, startMigratedProductionServer, type ProductionServer } from '../support/production-server';

let server: ProductionServer;

beforeAll(async () => {
  server = await startMigratedProductionServer();
});

afterAll(async () => {
  await server?.stop();
});

/** Writes `count` requests for `path` on one connection at once, and reads until the server closes it. */
async function pipelined(path: string, count: number) {
  const socket = net.connect(server.port, '127.0.0.1');
  socket.on('error', () => {});
  await new Promise((resolve) => socket.once('connect', resolve));
  let text = '';
  socket.on('data', (chunk) => (text += chunk.toString('latin1')));
  const closed = new Promise((resolve) => socket.once('close', resolve));
  const request = (last: boolean) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n${last ? 'Connection: close\r\n' : ''}\r\n`;
  socket.write(Array.from({ length: count }, (_, i) => request(i === count - 1)).join(''));
  await closed;
  // Not at a line's start: a body sent with its length ends without a newline before the next answer.
  return text.match(/HTTP\/1\.1 \d{3}/g) ?? [];
}

/** A probe's status, asked from another loopback address than the tests' bursts. */
function probeFromElsewhere(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: server.port, path, localAddress: '127.0.0.2', agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    }).on('error', reject);
  });
}

describe('[BROWSERS] facing the instance directly', () => {
  it('are told an idle connection closes after Node.js’s 5 s: idle connections must not hold an address’s share of them (review r44h F2)', async () => {
    expect(await keepAliveHeader(server.port)).toBe('timeout=5');
  });
});

describe('[ATTACKER] one address before the app', () => {
  it('a connection sending more requests ahead of their answers than any browser is closed; four ahead are answered, in order', async () => {
    expect(await pipelined('/api/live', 4)).toEqual(['HTTP/1.1 200', 'HTTP/1.1 200', 'HTTP/1.1 200', 'HTTP/1.1 200']);
    // 200 requests for a page sent from memory were 200 answers in one turn of the event loop.
    const answers = await pipelined('/help', 200);
    expect(answers.length).toBeLessThanOrEqual(4);
    await until(async () => server.output().includes('"event":"http.pipelining_refused"'));
    expect((await fetch(`${server.url}/help`)).status).toBe(200);
  });

  it('probes are answered by the server itself: eighty addresses asking at once, fifty of them from one, are all answered 200, and so is the orchestrator', async () => {
    // Each connection from an address of its own (fifty from one), as the guide's connection check
    // from many browsers, or a flood; a line shared with them was full at 66 and refused the probes.
    const from = (i: number) => (i < 30 ? `127.0.3.${i + 1}` : '127.0.4.1');
    const sockets = await Promise.all(
      Array.from({ length: 80 }, (_, i) => new Promise<net.Socket>((resolve) => {
        const socket = net.connect({ port: server.port, host: '127.0.0.1', localAddress: from(i) }, () => resolve(socket));
      })),
    );
    // Each connection taken in and read by the server first (a HEAD of a page from memory, kept alive).
    await Promise.all(
      sockets.map((socket) => new Promise((resolve) => {
        socket.once('data', resolve);
        socket.write(`HEAD /help HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`);
      })),
    );
    const answers = sockets.map((socket) => {
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('latin1')));
      return new Promise<string>((resolve) => socket.on('close', () => resolve(text)));
    });
    // Then all eighty probes are there when the server next looks, as from clients faster than it: it
    // is held still while they are written.
    process.kill(server.child.pid!, 'SIGSTOP');
    try {
      for (const socket of sockets) socket.write(`GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`);
    } finally {
      process.kill(server.child.pid!, 'SIGCONT');
    }
    expect(await probeFromElsewhere('/api/live')).toBe(200);
    expect(await probeFromElsewhere('/api/ready')).toBe(200);
    const statuses = (await Promise.all(answers)).map((text) => Number([...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].at(-1)?.[1]));
    expect(statuses).toEqual(Array.from({ length: 80 }, () => 200));
    const bodies = (await Promise.all([fetch(`${server.url}/api/health`), fetch(`${server.url}/api/live`)])).map((answer) => [answer.headers.get('cache-control'), answer.headers.get('x-content-type-options')]);
    expect(bodies).toEqual([['no-store', 'nosniff'], ['no-store', 'nosniff']]);
  });
});
