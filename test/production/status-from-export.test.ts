// An instance started while its database cannot be reached, with the export an instance wrote before
// in STATUS_EXPORT_DIR: it sends /status and its feed from that export. Those copies, like every other
// answer it sends from memory, carry the security headers of every answer, HSTS included when APP_URL is
// https: the copies started from the export carried none of them (review r55b F1).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@/lib/net/free-port';
import { exportStatusPage, writeSnapshot } from '@/lib/runtime/status-export.mjs';
import { securityHeadersFor } from '@/lib/security/headers.mjs';
import { startProductionServer, TEST_SECRET, throwawayMailDir, type ProductionServer } from '../support/production-server';

const FROM_MEMORY = 'x-portal-from-memory';
let server: ProductionServer;
let exportDir: string;
let appUrl: string;

beforeAll(async () => {
  exportDir = mkdtempSync(path.join(os.tmpdir(), 'portal-export-'));
  const port = await freePort();
  appUrl = `https://127.0.0.1:${port}`;
  const html = '<!doctype html><html lang="en"><head><title>System status</title></head><body><main><h1>System status</h1></main></body></html>';
  const takenAt = new Date(Date.now() - 60_000);
  writeSnapshot(exportDir, { html: exportStatusPage({ html, css: new Map(), appUrl, takenAt }).html, feed: '<feed xmlns="http://www.w3.org/2005/Atom"/>', takenAt });
  server = await startProductionServer(
    {
      // A port nothing listens on: PostgreSQL refuses at once, as a stopped server does.
      DATABASE_URL: `postgresql://portal_app:unused@127.0.0.1:${await freePort()}/portal`,
      APP_URL: appUrl,
      NEXTAUTH_SECRET: TEST_SECRET,
      MAIL_TRANSPORT: 'file',
      MAIL_DIR: throwawayMailDir(),
      MAIL_WORKER: 'off',
      STATUS_EXPORT_DIR: exportDir,
    },
    port,
  );
});

afterAll(async () => {
  await server?.stop();
  rmSync(exportDir, { recursive: true, force: true });
});

describe('[ANONYMOUS] an instance started from its status export while the database is down', () => {
  it('sends every page from memory with the security headers of every answer: the export’s page and feed, the prerendered pages, not-found, HEAD and 304', async () => {
    const pathnames = ['/status', '/status/feed.atom', '/help', '/', '/no-such-page'];
    for (const pathname of pathnames) {
      await expect.poll(async () => (await fetch(`${server.url}${pathname}`)).headers.get(FROM_MEMORY), { timeout: 60_000 }).toBe('1');
    }
    const securityHeaders = securityHeadersFor(appUrl);
    expect(securityHeaders).toHaveProperty('Strict-Transport-Security');
    const lacking = (headers: Headers) => Object.entries(securityHeaders).flatMap(([name, value]) => (headers.get(name) === value ? [] : [name]));
    const found: Record<string, string[]> = {};
    for (const pathname of pathnames) {
      const get = await fetch(`${server.url}${pathname}`);
      const head = await fetch(`${server.url}${pathname}`, { method: 'HEAD' });
      const answers: [string, Response][] = [
        ['GET', get],
        ['HEAD', head],
      ];
      const etag = get.headers.get('etag');
      if (etag) answers.push(['304', await fetch(`${server.url}${pathname}`, { headers: { 'if-none-match': etag } })]);
      for (const [kind, answer] of answers) {
        await answer.arrayBuffer();
        expect([kind, pathname, answer.headers.get(FROM_MEMORY)]).toEqual([kind, pathname, '1']);
        found[`${kind} ${pathname}`] = lacking(answer.headers);
      }
    }
    // A 304 for each page but not-found (never revalidated: no-store).
    expect(Object.keys(found).filter((key) => key.startsWith('304 '))).toEqual(['304 /status', '304 /status/feed.atom', '304 /help', '304 /']);
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((key) => [key, []])));
    // The page and feed are the export's (the database was never reached).
    expect(await (await fetch(`${server.url}/status`)).text()).toContain('A copy of the CareNotes status page, taken');
  });
});
