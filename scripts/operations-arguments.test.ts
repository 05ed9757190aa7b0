// The operations commands that act on people or mail take exactly what they say, or refuse with their
// usage and exit code 2 before touching the database (review r34g F4).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'operations-arguments-'));
const database = path.join(dir, 'portal.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), [script, ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: `file:${database}`, NEXTAUTH_SECRET: 'operations-arguments-test-secret-0001', SMTP_URL: 'smtp://127.0.0.1:9' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('operations commands', () => {
  it.each([
    ['scripts/vendor-unlock.ts', ['vera@carenotes.example', 'victor@carenotes.example']],
    ['scripts/vendor-unlock.ts', ['-x']],
    ['scripts/vendor-reset-mfa.ts', ['a@carenotes.example', 'b@carenotes.example']],
    ['scripts/mail-dead.ts', ['--requeue']],
    ['scripts/mail-dead.ts', ['--requeue', 'one', 'two']],
    ['scripts/db-backup.ts', ['--to']],
    ['scripts/db-migrate.ts', ['now']],
    ['scripts/mail-worker.ts', ['--until-emtpy']],
  ])('%s %j: usage, exit code 2, the database untouched', async (script, args) => {
    const { code, stderr } = await run(script, args);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^usage: npm run /);
    expect(existsSync(database)).toBe(false);
  });

  it.each(['scripts/vendor-unlock.ts', 'scripts/mail-dead.ts', 'scripts/db-migrate.ts', 'scripts/db-backup.ts', 'scripts/secrets-reseal.ts', 'scripts/audit-verify.ts', 'scripts/mail-worker.ts'])(
    '%s --help: its usage, and nothing done (review r34h L4)',
    async (script) => {
      const { code, stdout } = await run(script, ['--help']);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^usage: npm run /);
      expect(existsSync(database)).toBe(false);
    },
  );
});
