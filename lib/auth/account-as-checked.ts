import type { PrincipalKind } from '@/lib/auth/password-attempt';
import type { Tx } from '@/lib/db/client';
import { lockRow } from '@/lib/db/lock-row';

/**
 * The first step of the transaction that completes a sign-in: holds the account's row and says whether
 * the account is still as the sign-in read it before its slow check (argon2, a passkey's signature):
 * active, at the same session version. A disable, a reset, a new temporary password, a role change or a
 * factor change committed meanwhile moved it, and the sign-in must then write nothing a success writes
 * (its last sign-in, a cleared lock, a claimed temporary password, a success on the record) after that
 * change: it is refused (review r36e F7, r37b F3).
 */
export async function holdAccountAsChecked(tx: Tx, account: { kind: PrincipalKind; id: string; sessionVersion: number }): Promise<boolean> {
  if (account.kind === 'user') {
    await lockRow(tx, 'User', account.id);
    const user = await tx.user.findUnique({ where: { id: account.id }, select: { status: true, sessionVersion: true } });
    return user?.status === 'ACTIVE' && user.sessionVersion === account.sessionVersion;
  }
  await lockRow(tx, 'VendorAccount', account.id);
  const vendor = await tx.vendorAccount.findUnique({ where: { id: account.id }, select: { active: true, sessionVersion: true } });
  return vendor?.active === true && vendor.sessionVersion === account.sessionVersion;
}

/** The audit record's reason when it was not. */
export const ACCOUNT_CHANGED_DURING_SIGN_IN = 'account changed during sign-in';
