import { z } from 'zod';
import { loadAdminTarget } from '@/lib/admin/admin-target';
import { recordAudit } from '@/lib/audit/record';
import { UNLOCKED } from '@/lib/auth/lockout';
import type { AgencyActor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import type { Result } from '@/lib/result';

export const userIdSchema = z.object({ userId: z.string().min(1).max(64) });

/** Ends a soft or hard lock without touching the password or the sessions. */
export async function unlockUser(actor: AgencyActor, input: z.infer<typeof userIdSchema>, ip: string): Promise<Result> {
  const loaded = await loadAdminTarget(actor, 'users:unlock', input.userId, ip);
  if (!loaded.ok) return loaded;
  await db().$transaction(async (tx) => {
    const before = await tx.user.findUniqueOrThrow({
      where: { id: loaded.target.id },
      select: { failedSignInCount: true, lockedUntil: true, hardLockedAt: true },
    });
    await tx.user.update({
      where: { id: loaded.target.id },
      data: UNLOCKED,
    });
    await recordAudit(tx, {
      actorType: 'USER',
      actorId: actor.userId,
      agencyId: actor.agencyId,
      action: 'ADMIN_ACCOUNT_UNLOCKED',
      targetType: 'User',
      targetId: loaded.target.id,
      ip,
      outcome: 'SUCCESS',
      details: { failuresCleared: before.failedSignInCount, wasHardLocked: before.hardLockedAt !== null },
    });
  });
  return { ok: true, value: undefined };
}
