import { z } from 'zod';
import { actOnTargetAsLoaded, loadAdminTarget } from '@/lib/admin/admin-target';
import { recordAdminAction } from '@/lib/admin/record-admin-action';
import { accountLock, accountStreak, LANES_SELECT, lockedConditions, STREAKS_SELECT, UNLOCKED } from '@/lib/auth/lockout';
import type { AgencyActor } from '@/lib/auth/session';
import type { Tx } from '@/lib/db/client';
import { forgetAccountBudgets } from '@/lib/mfa/wrong-codes';
import type { Result } from '@/lib/result';

export const userIdSchema = z.object({ userId: z.string().min(1).max(64) });

/**
 * Ends a soft or hard lock (and the wrong second-factor codes that may have set it) without touching
 * the password or the sessions. An account with neither a lock nor a failure to clear is left alone
 * and nothing is recorded: the same Unlock pressed twice, or on a page from before the lock ended,
 * unlocks once (review r26c N4).
 */
export async function unlockUser(actor: AgencyActor, input: z.infer<typeof userIdSchema>, ip: string): Promise<Result> {
  const loaded = await loadAdminTarget(actor, 'users:unlock', input.userId, ip);
  if (!loaded.ok) return loaded;
  const done = await actOnTargetAsLoaded(actor, 'users:unlock', loaded.target, ip, (tx) => unlockAccount(tx, actor, loaded.target.id, ip, { at: new Date(), bulk: false }));
  if (!done.ok) return done;
  return done.value ? { ok: true, value: undefined } : { ok: false, message: 'This account is not locked: there was nothing to unlock.' };
}

/**
 * Clears an account's lock and failure count, and audits what was cleared, in a conditional write so
 * that two admins at once unlock and audit it once; false when there was nothing left to unlock:
 * no lock at `at` and, for a single account's Unlock (not `bulk`), no failure counted either.
 */
export async function unlockAccount(tx: Tx, actor: AgencyActor, userId: string, ip: string, { at, bulk }: { at: Date; bulk: boolean }): Promise<boolean> {
  const before = await tx.user.findUniqueOrThrow({
    where: { id: userId },
    select: { ...STREAKS_SELECT, ...LANES_SELECT },
  });
  const left = bulk ? lockedConditions(at) : [...lockedConditions(at), { failedSignInCount: { gt: 0 } }, { knownDeviceFailedCount: { gt: 0 } }];
  const done = await tx.user.updateMany({ where: { id: userId, agencyId: actor.agencyId, OR: left }, data: UNLOCKED });
  if (done.count === 0) return false;
  // The lock may be the one spent wrong second-factor codes set: they go with it (lib/mfa/wrong-codes.ts).
  await forgetAccountBudgets(tx, { kind: 'user', id: userId }, { knownBrowserTries: true });
  await recordAdminAction(tx, actor, ip, 'ADMIN_ACCOUNT_UNLOCKED', { type: 'User', id: userId }, {
    ...(bulk ? { bulk: true } : {}),
    failuresCleared: accountStreak(before).failures,
    wasHardLocked: accountLock(before).hardLockedAt !== null,
  });
  return true;
}
