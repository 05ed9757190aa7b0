// Weight and speed of the sign-in help guide (issue 6), against the production build in .next
// (run `npm run build` first). Prints figures; fails only when it cannot measure.
//
// 1. JavaScript shipped, gzipped. A page's scripts are Next's root main files (build-manifest.json
//    `rootMainFiles`: the React and router runtime every App Router page loads) plus the chunks of
//    each entry its client-reference manifest lists (`entryJSFiles`: the root layout, the global
//    error boundary and the page itself). Each file is counted once, gzipped at zlib's default level
//    (what a server's on-the-fly compression sends). The polyfill file is left out: it is a
//    `nomodule` script that current browsers never download. The "empty page" baseline is Next's
//    own /_not-found page: the root layout and nothing else. As a cross-check the script also sums
//    the <script src> tags of the HTML the server actually sends for /help.
// 2. Requests per second of /help against a static file in public/ served by the same server
//    (server.mjs, NODE_ENV=production, on a free loopback port), and of /help with a query string,
//    which server.mjs leaves to Next.js's own cache of the prerendered page. The static file is a
//    byte-for-byte copy of /help's prerendered HTML, written for the run and removed after, so all
//    answers are the same size and only the serving path differs. Load: a fixed number of
//    keep-alive HTTP/1.1 connections on loopback, gzip accepted like a browser, bounded in time
//    and in count.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';
import { applyMigrations } from '@/scripts/db/migrate';
import { processCpuMs, request, requireBuild, root, startPortal, window, type Served } from '@/scripts/bench/support/serve';

const nextDir = path.join(root, '.next');
const BUDGET_OVER_EMPTY_BYTES = 15 * 1024;
const RATE_TARGET = 0.8;
const CONNECTIONS = 8;
const WARM_UP_MS = 2_000;
const WINDOW_MS = 500;
const WINDOWS = 16;

type Weight = { files: string[]; raw: number; gzip: number };
type Rate = { rps: number; cpuMsPerRequest: number };

function weigh(files: Iterable<string>): Weight {
  const unique = [...new Set(files)].sort();
  let raw = 0;
  let gzip = 0;
  for (const file of unique) {
    const bytes = readFileSync(path.join(nextDir, file));
    raw += bytes.length;
    gzip += gzipSync(bytes).length;
  }
  return { files: unique, raw, gzip };
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(path.join(nextDir, file), 'utf8')) as T;
}

/** Every entry chunk the page's client-reference manifest names (layout, error boundary, page). */
function entryChunks(appPath: string): string[] {
  const file = path.join(nextDir, 'server/app', `${appPath}_client-reference-manifest.js`);
  const sandbox = { globalThis: {} as Record<string, unknown> };
  vm.runInNewContext(readFileSync(file, 'utf8'), sandbox);
  const manifests = (sandbox.globalThis as { __RSC_MANIFEST?: Record<string, { entryJSFiles?: Record<string, string[]> }> })
    .__RSC_MANIFEST;
  const manifest = manifests?.[appPath];
  if (!manifest?.entryJSFiles) throw new Error(`no entryJSFiles in ${file}`);
  return Object.values(manifest.entryJSFiles).flat();
}

function pageWeights() {
  const build = readJson<{ rootMainFiles: string[] }>('build-manifest.json');
  const routes = readJson<Record<string, string>>('app-path-routes-manifest.json');
  const appPathOf = (route: string) => {
    const found = Object.entries(routes).find(([appPath, url]) => url === route && appPath.endsWith('/page'));
    if (!found) throw new Error(`route ${route} is not in the build`);
    return found[0];
  };
  const framework = weigh(build.rootMainFiles);
  const page = (route: string) => weigh([...build.rootMainFiles, ...entryChunks(appPathOf(route))]);
  return { framework, empty: page('/_not-found'), help: page('/help'), login: page('/login') };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/**
 * Requests per second of each path, measured in short windows taking turns (a, b, c, c, b, a, ...)
 * so that other work on a shared machine slows them alike. Bounded: WINDOWS windows of WINDOW_MS
 * per path.
 */
async function compareRates(port: number, serverPid: number, paths: string[]) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const totals = new Map(paths.map((p) => [p, { ok: 0, failed: 0, seconds: 0, cpuMs: 0 }]));
  try {
    for (const p of paths) await window(agent, port, p, WARM_UP_MS, CONNECTIONS);
    for (let i = 0; i < WINDOWS; i++) {
      for (const p of i % 2 === 0 ? paths : [...paths].reverse()) {
        const cpuBefore = processCpuMs(serverPid);
        const result = await window(agent, port, p, WINDOW_MS, CONNECTIONS);
        const total = totals.get(p)!;
        total.ok += result.ok;
        total.failed += result.failed;
        total.seconds += result.seconds;
        total.cpuMs += processCpuMs(serverPid) - cpuBefore;
      }
    }
  } finally {
    agent.destroy();
  }
  const figures = paths.map((p) => {
    const total = totals.get(p)!;
    return { rps: total.ok / total.seconds, cpuMsPerRequest: total.ok ? total.cpuMs / total.ok : NaN };
  });
  return { figures, failed: [...totals.values()].reduce((sum, total) => sum + total.failed, 0) };
}

