// Liveness must keep answering while the database is down (or an orchestrator would restart
// every instance, including those serving the guide); readiness must say "not ready".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '@/scripts/db/migrate';
import { startDatabaseRelay, type DatabaseRelay } from '@/test/support/database-relay';
import { startThrowawayPostgres } from '@/test/support/throwaway-postgres';
import { eventLines, startProductionServer, TEST_SECRET, throwawayMailDir, type ProductionServer } from '../support/production-server';

let postgres: { url: string; stop: () => Promise<void> };
let server: ProductionServer;
// Between the server and PostgreSQL: passes connections on, or holds them unanswered (a database
// that hangs, so anything waiting on it waits the whole DATABASE_WAIT_MS; a stopped one refuses at once).
let relay: DatabaseRelay;
// Set high for this server, so that a probe that waited on the database could not pass for a slow one.
const DATABASE_WAIT_MS = 10_000;

async function probe(pathname: string) {
  const response = await fetch(`${server.url}${pathname}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, cacheControl: response.headers.get('cache-control') };
}

beforeAll(async () => {
  postgres = await startThrowawayPostgres();
  await applyMigrations(postgres.url);
  relay = await startDatabaseRelay(postgres.url);
  server = await startProductionServer({
    DATABASE_URL: relay.url,
    DATABASE_WAIT_MS: String(DATABASE_WAIT_MS),
    APP_URL: 'http://127.0.0.1:9',
    NEXTAUTH_SECRET: TEST_SECRET,
    MAIL_TRANSPORT: 'file',
    MAIL_DIR: throwawayMailDir(),
    MAIL_POLL_MS: '200',
  });
});

afterAll(async () => {
  await server?.stop();
  relay?.close();
  await postgres?.stop().catch(() => {});
});

describe('[OPERATOR] live and ready probes', () => {
  it('answers live, ready and its alias health while everything is up, never cached', async () => {
    expect(await probe('/api/live')).toEqual({ status: 200, body: { status: 'ok' }, cacheControl: 'no-store' });
    const ready = await probe('/api/ready');
    expect(ready).toMatchObject({ status: 200, body: { status: 'ok', database: 'ok', mailLoop: 'ok', shuttingDown: false }, cacheControl: 'no-store' });
    expect(await probe('/api/health')).toMatchObject({ status: 200, body: { status: 'ok', database: 'ok', mailLoop: 'ok' } });
    // The summary names the database without its credentials.
    const password = new URL(postgres.url).password;
    expect(eventLines(server, 'server.started')).toEqual([expect.objectContaining({ database: { kind: 'postgresql', host: expect.stringMatching(/^127\.0\.0\.1:\d+\//) } })]);
    expect(server.output()).not.toContain(password);
  });

  it('keeps answering live while the database is down; ready and health say why not', async () => {
    // First a database that hangs: every connection open now is cut, every new one held unanswered.
    relay.set('hanging');
    relay.cutOpen();
    for (let i = 0; i < 3; i += 1) {
      const started = Date.now();
      expect(await probe('/api/live')).toEqual({ status: 200, body: { status: 'ok' }, cacheControl: 'no-store' });
      // Never waits on the database: a wait would take DATABASE_WAIT_MS at least, and this bound
      // leaves a busy machine (the server failing its version polls meanwhile) all the rest.
      expect(Date.now() - started).toBeLessThan(DATABASE_WAIT_MS);
    }
    // Then a database that is gone (refuses at once), so ready answers without the long wait.
    await postgres.stop();
    relay.set('passing');
    relay.cutOpen();
    expect(await probe('/api/ready')).toMatchObject({ status: 503, body: { status: 'not-ready', database: 'unreachable' } });
    expect(await probe('/api/health')).toMatchObject({ status: 503, body: { status: 'not-ready', database: 'unreachable' } });
    // The guide is still served.
    expect((await fetch(`${server.url}/help`)).status).toBe(200);
  });

  it('still stops cleanly with the database gone', async () => {
    expect(await server.stop('SIGTERM')).toBe(0);
  });
});
