import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadModulesWith, NEW_SECRET, OLD_SECRET } from '@/test/support/secrets';

const ADMIN = { kind: 'user', id: 'admin-1' } as const;
const VENDOR = { kind: 'vendor', id: 'admin-1' } as const;

/** The recovery-code helpers as a process started with these secrets sees them. */
async function startedWith(current: string, previous?: string) {
  await loadModulesWith(current, previous);
  return import('@/lib/mfa/recovery-codes');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('recovery codes at rest (review r55g F2)', () => {
  it('a stored code matches typed in any case, with spaces or hyphens, for its owner only; the same code never stores the same value twice', async () => {
    const codes = await startedWith(OLD_SECRET);
    const stored = codes.sealRecoveryCode(ADMIN, 'ABCDE-FGHJK');
    expect(stored).toMatch(/^rc:v1:/);
    expect(codes.sealRecoveryCode(ADMIN, 'ABCDE-FGHJK')).not.toBe(stored);
    for (const typed of ['ABCDE-FGHJK', 'abcdefghjk', ' abcde fghjk ', 'Abc-de-FGHJK']) expect(codes.recoveryCodeMatches(ADMIN, stored, typed)).toBe(true);
    expect(codes.recoveryCodeMatches(ADMIN, stored, 'ABCDE-FGHJM')).toBe(false);
    // Bound to its owner: the same id under the other kind of account is another owner.
    expect(codes.recoveryCodeMatches(VENDOR, stored, 'ABCDE-FGHJK')).toBe(false);
    expect(codes.recoveryCodeMatches({ kind: 'user', id: 'admin-2' }, stored, 'ABCDE-FGHJK')).toBe(false);
  });

  it('a code sealed under the previous secret matches, and sealed again under the current one it matches without it; a legacy digest is read and left as it is', async () => {
    const stored = (await startedWith(OLD_SECRET)).sealRecoveryCode(ADMIN, 'MNPQR-STVWX');
    const rotated = await startedWith(NEW_SECRET, OLD_SECRET);
    expect(rotated.recoveryCodeMatches(ADMIN, stored, 'MNPQR-STVWX')).toBe(true);
    const resealed = rotated.resealRecoveryCode(stored)!;
    expect(resealed).toMatch(/^rc:v1:/);
    expect(rotated.resealRecoveryCode(resealed)).toBeNull();

    const dropped = await startedWith(NEW_SECRET);
    expect(dropped.recoveryCodeMatches(ADMIN, resealed, 'mnpqr stvwx')).toBe(true);
    expect(() => dropped.recoveryCodeMatches(ADMIN, stored, 'MNPQR-STVWX')).toThrow(/neither NEXTAUTH_SECRET/);

    const legacy = createHash('sha256').update('recovery-code:YZ23456789').digest('hex');
    expect(dropped.recoveryCodeMatches(ADMIN, legacy, 'yz234-56789')).toBe(true);
    expect(dropped.recoveryCodeMatches(ADMIN, legacy, 'YZ234-5678A')).toBe(false);
    expect(dropped.resealRecoveryCode(legacy)).toBeNull();
  });
});