async function main() {
  requireBuild('help-weight');

  const weights = pageWeights();
  const overEmpty = weights.help.gzip - weights.empty.gzip;
  console.log('JavaScript per page, gzipped (rootMainFiles + client-reference entry chunks, polyfills excluded):');
  console.log(`  Next.js runtime alone (rootMainFiles)  ${kb(weights.framework.gzip).padStart(9)}  ${weights.framework.gzip} B in ${weights.framework.files.length} files`);
  console.log(`  empty App Router page (/_not-found)    ${kb(weights.empty.gzip).padStart(9)}  ${weights.empty.gzip} B in ${weights.empty.files.length} files`);
  console.log(`  /help                                  ${kb(weights.help.gzip).padStart(9)}  ${weights.help.gzip} B in ${weights.help.files.length} files`);
  console.log(`  /login                                 ${kb(weights.login.gzip).padStart(9)}  ${weights.login.gzip} B in ${weights.login.files.length} files`);
  console.log(
    `  /help beyond the empty page: ${overEmpty} B (${kb(overEmpty)}), budget ${kb(BUDGET_OVER_EMPTY_BYTES)}: ${overEmpty <= BUDGET_OVER_EMPTY_BYTES ? 'within' : 'OVER'}`,
  );

  const helpHtml = path.join(nextDir, 'server/app/help.html');
  const publicDir = path.join(root, 'public');
  const publicCopyDir = path.join(publicDir, '__bench__');
  const publicExisted = existsSync(publicDir);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'portal-bench-'));
  const databaseUrl = `file:${path.join(dataDir, 'bench.db')}`;
  // /help and public files never touch the database; a throw-away one keeps data/ untouched, and
  // startPortal turns the mail worker off (its work would count as CPU spent on the requests).
  // Migrated, so the server's own rounds (maintenance announcer, alert fan-out) run as in service.
  await applyMigrations(databaseUrl);
  mkdirSync(publicCopyDir, { recursive: true });
  writeFileSync(path.join(publicCopyDir, 'help-copy.html'), readFileSync(helpHtml));

  let served: Served | undefined;
  const cleanUp = async () => {
    await served?.stop();
    rmSync(publicExisted ? publicCopyDir : publicDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.on('SIGINT', () => {
    void cleanUp().finally(() => process.exit(130));
  });

  try {
    served = await startPortal({ DATABASE_URL: databaseUrl }, '/help');
    const { port, process: server } = served;
    const agent = new http.Agent();
    const page = await request(agent, port, '/help');
    const staticCopy = await request(agent, port, '/__bench__/help-copy.html');
    agent.destroy();
    if (staticCopy.status !== 200) throw new Error(`static copy answered ${staticCopy.status}`);

    const html = readFileSync(helpHtml, 'utf8');
    const sent = [...html.matchAll(/<script\b[^>]*>/g)]
      .map(([tag]) => tag)
      .filter((tag) => !/\bnoModule\b/i.test(tag))
      .flatMap((tag) => /\bsrc="\/_next\/([^"]+\.js)"/.exec(tag)?.slice(1) ?? []);
    const sentWeight = weigh(sent);
    console.log(`  cross-check, <script src> in /help's HTML: ${sentWeight.gzip} B (${kb(sentWeight.gzip)}) in ${sentWeight.files.length} files`);

    console.log(
      `\nRequests per second, ${CONNECTIONS} keep-alive connections, ${WINDOWS} alternating ${WINDOW_MS} ms windows per path, gzip accepted:`,
    );
    console.log(`  bodies: /help ${page.body.length} B, static copy ${staticCopy.body.length} B (gzipped on the wire)`);
    // A query string is not the exact URL server.mjs keeps in memory: Next.js answers it from its
    // own cache of the prerendered page. Printed to show what the in-memory answer saves.
    const paths = ['/help', '/__bench__/help-copy.html', '/help?through=next'];
    const rates = await compareRates(port, server.pid!, paths);
    const [help, staticFile, throughNext] = rates.figures as [Rate, Rate, Rate];
    const line = (label: string, f: Rate) =>
      console.log(`  ${label.padEnd(40)} ${f.rps.toFixed(0).padStart(6)} req/s   ${f.cpuMsPerRequest.toFixed(2)} ms of server CPU per request`);
    line('/help (as server.mjs sends it)', help);
    line('static file from public/', staticFile);
    line('/help?through=next (Next.js page cache)', throughNext);
    const ratio = help.rps / staticFile.rps;
    console.log(`  /help at ${(ratio * 100).toFixed(0)}% of the static file's rate, target ${RATE_TARGET * 100}%: ${ratio >= RATE_TARGET ? 'met' : 'MISSED'}`);
    const cpuRatio = staticFile.cpuMsPerRequest / help.cpuMsPerRequest;
    if (Number.isFinite(cpuRatio)) {
      console.log(`  by server CPU per request, /help costs ${(100 / cpuRatio).toFixed(0)}% of the static file (${(cpuRatio * 100).toFixed(0)}% of its rate on a CPU-bound server)`);
    }
    console.log(`  through Next.js's page cache it would be at ${((throughNext.rps / staticFile.rps) * 100).toFixed(0)}% of the static file's rate`);
    console.log(`  machine load average while measuring: ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`);
    if (rates.failed > 0) console.log(`  ${rates.failed} requests failed`);
  } finally {
    await cleanUp();
  }
}

main().catch((error: unknown) => {
  console.error('help-weight failed:', error);
  process.exit(1);
});
