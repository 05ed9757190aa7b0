import { z } from 'zod';
import { loadAdminTarget, lockAgency, otherActiveSuperAdmins } from '@/lib/admin/admin-target';
import { recordAudit } from '@/lib/audit/record';
import type { AgencyActor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import type { Result } from '@/lib/result';

export const changeUserRoleSchema = z.object({
  userId: z.string().min(1).max(64),
  role: z.enum(['STAFF', 'PROVIDER_ADMIN', 'SUPER_ADMIN']),
});

/**
 * Grants or revokes admin roles (super admins only). The agency is locked for the check, so
 * two super admins demoting each other at once cannot leave it with none. A role change ends
 * the account's sessions, so new rights and lost rights both apply at once.
 */
export async function changeUserRole(actor: AgencyActor, input: z.infer<typeof changeUserRoleSchema>, ip: string): Promise<Result> {
  const loaded = await loadAdminTarget(actor, 'users:change-role', input.userId, ip);
  if (!loaded.ok) return loaded;
  const { target } = loaded;
  return db().$transaction(async (tx): Promise<Result> => {
    await lockAgency(tx, actor.agencyId);
    const current = await tx.user.findUniqueOrThrow({ where: { id: target.id }, select: { role: true, status: true } });
    if (current.role === input.role) return { ok: true, value: undefined };
    if (
      current.role === 'SUPER_ADMIN' &&
      current.status === 'ACTIVE' &&
      (await otherActiveSuperAdmins(tx, actor.agencyId, target.id)) === 0
    ) {
      return { ok: false, message: 'This is the agency’s only active super administrator: make someone else a super administrator first.' };
    }
    await tx.user.update({ where: { id: target.id }, data: { role: input.role, sessionVersion: { increment: 1 } } });
    await tx.authSession.updateMany({ where: { userId: target.id, endedAt: null }, data: { endedAt: new Date() } });
    await recordAudit(tx, {
      actorType: 'USER',
      actorId: actor.userId,
      agencyId: actor.agencyId,
      action: 'ADMIN_ROLE_CHANGED',
      targetType: 'User',
      targetId: target.id,
      ip,
      outcome: 'SUCCESS',
      details: { from: current.role, to: input.role },
    });
    return { ok: true, value: undefined };
  });
}
