import { recordAudit } from '@/lib/audit/record';
import { db } from '@/lib/db/client';
import { revokeResetLinksOfRequest } from '@/lib/password-reset/issue-reset-link';
import { OPEN_STATES, transitionWhere } from './state-machine';

export const EXPIRED_REASON = 'Not completed within 7 days.';

/**
 * Moves every open request past its 7 days to EXPIRED, revoking any link it had, one audited
 * transaction each. Run on read (queue, request page, status lookup) rather than by a scheduler:
 * nothing can see a stale state, and there is no job to forget to run.
 */
export async function expireRequests(now = new Date()): Promise<number> {
  const due = await db().superAdminResetRequest.findMany({
    where: { state: { in: [...OPEN_STATES] }, expiresAt: { lte: now } },
    select: { id: true, reference: true, agencyId: true, state: true },
    take: 500,
  });
  let expired = 0;
  for (const request of due) {
    await db().$transaction(async (tx) => {
      const moved = await tx.superAdminResetRequest.updateMany({
        where: { ...transitionWhere('expire', request.id, null), expiresAt: { lte: now } },
        data: { state: 'EXPIRED', stateReason: EXPIRED_REASON },
      });
      if (moved.count !== 1) return;
      const linksRevoked = await revokeResetLinksOfRequest(tx, request.id);
      await recordAudit(tx, {
        actorType: 'SYSTEM',
        agencyId: request.agencyId,
        action: 'SUPER_ADMIN_RESET_EXPIRED',
        targetType: 'SuperAdminResetRequest',
        targetId: request.id,
        outcome: 'SUCCESS',
        details: { reference: request.reference, from: request.state, linksRevoked },
      });
      expired += 1;
    });
  }
  return expired;
}
