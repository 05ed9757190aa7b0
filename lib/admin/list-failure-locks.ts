import { requireAdminCapability } from '@/lib/admin/permissions';
import type { AgencyActor } from '@/lib/auth/session';
import { lockedConditions } from '@/lib/auth/lockout';
import { db } from '@/lib/db/client';

/** The console banner's window: accounts locked by failed sign-ins within the last hour. */
export const FAILURE_LOCK_WINDOW_MS = 60 * 60_000;

/** Accounts of the actor's agency that are locked now after a failed password within the window (the banner and bulk unlock). */
export async function listFailureLocks(actor: AgencyActor, now = new Date()) {
  requireAdminCapability(actor, 'users:read');
  return db().user.findMany({
    where: {
      agencyId: actor.agencyId,
      lastFailedSignInAt: { gt: new Date(now.getTime() - FAILURE_LOCK_WINDOW_MS) },
      // A spray's locks: strangers' lane (lockout.ts); the console's user list shows every lock.
      OR: lockedConditions(now, ['anyone']),
    },
    select: { id: true, agencyId: true, role: true, loginName: true },
    orderBy: { id: 'asc' },
  });
}
