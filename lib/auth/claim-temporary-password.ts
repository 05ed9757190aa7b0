import type { Tx } from '@/lib/db/client';

/** Why a temporary password opens no sign-in (decision 058): used by another sign-in, or past its end (its time, or a reset link sent since). */
export type TemporaryPasswordRefusal = 'TEMPORARY_PASSWORD_USED' | 'TEMPORARY_PASSWORD_EXPIRED';

/** The audit record's reason for each. */
export const TEMPORARY_PASSWORD_REFUSED_FOR: Record<TemporaryPasswordRefusal, string> = {
  TEMPORARY_PASSWORD_USED: 'temporary password already used',
  TEMPORARY_PASSWORD_EXPIRED: 'temporary password expired',
};

/**
 * Ends the account's temporary password, if one is owed, for a reset link sent at `now` (decision 058): it
 * is marked ended, which every check reads whatever its clock (an instance whose clock runs ahead writes an
 * end another still reads as ahead), as a link's own end is (decision 005 addendum). Marked whatever this
 * clock says of its time: one with less time left than the clock's lead was left unmarked (review r40c F3).
 * Its time, for the console, is moved to `now` only when that is sooner.
 */
export async function endTemporaryPassword(tx: Tx, userId: string, now: Date): Promise<void> {
  await tx.user.updateMany({ where: { id: userId, mustChangePassword: true, temporaryPasswordExpiresAt: { not: null }, temporaryPasswordEndedAt: null }, data: { temporaryPasswordEndedAt: now } });
  await tx.user.updateMany({ where: { id: userId, mustChangePassword: true, temporaryPasswordExpiresAt: { gt: now } }, data: { temporaryPasswordExpiresAt: now } });
}

/** Whether a temporary password is past its end: its own time, or ended by a reset link sent since. */
export function temporaryPasswordExpired(user: { temporaryPasswordExpiresAt: Date | null; temporaryPasswordEndedAt: Date | null }, now: Date): boolean {
  return user.temporaryPasswordEndedAt !== null || (user.temporaryPasswordExpiresAt !== null && user.temporaryPasswordExpiresAt <= now);
}

/** The columns `temporaryPasswordOpen` reads. */
export const TEMPORARY_PASSWORD_SELECT = {
  mustChangePassword: true,
  temporaryPasswordIssuedAt: true,
  temporaryPasswordExpiresAt: true,
  temporaryPasswordEndedAt: true,
  temporaryPasswordUsedAt: true,
} as const;

/**
 * Whether the account holds an admin's temporary password still to be used: given, unused, not past its end.
 * Such a password is checked even while the account is locked (decision 065 addendum).
 */
export function temporaryPasswordOpen(
  user: { mustChangePassword: boolean; temporaryPasswordIssuedAt: Date | null; temporaryPasswordUsedAt: Date | null; temporaryPasswordExpiresAt: Date | null; temporaryPasswordEndedAt: Date | null },
  now: Date,
): boolean {
  return user.mustChangePassword && user.temporaryPasswordIssuedAt !== null && user.temporaryPasswordUsedAt === null && !temporaryPasswordExpired(user, now);
}

/** The same, said to the database: the `WHERE` of a write that holds only while the temporary password does. */
export function temporaryPasswordUnexpired(now: Date) {
  return { temporaryPasswordEndedAt: null, OR: [{ temporaryPasswordExpiresAt: null }, { temporaryPasswordExpiresAt: { gt: now } }] };
}

/**
 * Marks the account's temporary password used, in the transaction that completes a sign-in, which holds
 * the account's row already (holdAccountAsChecked at the password step, lockFactorOwner at the code step):
 * one conditional write (unclaimed and not past its end), so of sign-ins completing at once only one opens,
 * and none once a reset link has ended it (review r36d F3). Its time is read with the row held: a link
 * committed while the sign-in waited for it ended the password before that time, not after (review r36e
 * F1). Null when claimed, or when the account owes no temporary password; else why not.
 */
export async function claimTemporaryPassword(tx: Tx, userId: string): Promise<TemporaryPasswordRefusal | null> {
  const now = new Date();
  const claimed = await tx.user.updateMany({
    where: { id: userId, mustChangePassword: true, temporaryPasswordUsedAt: null, ...temporaryPasswordUnexpired(now) },
    data: { temporaryPasswordUsedAt: now },
  });
  return claimed.count === 1 ? null : temporaryPasswordRefusal(tx, userId, now);
}

/**
 * Why the account's temporary password may not open a sign-in now; null when it may (or none is owed).
 * The password step of a sign-in that still owes its factor asks only this: it claims nothing. So does a
 * sign-in from the browser whose session just claimed it (`claimedByThisSignIn`: a copy of the same form,
 * answered with that session, or one that replaces it): its use is that session's own.
 */
export async function temporaryPasswordRefusal(
  tx: Tx,
  userId: string,
  now: Date,
  { claimedByThisSignIn = false } = {},
): Promise<TemporaryPasswordRefusal | null> {
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { mustChangePassword: true, temporaryPasswordUsedAt: true, temporaryPasswordExpiresAt: true, temporaryPasswordEndedAt: true } });
  if (!user.mustChangePassword) return null;
  if (user.temporaryPasswordUsedAt && !claimedByThisSignIn) return 'TEMPORARY_PASSWORD_USED';
  return temporaryPasswordExpired(user, now) ? 'TEMPORARY_PASSWORD_EXPIRED' : null;
}
