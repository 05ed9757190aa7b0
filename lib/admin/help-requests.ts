import { z } from 'zod';
import { auditAdminRefusal } from '@/lib/admin/admin-target';
import { canAdmin, requireAdminCapability } from '@/lib/admin/permissions';
import { recordAdminAction } from '@/lib/admin/record-admin-action';
import type { AgencyActor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import type { Result } from '@/lib/result';

/** Open "ask my administrator" requests of the actor's agency, oldest first, and the latest handled ones. */
export async function listHelpRequests(actor: AgencyActor) {
  requireAdminCapability(actor, 'help-requests:handle');
  const select = {
    id: true,
    message: true,
    status: true,
    createdAt: true,
    handledAt: true,
    user: { select: { id: true, displayName: true, loginName: true, lockedUntil: true, hardLockedAt: true, mustChangePassword: true } },
  } as const;
  const [open, handled] = await Promise.all([
    db().helpRequest.findMany({ where: { agencyId: actor.agencyId, status: 'OPEN' }, orderBy: { createdAt: 'asc' }, take: 200, select }),
    db().helpRequest.findMany({ where: { agencyId: actor.agencyId, status: { not: 'OPEN' } }, orderBy: { handledAt: 'desc' }, take: 20, select }),
  ]);
  return { open, handled };
}

export const handleHelpRequestSchema = z.object({
  requestId: z.string().min(1).max(64),
  outcome: z.enum(['RESOLVED', 'DISMISSED']),
});

export async function handleHelpRequest(actor: AgencyActor, input: z.infer<typeof handleHelpRequestSchema>, ip: string): Promise<Result> {
  const decision = canAdmin(actor, 'help-requests:handle');
  if (!decision.allowed) {
    await auditAdminRefusal(actor, 'help-requests:handle', null, decision.reason, ip);
    return { ok: false, message: decision.message };
  }
  return db().$transaction(async (tx): Promise<Result> => {
    // Scoped by agency: another agency's request id matches nothing.
    const updated = await tx.helpRequest.updateMany({
      where: { id: input.requestId, agencyId: actor.agencyId, status: 'OPEN' },
      data: { status: input.outcome, handledAt: new Date(), handledById: actor.userId },
    });
    if (updated.count === 0) return { ok: false, message: 'That request is no longer open.' };
    await recordAdminAction(tx, actor, ip, input.outcome === 'RESOLVED' ? 'HELP_REQUEST_RESOLVED' : 'HELP_REQUEST_DISMISSED', { type: 'HelpRequest', id: input.requestId });
    return { ok: true, value: undefined };
  });
}
