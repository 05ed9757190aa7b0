import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { resealIn, sealIn, unsealIn, type SealBox } from '@/lib/crypto/seal';
import { db, type Tx } from '@/lib/db/client';
import { lockFactorOwner } from '@/lib/mfa/account';
import { ownerWhere, type MfaOwner } from '@/lib/mfa/policy';

export const RECOVERY_CODE_COUNT = 10;
// No 0/O, 1/I/L: read from paper and typed back.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const LENGTH = 10; // ~49 bits each: too many to guess within the lockout, so a fast hash is enough (sealed, below).

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

export function looksLikeRecoveryCode(typed: string): boolean {
  return new RegExp(`^[${ALPHABET}]{${LENGTH}}$`).test(normalizeRecoveryCode(typed));
}

// A code's unkeyed SHA-256 let a database copy alone (a backup) test each guess against every account's codes at
// once (review r55g F2). Now a digest salted per code and bound to its owner, sealed as authenticator seeds are: a
// copy alone tests nothing, and even with NEXTAUTH_SECRET one guess tests one code of one account. Sealed rather
// than an HMAC under the secret: `npm run secrets:reseal` can move a sealed value to a new secret, while an HMAC
// of a code nobody knows any more could never be re-keyed (decision 043, session 55).
const RECOVERY_CODE_BOX: SealBox = { prefix: 'rc:v1:', salt: 'portal-recovery-codes', info: 'recovery code sealing v1' };

/** Codes issued before review r55g F2: `sha256("recovery-code:" + code)` in hex, read until used or replaced. */
const LEGACY_FORM = /^[0-9a-f]{64}$/;

function digest(owner: MfaOwner, salt: string, typed: string): Buffer {
  return createHash('sha256').update(['recovery-code', owner.kind, owner.id, salt, normalizeRecoveryCode(typed)].join('\u0000')).digest();
}

/** What is stored for `code` of `owner`: never the same twice, even for the same code. */
export function sealRecoveryCode(owner: MfaOwner, code: string): string {
  const salt = randomBytes(16).toString('base64url');
  return sealIn(RECOVERY_CODE_BOX, `${salt}.${digest(owner, salt, code).toString('base64url')}`);
}

/** Whether `typed` is the code stored as `stored` for `owner`; throws, as an authenticator seed does, when no secret opens it. */
export function recoveryCodeMatches(owner: MfaOwner, stored: string, typed: string): boolean {
  if (LEGACY_FORM.test(stored)) {
    return sameBytes(createHash('sha256').update(`recovery-code:${normalizeRecoveryCode(typed)}`).digest(), Buffer.from(stored, 'hex'));
  }
  const [salt = '', sealedDigest = ''] = unsealIn(RECOVERY_CODE_BOX, stored).split('.');
  return sameBytes(digest(owner, salt, typed), Buffer.from(sealedDigest, 'base64url'));
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** For `npm run secrets:reseal`: the code sealed under the current secret, or null when it is, or is a legacy digest (no secret in it). */
export function resealRecoveryCode(stored: string): string | null {
  return LEGACY_FORM.test(stored) ? null : resealIn(RECOVERY_CODE_BOX, stored);
}

/**
 * The owner's unused recovery code that `typed` is, if any (`heldBefore`: only one made before then). Each is
 * compared in turn (an account has at most ten unused); the caller spends it by id (`spendFactor`).
 */
export async function findUnusedRecoveryCode(owner: MfaOwner, typed: string, heldBefore?: Date): Promise<{ id: string } | null> {
  const unused = await db().recoveryCode.findMany({
    where: { ...ownerWhere(owner), usedAt: null, ...(heldBefore && { createdAt: { lt: heldBefore } }) },
    select: { id: true, codeHash: true },
  });
  const found = unused.find((row) => recoveryCodeMatches(owner, row.codeHash, typed));
  return found ? { id: found.id } : null;
}

/** Replaces the account's recovery codes with ten new ones, returned in clear this once. */
export async function replaceRecoveryCodes(tx: Tx, owner: MfaOwner): Promise<string[]> {
  await lockFactorOwner(tx, owner);
  const codes = newRecoveryCodes();
  await tx.recoveryCode.deleteMany({ where: ownerWhere(owner) });
  await tx.recoveryCode.createMany({ data: codes.map((code) => ({ ...ownerWhere(owner), codeHash: sealRecoveryCode(owner, code) })) });
  return codes;
}

/** An account's first factor brings its recovery codes; a later one leaves the unused codes it has alone. */
export async function recoveryCodesForNewFactor(tx: Tx, owner: MfaOwner): Promise<string[] | undefined> {
  // After the lock: a removal of the last factor in parallel deletes the codes this would keep.
  await lockFactorOwner(tx, owner);
  const hasCodes = (await tx.recoveryCode.count({ where: { ...ownerWhere(owner), usedAt: null } })) > 0;
  return hasCodes ? undefined : replaceRecoveryCodes(tx, owner);
}
