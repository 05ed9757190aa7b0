import type { Tx } from '@/lib/db/client';

/** The audit reason of a sign-in refused because its temporary password was claimed already (decision 058). */
export const TEMPORARY_PASSWORD_USED_REASON = 'temporary password already used';

/**
 * Marks the account's temporary password used, in the transaction that completes a sign-in: false when
 * another sign-in claimed it first. One conditional write, so of sign-ins completing at once only one
 * opens. An account owing no temporary password has nothing to claim (true).
 */
export async function claimTemporaryPassword(tx: Tx, userId: string): Promise<boolean> {
  const claimed = await tx.user.updateMany({ where: { id: userId, mustChangePassword: true, temporaryPasswordUsedAt: null }, data: { temporaryPasswordUsedAt: new Date() } });
  if (claimed.count === 1) return true;
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { mustChangePassword: true } });
  return !user.mustChangePassword;
}

/** Whether the account's temporary password is still unclaimed (or it owes none): the password step of a sign-in that still owes its factor claims nothing. */
export async function temporaryPasswordUnclaimed(tx: Tx, userId: string): Promise<boolean> {
  return (await tx.user.count({ where: { id: userId, OR: [{ mustChangePassword: false }, { temporaryPasswordUsedAt: null }] } })) === 1;
}
