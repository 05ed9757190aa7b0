// What a client sends wrong is the client's doing: it is answered, and logged at most as a warning,
// without a stack trace. Anyone may send it, so an error line for it would let a stranger fill the
// log with errors and set off the operators' alerts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '@/scripts/db/migrate';
import { startProductionServer, TEST_SECRET, throwawaySqliteUrl, type ProductionServer } from '../support/production-server';

let server: ProductionServer;

beforeAll(async () => {
  const url = throwawaySqliteUrl();
  await applyMigrations(url);
  server = await startProductionServer({ DATABASE_URL: url, APP_URL: 'http://127.0.0.1:9', NEXTAUTH_SECRET: TEST_SECRET, MAIL_TRANSPORT: 'file', MAIL_DIR: `${url.slice(5)}-mail` });
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
});
