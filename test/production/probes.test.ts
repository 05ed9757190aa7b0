// Liveness must keep answering while the database is down (or an orchestrator would restart
// every instance, including those serving the guide); readiness must say "not ready".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '@/scripts/db/migrate';
import { startThrowawayPostgres } from '@/test/support/throwaway-postgres';
import { eventLines, startProductionServer, TEST_SECRET, type ProductionServer } from '../support/production-server';

let postgres: { url: string; stop: () => Promise<void> };
let server: ProductionServer;

async function probe(pathname: string) {
  const response = await fetch(`${server.url}${pathname}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, cacheControl: response.headers.get('cache-control') };
}

beforeAll(async () => {
  postgres = await startThrowawayPostgres();
  await applyMigrations(postgres.url);
  server = await startProductionServer({
    DATABASE_URL: postgres.url,
    APP_URL: 'http://127.0.0.1:9',
    NEXTAUTH_SECRET: TEST_SECRET,
    MAIL_TRANSPORT: 'file',
    MAIL_DIR: '/tmp/portal-probes-mail',
    MAIL_POLL_MS: '200',
  });
});

afterAll(async () => {
  await server?.stop();
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
    await postgres.stop();
    for (let i = 0; i < 3; i += 1) {
      const started = Date.now();
      expect(await probe('/api/live')).toEqual({ status: 200, body: { status: 'ok' }, cacheControl: 'no-store' });
      // Never waits for the database's connection timeout (2 s).
      expect(Date.now() - started).toBeLessThan(1000);
    }
    expect(await probe('/api/ready')).toMatchObject({ status: 503, body: { status: 'not-ready', database: 'unreachable' } });
    expect(await probe('/api/health')).toMatchObject({ status: 503, body: { status: 'not-ready', database: 'unreachable' } });
    // The guide is still served.
    expect((await fetch(`${server.url}/help`)).status).toBe(200);
  });

  it('still stops cleanly with the database gone', async () => {
    expect(await server.stop('SIGTERM')).toBe(0);
  });
});
