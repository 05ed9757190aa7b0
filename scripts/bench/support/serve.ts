// Shared by the benches that load a production server over HTTP: start server.mjs on a
// throw-away database, a bare Node.js server for comparison, keep-alive load in alternating
// windows, the server's CPU and memory from /proc. Bounded in time; no wall-clock guesses.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@/lib/net/free-port';
import { serveBuild } from '@/scripts/serve-build';

export const root = path.resolve(import.meta.dirname, '../../..');
const BENCH_SECRET = 'bench-only-secret-that-signs-nothing-real-0000001';
// The bench's own writes (seeded second factors are sealed with it) and the server agree on it.
process.env.NEXTAUTH_SECRET = BENCH_SECRET;

export function requireBuild(bench: string) {
  if (!existsSync(path.join(root, '.next/BUILD_ID'))) {
    console.error(`${bench}: no production build in .next; run \`npm run build\` first.`);
    process.exit(1);
  }
}

export const loadLine = () => `load average ${os.loadavg().map((n) => n.toFixed(1)).join(' / ')} on ${os.cpus().length} cores`;

export type Answer = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

export function request(
  agent: http.Agent | undefined,
  port: number,
  urlPath: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sent = http.request(
      { host: '127.0.0.1', port, path: urlPath, agent, method: options.method ?? 'GET', headers: { 'accept-encoding': 'gzip', ...options.headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      },
    );
    sent.setTimeout(30_000, () => sent.destroy(new Error(`timeout on ${urlPath}`)));
    sent.on('error', reject);
    sent.end(options.body);
  });
}

export type Served = { port: number; process: ChildProcess; stop: () => Promise<void> };

/**
 * How `npm start` starts server.mjs (package.json): the environment it sets (`NAME=value` before
 * `node`) and the Node.js flags. The benches measure what production runs, and print it.
 */
export function startCommand(): { env: Record<string, string>; flags: string[]; text: string } {
  const start = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const [, assignments = '', flags = ''] = /^((?:\w+=\S*\s+)*)node\s+(.*?)\s*server\.mjs/.exec(start) ?? [];
  const env = Object.fromEntries(assignments.split(/\s+/).filter(Boolean).map((pair) => pair.split('=', 2) as [string, string]));
  return { env, flags: flags.split(/\s+/).filter(Boolean), text: start };
}

/** Waits until each path is answered from memory, as after a moment in service. */
export async function untilFromMemory(port: number, paths: string[]) {
  for (const pagePath of paths) {
    for (let i = 0; i < 300 && !(await request(undefined, port, pagePath)).headers['x-portal-from-memory']; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** BENCH_CPU_PROF=dir: the server writes a V8 CPU profile there when it stops (open it in Chrome DevTools). */
const profileFlags = () => (process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : []);

/** server.mjs in production mode on a free loopback port, answering once `readyPath` is 200. */
export async function startPortal(env: Record<string, string>, readyPath = '/api/health', execArgv: string[] = []): Promise<Served> {
  const port = await freePort();
  const start = startCommand();
  const child = serveBuild(
    port,
    {
      MAIL_WORKER: 'off',
      // A production server refuses to start without a mail transport named (lib/config.ts).
      MAIL_TRANSPORT: 'file',
      MAIL_DIR: path.join(os.tmpdir(), 'portal-bench-mail'),
      NEXTAUTH_SECRET: BENCH_SECRET,
      ...start.env,
      ...env,
    },
    ['ignore', 'ignore', 'inherit'],
    [...start.flags, ...profileFlags(), ...execArgv],
  );
  const served = { port, process: child, stop: () => stopChild(child) };
  await waitFor(port, child, readyPath);
  return served;
}

async function waitFor(port: number, child: ChildProcess, readyPath: string) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await request(undefined, port, readyPath)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not start within 120 s');
}

export async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

// A bare Node.js server in a process of its own, sending each path's recorded answer from memory.
const BARE_SERVER = `
const http = require('node:http');
const pages = new Map(JSON.parse(require('node:fs').readFileSync(0, 'utf8')).map(([p, h, b]) => [p, { h, b: Buffer.from(b, 'base64') }]));
const server = http.createServer((req, res) => {
  const page = pages.get(req.url);
  if (!page) { res.writeHead(404).end(); return; }
  res.writeHead(200, { ...page.h, 'content-length': page.b.length }).end(page.b);
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

/** @param pages path → the headers and the exact (gzipped) bytes to send */
export async function startBareServer(pages: [string, Record<string, string>, Buffer][]): Promise<Served> {
  const child = spawn(process.execPath, ['-e', BARE_SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin!.end(JSON.stringify(pages.map(([p, h, b]) => [p, h, b.toString('base64')])));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
  return { port, process: child, stop: () => stopChild(child) };
}

/**
 * CPU time a process has used (all its threads, user + system), from /proc; NaN elsewhere. Unlike requests
 * per second, CPU per request hardly moves when other work shares the machine. Clock ticks are 1/100 s on Linux.
 */
export function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** Resident set size of a process in MB, from /proc; NaN elsewhere. */
export function rssMb(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return Number(line?.split(/\s+/)[1]) / 1024;
  } catch {
    return NaN;
  }
}

/** Requests answered as expected on `connections` keep-alive connections within `ms`. */
export async function window(
  agent: http.Agent,
  port: number,
  urlPath: string,
  ms: number,
  connections: number,
): Promise<{ ok: number; failed: number; seconds: number }> {
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  const stopAt = started + ms;
  const worker = async () => {
    while (performance.now() < stopAt) {
      try {
        if ((await request(agent, port, urlPath)).status === 200) ok += 1;
        else failed += 1;
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return { ok, failed, seconds: (performance.now() - started) / 1000 };
}
