import { recordAudit } from '@/lib/audit/record';
import { db, type Tx } from '@/lib/db/client';
import { revokeResetLinksOfRequest } from '@/lib/password-reset/issue-reset-link';
import { OPEN_STATES, transitionData, transitionWhere } from './state-machine';

export const EXPIRED_REASON = 'Not completed within 7 days.';

type Expirable = { id: string; reference: string; agencyId: string | null };

/**
 * Marks one request EXPIRED if it is open and past its expiry, revoking any link it had, with its
 * audit record, in the caller's transaction. Returns whether it did. Every transition calls this
 * in its own transaction when its conditional UPDATE matched nothing, so a request found expired
 * is marked so at that moment, not when a page next reads it.
 */
export async function expireRequest(tx: Tx, request: Expirable, now = new Date()): Promise<boolean> {
  const before = await tx.superAdminResetRequest.findUnique({ where: { id: request.id }, select: { state: true } });
  const moved = await tx.superAdminResetRequest.updateMany({
    where: transitionWhere('expire', request.id, null, now),
    data: transitionData('expire', { stateReason: EXPIRED_REASON }),
  });
  if (moved.count !== 1) return false;
  const linksRevoked = await revokeResetLinksOfRequest(tx, request.id);
  await recordAudit(tx, {
    actorType: 'SYSTEM',
    agencyId: request.agencyId,
    action: 'SUPER_ADMIN_RESET_EXPIRED',
    targetType: 'SuperAdminResetRequest',
    targetId: request.id,
    outcome: 'SUCCESS',
    details: { reference: request.reference, from: before?.state ?? null, linksRevoked },
  });
  return true;
}

/**
 * Moves every open request past its 7 days to EXPIRED, one audited transaction each. Run on read
 * (queue, request page, status lookup) so lists never show a stale state; the transitions do not
 * rely on it (see expireRequest).
 */
export async function expireRequests(now = new Date()): Promise<number> {
  const due = await db().superAdminResetRequest.findMany({
    where: { state: { in: [...OPEN_STATES] }, expiresAt: { lte: now } },
    select: { id: true, reference: true, agencyId: true },
    take: 500,
  });
  let expired = 0;
  for (const request of due) {
    if (await db().$transaction((tx) => expireRequest(tx, request, now))) expired += 1;
  }
  return expired;
}
