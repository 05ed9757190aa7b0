import { createHash, randomInt } from 'node:crypto';
import type { Tx } from '@/lib/db/client';
import { lockFactorOwner } from '@/lib/mfa/account';
import { ownerWhere, type MfaOwner } from '@/lib/mfa/policy';

export const RECOVERY_CODE_COUNT = 10;
// No 0/O, 1/I/L: read from paper and typed back.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const LENGTH = 10; // ~49 bits each: too many to guess within the lockout, so a fast hash is enough.

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** What was typed, in the stored form: case, spaces and hyphens do not matter. */
export function normalizeRecoveryCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '');
}

export function hashRecoveryCode(typed: string): string {
  return createHash('sha256').update(`recovery-code:${normalizeRecoveryCode(typed)}`).digest('hex');
}

export function looksLikeRecoveryCode(typed: string): boolean {
  return new RegExp(`^[${ALPHABET}]{${LENGTH}}$`).test(normalizeRecoveryCode(typed));
}

/** Replaces the account's recovery codes with ten new ones, returned in clear this once. */
export async function replaceRecoveryCodes(tx: Tx, owner: MfaOwner): Promise<string[]> {
  await lockFactorOwner(tx, owner);
  const codes = newRecoveryCodes();
  await tx.recoveryCode.deleteMany({ where: ownerWhere(owner) });
  await tx.recoveryCode.createMany({ data: codes.map((code) => ({ ...ownerWhere(owner), codeHash: hashRecoveryCode(code) })) });
  return codes;
}

/** An account's first factor brings its recovery codes; a later one leaves the unused codes it has alone. */
export async function recoveryCodesForNewFactor(tx: Tx, owner: MfaOwner): Promise<string[] | undefined> {
  // After the lock: a removal of the last factor in parallel deletes the codes this would keep.
  await lockFactorOwner(tx, owner);
  const hasCodes = (await tx.recoveryCode.count({ where: { ...ownerWhere(owner), usedAt: null } })) > 0;
  return hasCodes ? undefined : replaceRecoveryCodes(tx, owner);
}
