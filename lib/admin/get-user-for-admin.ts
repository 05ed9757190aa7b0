import { requireAdminCapability } from '@/lib/admin/permissions';
import { temporaryPasswordExpired } from '@/lib/auth/claim-temporary-password';
import { accountLock, accountStreak, isLocked, LANES_SELECT, STREAKS_SELECT } from '@/lib/auth/lockout';
import type { AgencyActor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';

export type TemporaryPasswordState = 'none' | 'issued' | 'signed-in' | 'used' | 'expired';

export function temporaryPasswordState(
  user: { mustChangePassword: boolean; temporaryPasswordIssuedAt: Date | null; temporaryPasswordExpiresAt: Date | null; temporaryPasswordEndedAt: Date | null; temporaryPasswordUsedAt: Date | null },
  now: Date,
): TemporaryPasswordState {
  if (!user.temporaryPasswordIssuedAt) return 'none';
  if (!user.mustChangePassword) return 'used';
  if (temporaryPasswordExpired(user, now)) return 'expired';
  // It opened a sign-in (single use: it opens no other), and the new password is still to come.
  return user.temporaryPasswordUsedAt ? 'signed-in' : 'issued';
}

/**
 * Everything the console shows beside one user: lock state and why, the temporary password's
 * state (never the password), recent audit events. Null for a user of another agency.
 */
export async function getUserForAdmin(actor: AgencyActor, userId: string, now = new Date()) {
  requireAdminCapability(actor, 'users:read');
  const user = await db().user.findFirst({
    where: { id: userId, agencyId: actor.agencyId },
    select: {
      id: true,
      agencyId: true,
      loginName: true,
      displayName: true,
      email: true,
      phone: true,
      role: true,
      status: true,
      sessionVersion: true,
      mustChangePassword: true,
      temporaryPasswordIssuedAt: true,
      temporaryPasswordIssuedById: true,
      temporaryPasswordExpiresAt: true,
      temporaryPasswordEndedAt: true,
      temporaryPasswordUsedAt: true,
      passwordChangedAt: true,
      ...STREAKS_SELECT,
      ...LANES_SELECT,
      lastSignInAt: true,
      createdAt: true,
    },
  });
  if (!user) return null;

  // Both lanes' streaks (lockout.ts): strangers' failures and those from browsers it signed in from before.
  const streak = accountStreak(user);
  const [failures, recentEvents, issuedBy] = await Promise.all([
    streak.firstFailedAt
      ? db().auditEvent.findMany({
          where: { targetId: user.id, action: 'SIGN_IN_FAILURE', createdAt: { gte: streak.firstFailedAt } },
          select: { ip: true },
          take: 200,
        })
      : Promise.resolve([]),
    db().auditEvent.findMany({
      where: { targetId: user.id, agencyId: actor.agencyId },
      orderBy: { seq: 'desc' },
      take: 15,
      select: { seq: true, createdAt: true, action: true, outcome: true, ip: true, actorType: true, actorId: true },
    }),
    user.temporaryPasswordIssuedById
      ? db().user.findFirst({ where: { id: user.temporaryPasswordIssuedById, agencyId: actor.agencyId }, select: { displayName: true } })
      : Promise.resolve(null),
  ]);

  const lock = accountLock(user);
  const locked = isLocked(lock, now);
  return {
    user,
    lock: {
      locked,
      hard: lock.hardLockedAt !== null,
      lockedUntil: locked && !lock.hardLockedAt ? lock.lockedUntil : null,
      failures: streak.failures,
      firstFailedAt: streak.firstFailedAt,
      lastFailedAt: streak.lastFailedAt,
      addresses: [...new Set(failures.map((f) => f.ip).filter((ip): ip is string => Boolean(ip)))],
    },
    temporaryPassword: {
      state: temporaryPasswordState(user, now),
      issuedAt: user.temporaryPasswordIssuedAt,
      issuedBy: issuedBy?.displayName ?? null,
      expiresAt: user.temporaryPasswordExpiresAt,
    },
    recentEvents,
  };
}
