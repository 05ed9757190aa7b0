// The production server (`node server.mjs`, NODE_ENV=production) as a child process, for tests of
// what only the whole process does: start-up refusals, probes, shutdown, several instances.
// Needs a production build (`npx next build`) in the working tree.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@/lib/net/free-port';
import { applyMigrations } from '@/scripts/db/migrate';
import { formWithField, multipartBody } from './html-form';
import type { RawRequest } from './raw-burst';

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

/** A folder of its own for the mail a server writes as files (MAIL_TRANSPORT=file). */
export function throwawayMailDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'portal-mail-'));
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

/**
 * The production server on a throw-away migrated database (a SQLite file, or the one `databaseUrl`
 * names, such as a throw-away PostgreSQL), with mail written to files in a throw-away folder and
 * its own address as APP_URL (Next.js refuses a server action whose Origin is not the host it was
 * sent to); `env` adds or overrides settings.
 */
export async function startMigratedProductionServer(env: Record<string, string | undefined> = {}, databaseUrl = throwawaySqliteUrl()): Promise<ProductionServer> {
  await applyMigrations(databaseUrl);
  const port = await freePort();
  const settings = {
    DATABASE_URL: databaseUrl,
    APP_URL: `http://127.0.0.1:${port}`,
    NEXTAUTH_SECRET: TEST_SECRET,
    MAIL_TRANSPORT: 'file',
    MAIL_DIR: throwawayMailDir(),
  };
  return startProductionServer({ ...settings, ...env }, port);
}

/**
 * A sign-in with credentials nobody has, as a browser without JavaScript posts it whole, as raw
 * HTTP/1.1 for `burst` (test/support/raw-burst.ts); `extraHeaders` are header lines, each ending in CRLF.
 */
export async function rawFailedSignIn(server: ProductionServer, label: string, extraHeaders = ''): Promise<RawRequest> {
  const { hidden } = formWithField(await (await fetch(`${server.url}/login`)).text(), 'loginName');
  const { body, type } = multipartBody([...hidden, ['providerCode', 'NOBODY'], ['loginName', 'someone'], ['password', 'not the password']]);
  return {
    path: label,
    text:
      `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nOrigin: ${server.url}\r\nAccept: text/html\r\n${extraHeaders}` +
      `Content-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  };
}

/** The Keep-Alive header of an answer on a kept-alive connection: how long the instance keeps it open idle. */
export function keepAliveHeader(port: number): Promise<string | undefined> {
  const agent = new http.Agent({ keepAlive: true });
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/api/live', agent }, (response) => {
      response.resume();
      response.on('end', () => {
        agent.destroy();
        resolve(String(response.headers['keep-alive']));
      });
    }).on('error', reject);
  });
}
