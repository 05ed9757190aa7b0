import type { Tx } from '@/lib/db/client';
import { lockFactorOwner } from '@/lib/mfa/account';
import { ownerWhere, type MfaOwner } from '@/lib/mfa/policy';

/**
 * Removes every factor and recovery code of an account (lost phone, lost everything). The
 * caller ends the account's sessions, audits and mails in the same transaction; an account
 * that must have a factor is sent to enrol at its next sign-in.
 */
export async function clearSecondFactorsOf(tx: Tx, owner: MfaOwner): Promise<{ factorsRemoved: number; recoveryCodesRemoved: number }> {
  // After any addition in flight: one that lands later sees its session ended (sessionStillStands).
  await lockFactorOwner(tx, owner);
  const factors = await tx.mfaFactor.deleteMany({ where: ownerWhere(owner) });
  const codes = await tx.recoveryCode.deleteMany({ where: ownerWhere(owner) });
  return { factorsRemoved: factors.count, recoveryCodesRemoved: codes.count };
}
