// What one client address can make server.mjs do before anything is admitted (decision 052): probes
// have a small line of their own, and a connection may send only a few requests ahead of their answers.
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../support/admission-figures';
import { startMigratedProductionServer, type ProductionServer } from '../support/production-server';

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
  return text.match(/^HTTP\/1\.1 \d{3}/gm) ?? [];
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

describe('[ATTACKER] one address before the app', () => {
  it('a connection sending more requests ahead of their answers than any browser is closed; four ahead are answered, in order', async () => {
    expect(await pipelined('/api/live', 4)).toEqual(['HTTP/1.1 200', 'HTTP/1.1 200', 'HTTP/1.1 200', 'HTTP/1.1 200']);
    // 200 requests for a page sent from memory were 200 answers in one turn of the event loop.
    const answers = await pipelined('/help', 200);
    expect(answers.length).toBeLessThanOrEqual(4);
    await until(async () => server.output().includes('"event":"http.pipelining_refused"'));
    expect((await fetch(`${server.url}/help`)).status).toBe(200);
  });

  it('probes have a small line of their own: fifty at once from one address get 503 past its share, while a probe from elsewhere is answered', async () => {
    const path = '/api/health';
    const sockets = await Promise.all(
      Array.from({ length: 50 }, () => new Promise<net.Socket>((resolve) => {
        const socket = net.connect(server.port, '127.0.0.1', () => resolve(socket));
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
    // Then all fifty probes are there when the server next looks, as from a client faster than it: it
    // is held still while they are written.
    process.kill(server.child.pid!, 'SIGSTOP');
    try {
      for (const socket of sockets) socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`);
    } finally {
      process.kill(server.child.pid!, 'SIGCONT');
    }
    expect(await probeFromElsewhere('/api/live')).toBe(200);
    const statuses = (await Promise.all(answers)).map((text) => ({
      status: Number([...text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].at(-1)?.[1]),
      retryAfter: /^retry-after: (.*)\r$/im.exec(text)?.[1],
    }));
    expect(statuses.every(({ status }) => status === 200 || status === 503)).toBe(true);
    // One in the app and sixteen waiting; the others are refused at once (one or two may be read in a
    // later turn of the server's, after a place was freed).
    expect(statuses.filter(({ status }) => status === 503).length).toBeGreaterThanOrEqual(30);
    expect(statuses.filter(({ status }) => status === 503).every(({ retryAfter }) => retryAfter === '5')).toBe(true);
    expect(await probeFromElsewhere(path)).toBe(200);
  });
});
