import { canAdmin, requireAdminCapability } from '@/lib/admin/permissions';
import type { AgencyActor } from '@/lib/auth/session';
import { lockedConditions } from '@/lib/auth/lockout';
import { db } from '@/lib/db/client';

/** The console banner's window: accounts locked by failed sign-ins within the last hour. */
export const FAILURE_LOCK_WINDOW_MS = 60 * 60_000;

/**
 * How many accounts one bulk unlock takes: a spray may lock thousands, and unlocking them all in one
 * press held the instance for minutes (review r31e F2). The admin presses again for the next ones.
 */
export const FAILURE_LOCKS_PER_UNLOCK = 500;

/**
 * Accounts of the actor's agency locked now after a failed password within the window; with `shownAt`,
 * only those locked by then (what a banner shown at that moment counted): a locked account counts no
 * more failures (lib/auth/sign-in.ts), so its last failure is the one that locked it.
 */
function failureLocksOf(actor: AgencyActor, now: Date, shownAt?: Date) {
  return {
    agencyId: actor.agencyId,
    lastFailedSignInAt: { gt: new Date(now.getTime() - FAILURE_LOCK_WINDOW_MS) },
    // A spray's locks: strangers' lane (lockout.ts); the console's user list shows every lock.
    OR: lockedConditions(now, ['anyone']),
    ...(shownAt && { AND: { lastFailedSignInAt: { lte: shownAt } } }),
  };
}

/** Such accounts (bulk unlock), at most `take` of them. */
export async function listFailureLocks(actor: AgencyActor, now = new Date(), take = FAILURE_LOCKS_PER_UNLOCK, shownAt?: Date) {
  requireAdminCapability(actor, 'users:read');
  return db().user.findMany({ where: failureLocksOf(actor, now, shownAt), select: { id: true, agencyId: true, role: true, loginName: true }, orderBy: { id: 'asc' }, take });
}

/** How many there are, and whether the actor's own account is among them (the banner; nobody unlocks their own). */
export async function countFailureLocks(actor: AgencyActor, now = new Date()): Promise<{ total: number; ownAmongThem: boolean }> {
  requireAdminCapability(actor, 'users:read');
  const where = failureLocksOf(actor, now);
  const [total, own] = await Promise.all([db().user.count({ where }), db().user.count({ where: { ...where, id: actor.userId } })]);
  return { total, ownAmongThem: own > 0 };
}

/**
 * How many of them the actor may unlock: all but their own, if it is among them and the permissions
 * (canAdmin, 'users:unlock') refuse it. The others are not read one by one: that rule looks at whose
 * account it is, not at the other accounts.
 */
export function unlockableOf(actor: AgencyActor, locks: { total: number; ownAmongThem: boolean }): number {
  const own = { id: actor.userId, agencyId: actor.agencyId, role: actor.role };
  return locks.total - (locks.ownAmongThem && !canAdmin(actor, 'users:unlock', own).allowed ? 1 : 0);
}
