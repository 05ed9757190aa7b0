import { recordAudit, type AuditInput } from '@/lib/audit/record';
import type { AgencyActor } from '@/lib/auth/session';
import type { Tx } from '@/lib/db/client';

/** A console action done, in the log of the admin's own agency (refusals: auditAdminRefusal in admin-target.ts). */
export async function recordAdminAction(
  tx: Tx,
  actor: AgencyActor,
  ip: string,
  action: string,
  target: { type: 'User' | 'HelpRequest' | 'Agency'; id: string },
  details?: AuditInput['details'],
): Promise<void> {
  await recordAudit(tx, {
    actorType: 'USER',
    actorId: actor.userId,
    agencyId: actor.agencyId,
    action,
    targetType: target.type,
    targetId: target.id,
    ip,
    outcome: 'SUCCESS',
    ...(details ? { details } : {}),
  });
}
