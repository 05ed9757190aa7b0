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
