import { isLocked, lockAfterFailure, STREAK_RESET_MS, type LockDecision } from '@/lib/auth/lockout';
import { db, type Tx } from '@/lib/db/client';
import type { MfaOwner } from '@/lib/mfa/policy';
import { VENDOR_POLICY } from '@/lib/policy/agency-policy';

// Wrong second-factor codes count on the very columns wrong passwords count on (User and
// VendorAccount share them), so a stolen password buys no more code guesses than password
// guesses. To be reconciled with sign-in's own counter (lib/auth/sign-in.ts) into one.

type LockColumns = Pick<Tx['user'], 'updateMany' | 'findUniqueOrThrow' | 'update'>;

function table(tx: Tx, owner: MfaOwner): LockColumns {
  return owner.kind === 'user' ? tx.user : (tx.vendorAccount as unknown as LockColumns);
}

async function policyOf(owner: MfaOwner) {
  if (owner.kind === 'vendor') return VENDOR_POLICY;
  const user = await db().user.findUniqueOrThrow({
    where: { id: owner.id },
    select: { agency: { select: { softLockThreshold: true, hardLockThreshold: true } } },
  });
  return user.agency;
}

export async function isSecondFactorLocked(owner: MfaOwner, now = new Date()): Promise<boolean> {
  const row = await table(db() as unknown as Tx, owner).findUniqueOrThrow({ where: { id: owner.id }, select: { lockedUntil: true, hardLockedAt: true } });
  return isLocked(row, now);
}

/** Counts one wrong code; returns the lock it leads to, or null when the account was already locked (not counted). */
export async function countWrongSecondFactorCode(tx: Tx, owner: MfaOwner, now = new Date()): Promise<{ failureCount: number; lock: LockDecision } | null> {
  const policy = await policyOf(owner);
  const columns = table(tx, owner);
  await columns.updateMany({
    where: { id: owner.id, lastFailedSignInAt: { lt: new Date(now.getTime() - STREAK_RESET_MS) } },
    data: { failedSignInCount: 0, firstFailedSignInAt: null },
  });
  const counted = await columns.updateMany({
    where: { id: owner.id, hardLockedAt: null, OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] },
    data: { failedSignInCount: { increment: 1 }, lastFailedSignInAt: now },
  });
  if (counted.count === 0) return null;
  const row = await columns.findUniqueOrThrow({ where: { id: owner.id }, select: { failedSignInCount: true, firstFailedSignInAt: true } });
  const streakStart = row.firstFailedSignInAt ?? now;
  const lock = lockAfterFailure(row.failedSignInCount, streakStart, now, policy);
  await columns.update({
    where: { id: owner.id },
    data: { firstFailedSignInAt: streakStart, lockedUntil: lock.lockedUntil, ...(lock.hardLock ? { hardLockedAt: now } : {}) },
  });
  return { failureCount: row.failedSignInCount, lock };
}
