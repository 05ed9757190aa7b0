import { requireAdminCapability } from '@/lib/admin/permissions';
import { temporaryPasswordExpired } from '@/lib/auth/claim-temporary-password';
import { accountLock, accountStreak, isLocked, LANES_SELECT, STREAKS_SELECT } from '@/lib/auth/lockout';
import type { AgencyActor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { describeDelivery, type Delivery } from '@/lib/mail/delivery-state';
import { whyLinkIsDead } from '@/lib/password-reset/issue-reset-link';

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

export type ResetLinkState = 'open' | 'used' | 'ended' | 'expired';

// What a use of the link would find (whyLinkIsDead, the one place that decides), in the console's words.
const LINK_STATE = { 'link already used': 'used', 'link ended': 'ended', 'link expired': 'expired' } as const;

// An agency admin cannot requeue dead mail (that is the vendor's `npm run mail:dead`): what they can do.
const ADMIN_IF_FAILED = 'Check the e-mail address on record and send a new link, or give a temporary password instead and tell the person yourself.';

/**
 * Everything the console shows beside one user: lock state and why, the temporary password's
 * state (never the password), the last reset link an admin mailed and its delivery (never the
 * link or the mail's body), recent audit events. Null for a user of another agency.
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
  const [failures, recentEvents, issuedBy, resetLink] = await Promise.all([
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
    latestAdminResetLink(actor, user.id, now),
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
    resetLink,
    recentEvents,
  };
}

/** The user (already scoped to the actor's agency) is the scope: their tokens carry no agency of their own. */
async function latestAdminResetLink(actor: AgencyActor, userId: string, now: Date): Promise<{
  state: ResetLinkState;
  issuedAt: Date;
  issuedBy: string | null;
  expiresAt: Date;
  usedAt: Date | null;
  endedAt: Date | null;
  delivery: Delivery | null;
} | null> {
  const link = await db().passwordResetToken.findFirst({
    where: { userId, purpose: 'ADMIN_LINK' },
    orderBy: { createdAt: 'desc' },
    select: { createdAt: true, expiresAt: true, usedAt: true, endedAt: true, issuedById: true, mailId: true },
  });
  if (!link) return null;
  const [issuedBy, mail] = await Promise.all([
    link.issuedById ? db().user.findFirst({ where: { id: link.issuedById, agencyId: actor.agencyId }, select: { displayName: true } }) : Promise.resolve(null),
    // Only the delivery columns: the body holds the link. Links sent before mailId was kept have none to read.
    link.mailId
      ? db().outboxMessage.findUnique({ where: { id: link.mailId }, select: { status: true, attempts: true, nextAttemptAt: true, sentAt: true, createdAt: true } })
      : Promise.resolve(null),
  ]);
  const dead = whyLinkIsDead(link, now);
  return {
    state: dead ? LINK_STATE[dead] : 'open',
    issuedAt: link.createdAt,
    issuedBy: issuedBy?.displayName ?? null,
    expiresAt: link.expiresAt,
    usedAt: link.usedAt,
    endedAt: link.endedAt,
    delivery: mail ? describeDelivery(mail, { timeZone: actor.agencyTimeZone, ifFailed: ADMIN_IF_FAILED }) : null,
  };
}
