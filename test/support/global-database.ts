// Vitest global setup: one migrated throw-away database of the project's kind
// (TEST_DATABASE_KIND), handed to every test file as DATABASE_URL.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { applyMigrations } from '@/scripts/db/migrate';
import { startTestPostgres } from './postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const kind = project.config.env?.TEST_DATABASE_KIND;
  if (kind === 'postgresql') {
    const postgres = await startTestPostgres();
    await applyMigrations(postgres.url);
    project.provide('databaseUrl', postgres.url);
    return () => postgres.stop();
  }
  const folder = mkdtempSync(path.join(os.tmpdir(), 'portal-sqlite-'));
  const url = `file:${path.join(folder, 'test.db')}`;
  await applyMigrations(url);
  project.provide('databaseUrl', url);
  return () => rmSync(folder, { recursive: true, force: true });
}
