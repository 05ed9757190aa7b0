// What a client sends wrong is the client's doing: it is answered, and logged at most as a warning,
// without a stack trace. Anyone may send it, so an error line for it would let a stranger fill the
// log with errors and set off the operators' alerts.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMigratedProductionServer, type ProductionServer } from '../support/production-server';

let server: ProductionServer;

beforeAll(async () => {
  server = await startMigratedProductionServer();
});

afterAll(async () => {
  await server?.stop();
});

describe('[OPERATOR] a client’s junk in the log', () => {
  it('a session cookie that does not open is a warning without a stack; the person is sent to sign in', async () => {
    const junk = ['x', 'eyJhbGciOiJub25lIn0.eyJzaWQiOiJ4In0.', 'a'.repeat(4000)];
    for (const cookie of junk) {
      const answer = await fetch(`${server.url}/account`, { headers: { cookie: `next-auth.session-token=${cookie}` }, redirect: 'manual' });
      expect(answer.status).toBe(307);
      expect(answer.headers.get('location')).toMatch(/\/login\?callbackUrl=%2Faccount$/);
      expect((await fetch(`${server.url}/api/me`, { headers: { cookie: `next-auth.session-token=${cookie}` } })).status).toBe(401);
    }
    const lines = server.logLines();
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(server.output()).not.toMatch(/JWT_SESSION_ERROR|\n\s+at /);
    expect(lines.filter((line) => line.event === 'auth.session_cookie_unreadable').every((line) => line.level === 40)).toBe(true);
    expect(lines.filter((line) => line.event === 'auth.session_cookie_unreadable').length).toBeGreaterThanOrEqual(junk.length);
  });

  it('a request Node.js’s parser refuses, or an upgrade, is answered and leaves one info line: a scanner leaves a trace', async () => {
    const raw = (text: string) =>
      new Promise<string>((resolve) => {
        const socket = net.connect(server.port, '127.0.0.1');
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk.toString()));
        socket.on('error', () => {});
        socket.on('close', () => resolve(answer));
        socket.write(text);
      });
    expect(await raw('GET /help HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    expect(await raw(`GET /help HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 431 /);
    expect(await raw('GET /reset/SECRETTOKEN HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    // The log reaches stdout a moment after the answer.
    for (let i = 0; i < 100 && !server.logLines().some((line) => line.event === 'http.upgrade_refused'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = server.logLines();
    expect(lines.filter((line) => line.event === 'http.refused_by_parser').map((line) => line.parserError)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^HPE_/), 'HPE_HEADER_OVERFLOW']),
    );
    expect(lines.filter((line) => line.event === 'http.upgrade_refused').map((line) => line.path)).toEqual(['/reset/[redacted]']);
    expect(server.output()).not.toContain('SECRETTOKEN');
  });

  it('a client navigation’s router state that Next.js cannot read, or nested too deep to check cheaply, is a 400 and no error', async () => {
    const nested = (levels: number): unknown => (levels === 0 ? ['', {}] : ['', { a: nested(levels - 1) }]);
    const navigate = (state: string) => fetch(`${server.url}/status?x=1`, { headers: { rsc: '1', 'next-router-state-tree': state }, redirect: 'manual' });
    for (const state of ['x', encodeURIComponent(JSON.stringify(['', {}, 0, 0, 0, 0, 0])), encodeURIComponent(JSON.stringify(nested(300)))]) {
      const answer = await navigate(state);
      expect(answer.status, state.slice(0, 40)).toBe(400);
      expect(await answer.text()).toMatch(/page state your browser sent is not valid/);
    }
    expect(server.logLines().filter((line) => line.level >= 50)).toEqual([]);
  });
});
