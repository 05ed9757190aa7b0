// The production server (`node server.mjs`, NODE_ENV=production) as a child process, for tests of
// what only the whole process does: start-up refusals, probes, shutdown, several instances.
// Needs a production build (`npx next build`) in the working tree.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@/lib/net/free-port';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const TEST_SECRET = 'production-test-secret-0000000000000000000000000001';

export type ProductionServer = {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the process wrote so far (stdout and stderr, interleaved). */
  output(): string;
  /** The JSON log lines on stdout so far; a line that is not JSON fails the test. */
  logLines(): LogLine[];
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
};

export type LogLine = { level: number; event?: string; [field: string]: unknown };

export function requireBuild(): void {
  if (!existsSync(path.join(ROOT, '.next', 'BUILD_ID'))) throw new Error('these tests serve the production build: run `npx next build` first');
}

export function throwawaySqliteUrl(): string {
  return `file:${path.join(mkdtempSync(path.join(os.tmpdir(), 'portal-prod-')), 'portal.db')}`;
}

/** Only what is given: nothing of the test runner's own environment leaks into the server's. */
export async function spawnProductionServer(env: Record<string, string | undefined>, port?: number): Promise<ProductionServer> {
  requireBuild();
  const chosen = port ?? (await freePort());
  const child = spawn(process.execPath, ['server.mjs'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      HOST: '127.0.0.1',
      PORT: String(chosen),
      ...env,
    },
  });
  let output = '';
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    url: `http://127.0.0.1:${chosen}`,
    port: chosen,
    child,
    output: () => output,
    logLines: () =>
      stdout
        .split('\n')
        .slice(0, -1)
        .map((line) => {
          try {
            return JSON.parse(line) as LogLine;
          } catch {
            throw new Error(`not a JSON log line on stdout: ${line}`);
          }
        }),
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** The log lines of one event. */
export function eventLines(server: ProductionServer, event: string): LogLine[] {
  return server.logLines().filter((line) => line.event === event);
}

/** Waits until the server listens (its `server.listening` line), or fails with what it printed if it exits first. */
export async function untilListening(server: ProductionServer, timeoutMs = 120_000): Promise<ProductionServer> {
  const deadline = Date.now() + timeoutMs;
  while (eventLines(server, 'server.listening').length === 0) {
    if (server.child.exitCode !== null) throw new Error(`server exited with ${server.child.exitCode}:\n${server.output()}`);
    if (Date.now() > deadline) throw new Error(`server did not start within ${timeoutMs} ms:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return server;
}

export async function startProductionServer(env: Record<string, string | undefined>, port?: number): Promise<ProductionServer> {
  return untilListening(await spawnProductionServer(env, port));
}
