// A form posted without JavaScript while the database is down: its action answers its own failure,
// but the page drawn again around the answer may read the database too (/status does). It then
// answered an empty 500 shell (review r29c F3); it answers 503 with words that read without
// JavaScript, like a page opened then.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '@/scripts/db/migrate';
import { startDatabaseRelay, type DatabaseRelay } from '@/test/support/database-relay';
import { startThrowawayPostgres } from '@/test/support/throwaway-postgres';
import { formWithField, multipartBody } from '../support/html-form';
import { startProductionServer, TEST_SECRET, throwawayMailDir, type ProductionServer } from '../support/production-server';
import { freePort } from '@/lib/net/free-port';

let postgres: { url: string; stop: () => Promise<void> };
let server: ProductionServer;
// Between the server and PostgreSQL: passes connections on, or closes them at once (a stopped server).
let relay: DatabaseRelay;

beforeAll(async () => {
  postgres = await startThrowawayPostgres();
  await applyMigrations(postgres.url);
  relay = await startDatabaseRelay(postgres.url);
  const port = await freePort();
  server = await startProductionServer(
    { DATABASE_URL: relay.url, APP_URL: `http://127.0.0.1:${port}`, NEXTAUTH_SECRET: TEST_SECRET, MAIL_TRANSPORT: 'file', MAIL_DIR: throwawayMailDir(), MAIL_WORKER: 'off' },
    port,
  );
});

afterAll(async () => {
  await server?.stop();
  relay?.close();
  await postgres?.stop().catch(() => {});
});

/** The status page's alert form, read off the page (sent from memory, database or not). */
async function alertForm() {
  return formWithField(await (await fetch(`${server.url}/status`)).text(), 'email').hidden;
}

/** The form as a browser without JavaScript sends it. */
function subscribeWithoutJavaScript(hidden: [string, string][], email: string) {
  const { body, type } = multipartBody([...hidden, ['email', email]]);
  return fetch(`${server.url}/status`, { method: 'POST', headers: { origin: server.url, accept: 'text/html', 'content-type': type }, body, redirect: 'manual' });
}

describe('[ANONYMOUS without JavaScript] a form sent while the database is down', () => {
  it('the status alert form answers 503 with Retry-After and words in its HTML, not an empty 500; it works again once the database is back', async () => {
    // Each instance renders /status into memory shortly after it starts, and sends that copy while the database is down.
    await expect.poll(async () => (await fetch(`${server.url}/status`)).headers.get('x-portal-from-memory'), { timeout: 60_000 }).toBe('1');
    relay.set('refusing');
    relay.cutOpen();
    try {
      const answer = await subscribeWithoutJavaScript(await alertForm(), 'alerts@example.com');
      expect([answer.status, answer.headers.get('retry-after'), answer.headers.get('cache-control'), answer.headers.get('content-type')]).toEqual([503, '120', 'no-store', 'text/html; charset=utf-8']);
      const html = await answer.text();
      expect(html).not.toContain('__next_error__');
      expect(html).toContain('The service is busy or unavailable just now, so it may not have been done.');
      expect(html).toContain(`quote the reference <strong>${answer.headers.get('x-request-id')}</strong>`);
      // The status page itself is still sent from memory meanwhile.
      expect((await fetch(`${server.url}/status`)).status).toBe(200);
    } finally {
      relay.set('passing');
    }
    const again = await subscribeWithoutJavaScript(await alertForm(), 'alerts@example.com');
    expect(again.status).toBeLessThan(400);
  });
});
