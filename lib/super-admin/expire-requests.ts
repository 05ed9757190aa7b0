import { recordAudit } from '@/lib/audit/record';
import { db, type Tx } from '@/lib/db/client';
import { revokeResetLinksOfRequest } from '@/lib/password-reset/issue-reset-link';
import { lapseApproval, lapseApprovals } from './lapse-approval';
import { OPEN_STATES, transitionData, transitionWhere } from './state-machine';
import { stateAsHeld } from './state-as-held';

export const EXPIRED_REASON = 'Not completed within 7 days.';

type Expirable = { id: string; reference: string; agencyId: string | null };

/**
 * Marks one request EXPIRED if it is open and past its expiry, revoking any link it had, with its
 * audit record, in the caller's transaction. Returns whether it did. Every transition calls this
 * in its own transaction when its conditional UPDATE matched nothing, so a request found expired
 * is marked so at that moment, not when a page next reads it.
 */
export async function expireRequest(tx: Tx, request: Expirable, now = new Date()): Promise<boolean> {
  const from = await stateAsHeld(tx, request.id);
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
    details: { reference: request.reference, from, linksRevoked },
  });
  return true;
}

/**
 * Closes the request if nothing more can come of it: past its 7 days, or approved with its link dead
 * unused (lapse-approval.ts). Returns whether it closed it, and so freed the account's open slot.
 * The filing form asks this of the open request before attaching a repeat to it.
 */
export async function closeIfSpent(tx: Tx, request: Expirable, now = new Date()): Promise<boolean> {
  return (await expireRequest(tx, request, now)) || (await lapseApproval(tx, request, now));
}

/**
 * Moves every open request past its 7 days to EXPIRED, one audited transaction each, and closes
 * every approval whose link died unused. Run on read (the queue, a request page) so lists
 * never show a stale state; the transitions and the filing form do not rely on it (see expireRequest
 * and closeIfSpent).
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
  return expired + (await lapseApprovals(now));
}
