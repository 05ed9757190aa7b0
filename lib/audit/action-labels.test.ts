import { describe, expect, it } from 'vitest';
import { AUDIT_ACTION_LABELS, auditActionLabel } from './action-labels';

describe('audit action labels', () => {
  it('reads a code as plain words, from the table or, failing that, from the code itself', () => {
    expect(auditActionLabel('SIGN_IN_FAILURE')).toBe('Failed sign-in');
    expect(auditActionLabel('SUPER_ADMIN_RESET_CLAIMED')).toBe('Super admin reset claimed');
    expect(new Set(Object.values(AUDIT_ACTION_LABELS)).size).toBe(Object.keys(AUDIT_ACTION_LABELS).length);
    for (const label of Object.values(AUDIT_ACTION_LABELS)) expect(label).not.toMatch(/[A-Z]{2,}_/);
  });
});
