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

async function run(script: string, args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), [script, ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: `file:${database}`, NEXTAUTH_SECRET: 'operations-arguments-test-secret-0001' },
    });
    return { code: 0, stderr: '' };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

describe('operations commands', () => {
  it.each([
    ['scripts/vendor-unlock.ts', ['vera@carenotes.example', 'victor@carenotes.example']],
    ['scripts/vendor-unlock.ts', ['--help']],
    ['scripts/vendor-reset-mfa.ts', ['a@carenotes.example', 'b@carenotes.example']],
    ['scripts/mail-dead.ts', ['--help']],
    ['scripts/mail-dead.ts', ['--requeue']],
    ['scripts/mail-dead.ts', ['--requeue', 'one', 'two']],
  ])('%s %j: usage, exit code 2, the database untouched', async (script, args) => {
    const { code, stderr } = await run(script, args);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^usage: npm run /);
    expect(existsSync(database)).toBe(false);
  });
});
