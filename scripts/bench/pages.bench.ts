// The pages everyone opens at once when sign-in breaks (/help, /status, /, /login, and the status
// summary every guide asks for, /api/status; the feed readers poll, /status/feed.atom), each against a
// bare Node.js server (a process of its own) sending the very same bytes (gzip) and headers from
// memory: 16 keep-alive clients, short windows taking turns (portal, bare, bare, portal, ...) so
// other work on a shared machine slows both alike. Prints each rate, the ratio and the portal's
// CPU per request. Targets: 0.8 × for /help, /status, /, /api/status and the feed; 0.5 × for /login.
// On a throw-away SQLite database with the demo data; run `npm run build` first.
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations } from '@/scripts/db/migrate';
import { seedDemoData } from '@/prisma/seed';
import { loadLine, processCpuMs, request, requireBuild, startBareServer, startPortal, window } from './support/serve';

const CONNECTIONS = Number(process.env.BENCH_PAGES_CLIENTS ?? 16);
const WINDOW_MS = 500;
const WINDOWS = Number(process.env.BENCH_PAGES_WINDOWS ?? 10);
const PAGES: [string, number][] = [
  ['/help', 0.8],
  ['/status', 0.8],
  ['/', 0.8],
  ['/login', 0.5],
  ['/api/status', 0.8],
  ['/status/feed.atom', 0.8],
];

async function main() {
  requireBuild('pages');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'portal-bench-pages-'));
  const databaseUrl = `file:${path.join(dataDir, 'bench.db')}`;
  await applyMigrations(databaseUrl);
  await seedDemoData(databaseUrl);
  const portal = await startPortal({ DATABASE_URL: databaseUrl }, '/status');
  let bare;
  try {
    // The pages come into memory a moment after the start: wait on their mark.
    for (const [pagePath] of PAGES) {
      for (let i = 0; i < 100 && !(await request(undefined, portal.port, pagePath)).headers['x-portal-from-memory']; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const recorded: [string, Record<string, string>, Buffer][] = [];
    for (const [pagePath] of PAGES) {
      const answer = await request(undefined, portal.port, pagePath);
      if (answer.status !== 200) throw new Error(`${pagePath} answered ${answer.status}`);
      const headers = Object.fromEntries(
        Object.entries(answer.headers).filter(([name]) => !['content-length', 'connection', 'keep-alive', 'date', 'transfer-encoding'].includes(name)),
      ) as Record<string, string>;
      recorded.push([pagePath, headers, answer.body]);
      console.log(`  ${pagePath.padEnd(17)} ${answer.body.length} B gzipped, ${answer.headers['x-portal-from-memory'] ? 'from memory' : 'rendered by Next.js'}`);
    }
    bare = await startBareServer(recorded);
    const portalAgent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    const bareAgent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    console.log(`\n${CONNECTIONS} keep-alive clients, ${WINDOWS} alternating ${WINDOW_MS} ms windows per server and page, gzip accepted:`);
    let failed = 0;
    for (const [pagePath, target] of PAGES) {
      const totals = { portal: { ok: 0, seconds: 0, cpuMs: 0 }, bare: { ok: 0, seconds: 0 } };
      await window(portalAgent, portal.port, pagePath, 1000, CONNECTIONS);
      await window(bareAgent, bare.port, pagePath, 1000, CONNECTIONS);
      for (let i = 0; i < WINDOWS; i++) {
        for (const side of i % 2 === 0 ? (['portal', 'bare'] as const) : (['bare', 'portal'] as const)) {
          if (side === 'portal') {
            const cpu = processCpuMs(portal.process.pid!);
            const result = await window(portalAgent, portal.port, pagePath, WINDOW_MS, CONNECTIONS);
            totals.portal.cpuMs += processCpuMs(portal.process.pid!) - cpu;
            totals.portal.ok += result.ok;
            totals.portal.seconds += result.seconds;
            failed += result.failed;
          } else {
            const result = await window(bareAgent, bare.port, pagePath, WINDOW_MS, CONNECTIONS);
            totals.bare.ok += result.ok;
            totals.bare.seconds += result.seconds;
            failed += result.failed;
          }
        }
      }
      const portalRate = totals.portal.ok / totals.portal.seconds;
      const bareRate = totals.bare.ok / totals.bare.seconds;
      const ratio = portalRate / bareRate;
      console.log(
        `  ${pagePath.padEnd(17)} portal ${portalRate.toFixed(0).padStart(6)} req/s, bare ${bareRate.toFixed(0).padStart(6)} req/s: ` +
          `${ratio.toFixed(2)} × (target ${target} ×: ${ratio >= target ? 'met' : 'MISSED'}), ` +
          `${(totals.portal.cpuMs / totals.portal.ok).toFixed(2)} ms of portal CPU per request; ${loadLine()}`,
      );
    }
    portalAgent.destroy();
    bareAgent.destroy();
    if (failed > 0) console.log(`  ${failed} requests failed`);
  } finally {
    await bare?.stop();
    await portal.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error('pages failed:', error);
  process.exit(1);
});
