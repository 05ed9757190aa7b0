import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startThrowawayPostgres } from '@/test/support/throwaway-postgres';

/** Runs a measurement on a throw-away SQLite file, then on a throw-away PostgreSQL database. */
export async function onEachDatabase(measure: (label: 'SQLite' | 'PostgreSQL', url: string) => Promise<void> | void): Promise<void> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'portal-bench-'));
  try {
    await measure('SQLite', `file:${path.join(folder, 'bench.db')}`);
    const postgres = await startThrowawayPostgres();
    try {
      await measure('PostgreSQL', postgres.url);
    } finally {
      await postgres.stop();
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * The app's db() and config() are one per process: the bench file runs itself again in a child per
 * database kind, migrated first, and `measure` runs in that child with DATABASE_URL set.
 */
export async function measureInChildPerDatabase(benchFile: string, measure: (label: string) => Promise<void>): Promise<void> {
  if (process.env.BENCH_CHILD) return measure(process.env.BENCH_CHILD);
  const { applyMigrations } = await import('@/scripts/db/migrate');
  await onEachDatabase(async (label, url) => {
    await applyMigrations(url);
    const result = spawnSync(process.execPath, [...process.execArgv, benchFile], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_CHILD: label, DATABASE_URL: url, MAIL_WORKER: 'off', NEXTAUTH_SECRET: 'bench-secret-that-is-long-enough-0000000000001' },
    });
    if (result.status !== 0) process.exitCode = 1;
  });
}
