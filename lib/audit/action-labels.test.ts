import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTION_LABELS, auditActionLabel } from './action-labels';

const root = path.resolve(import.meta.dirname, '../..');

// Written only where no agency's log reads them: the vendor's own work, the command line, the status page.
const NEVER_IN_AN_AGENCY_LOG = new Set(['MAIL_REQUEUED', 'STORED_SECRETS_RESEALED', 'SUPER_ADMIN_QUEUE_ALERTED', 'SUPER_ADMIN_QUEUE_EXPORTED', 'VENDOR_SECOND_FACTORS_CLEARED']);

function sources(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const file = path.join(folder, name);
    if (statSync(file).isDirectory()) return name === 'generated' ? [] : sources(file);
    return /\.tsx?$/.test(name) && !name.includes('.test.') ? [file] : [];
  });
}

describe('audit action labels', () => {
  it('reads a code as plain words, from the table or, failing that, from the code itself', () => {
    expect(auditActionLabel('SIGN_IN_FAILURE')).toBe('Failed sign-in');
    expect(auditActionLabel('SOME_FUTURE_CODE')).toBe('Some future code');
    expect(new Set(Object.values(AUDIT_ACTION_LABELS)).size).toBe(Object.keys(AUDIT_ACTION_LABELS).length);
    for (const label of Object.values(AUDIT_ACTION_LABELS)) expect(label).not.toMatch(/[A-Z]{2,}_/);
  });

  it('label every action the code writes, so an agency’s Event filter can pick it (review r42e F3)', () => {
    const written = new Set<string>();
    for (const file of [...sources(path.join(root, 'lib')), ...sources(path.join(root, 'app'))]) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!/\baction: |recordAdminAction\(/.test(line)) continue;
        for (const [, code] of line.matchAll(/'([A-Z]+(?:_[A-Z]+)+)'/g)) written.add(code!);
      }
    }
    // The reading finds the codes it should (a change of style would find none and pass).
    expect(written).toContain('ADMIN_ACCOUNT_DISABLED');
    expect(written).toContain('SIGN_IN_SUCCESS');
    const unlabelled = [...written].filter((code) => !code.startsWith('STATUS_') && !NEVER_IN_AN_AGENCY_LOG.has(code) && !(code in AUDIT_ACTION_LABELS));
    expect(unlabelled).toEqual([]);
  });
});
