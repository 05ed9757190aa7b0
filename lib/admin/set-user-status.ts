import { z } from 'zod';
import { ACTOR_CHANGED_MESSAGE, actorStillAsResolved, type AgencyActor } from '@/lib/auth/session';
import { auditAdminRefusal, loadAdminTarget, lockAgency, otherActiveSuperAdmins } from '@/lib/admin/admin-target';
import { canAdmin, type AdminDecision } from '@/lib/admin/permissions';
import { recordAdminAction } from '@/lib/admin/record-admin-action';
import { endAccountAccess } from '@/lib/auth/end-account-access';
import { endTemporaryPassword } from '@/lib/auth/claim-temporary-password';
import { db } from '@/lib/db/client';
import type { Result } from '@/lib/result';

export const setUserStatusSchema = z.object({
  userId: z.string().min(1).max(64),
  status: z.enum(['ACTIVE', 'DISABLED']),
});

/** Disables (ending every session) or enables an account; the last active super admin stays. */
export async function setUserStatus(actor: AgencyActor, input: z.infer<typeof setUserStatusSchema>, ip: string): Promise<Result> {
  const loaded = await loadAdminTarget(actor, 'users:set-status', input.userId, ip);
  if (!loaded.ok) return loaded;
  const { target } = loaded;
  const outcome = await db().$transaction(async (tx): Promise<Result | { refused: Refusal }> => {
    await lockAgency(tx, actor.agencyId);
    if (!(await actorStillAsResolved(tx, actor))) return { refused: { reason: 'actor-changed', message: ACTOR_CHANGED_MESSAGE } };
    // The role as it is now, under the agency's lock: it may have changed since the target was read.
    const { role, status } = await tx.user.findUniqueOrThrow({ where: { id: target.id }, select: { role: true, status: true } });
    const decision = canAdmin(actor, 'users:set-status', { ...target, role });
    if (!decision.allowed) return { refused: decision };
    // Nothing to change (a second tab, a stale page): said so, and nothing recorded as done.
    if (status === input.status) return { ok: false, message: status === 'ACTIVE' ? 'This account is already active.' : 'This account is already disabled.' };
    if (input.status === 'DISABLED' && role === 'SUPER_ADMIN' && (await otherActiveSuperAdmins(tx, actor.agencyId, target.id)) === 0) {
      return { ok: false, message: 'This is the agency’s only active super administrator: make someone else a super administrator first.' };
    }
    await tx.user.update({
      where: { id: target.id },
      data: { status: input.status, ...(input.status === 'DISABLED' ? { sessionVersion: { increment: 1 } } : {}) },
    });
    if (input.status === 'DISABLED') {
      const now = new Date();
      await endAccountAccess(tx, target.id, now);
      // An unused temporary password is a way in too: enabled again, such an account opens only after a new
      // reset, the temporary password having replaced the owner's (review r42e F1).
      await endTemporaryPassword(tx, target.id, now);
    }
    await recordAdminAction(tx, actor, ip, input.status === 'DISABLED' ? 'ADMIN_ACCOUNT_DISABLED' : 'ADMIN_ACCOUNT_ENABLED', { type: 'User', id: target.id });
    return { ok: true, value: undefined };
  });
  if (!('refused' in outcome)) return outcome;
  // Refused under the lock (the account became an admin after it was loaded): audited like any refusal.
  await auditAdminRefusal(actor, 'users:set-status', target.id, outcome.refused.reason, ip, target.agencyId);
  return { ok: false, message: outcome.refused.message };
}

/** A permission refused under the lock, or the acting admin changed meanwhile. */
type Refusal = Pick<Extract<AdminDecision, { allowed: false }>, 'message'> & { reason: string };
