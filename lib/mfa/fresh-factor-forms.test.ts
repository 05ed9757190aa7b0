import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// A form whose check uses up a one-time code (a TOTP step, a recovery code, a passkey's challenge) holds
// its rendering's key before that check (withFormKeyHeld, lib/http/sent-once.ts; the sign-in's code step
// holds its pending session's id, withKeyHeld): two copies of it sent at once must not both spend the
// code, the second told it is wrong and counted on the lock (reviews r38e F1, r39a F1). A rule kept by
// habit is not kept, so this test reads the source.

const root = path.resolve(import.meta.dirname, '../..');
// The sign-in's code step spends a code through matchSecondFactor itself (review r41i F1, r54e F1).
const SPENDS_A_CODE = /\b(checkFreshSecondFactor|refusalToAddFactor|proveSecondFactor|matchSecondFactor)\(/;
// Where the checks themselves are written, not used by a form; and the password change, whose passkey
// proof its page's script sends once per press (a copy sent again is still counted as refused: left, r41i).
const THE_CHECKS = ['lib/mfa/check-fresh-second-factor.ts', 'lib/mfa/may-add-factor.ts', 'lib/mfa/consume-second-factor.ts', 'lib/auth/change-own-password.ts'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : filesUnder(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

export function unheldCodeChecks(files: Array<{ file: string; source: string }>): string[] {
  return files.filter(({ file, source }) => !THE_CHECKS.includes(file) && SPENDS_A_CODE.test(source) && !/\bwith(?:Form)?KeyHeld\(/.test(source)).map(({ file }) => file);
}

describe('forms that use up a one-time code', () => {
  const files = [...filesUnder(path.join(root, 'lib')), ...filesUnder(path.join(root, 'app'))].map((full) => ({
    file: path.relative(root, full).split(path.sep).join('/'),
    source: readFileSync(full, 'utf8'),
  }));

  it('each holds its rendering’s key around the check', () => {
    expect(files.filter(({ source }) => SPENDS_A_CODE.test(source)).length).toBeGreaterThanOrEqual(5);
    expect(unheldCodeChecks(files)).toEqual([]);
  });

  it('the rule finds a form that checks a code without the key', () => {
    expect(unheldCodeChecks([{ file: 'lib/mfa/new-form.ts', source: 'await checkFreshSecondFactor(actor, input, ip, "x");' }])).toEqual(['lib/mfa/new-form.ts']);
  });
});
