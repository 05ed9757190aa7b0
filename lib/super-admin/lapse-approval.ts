import { recordAudit } from '@/lib/audit/record';
import { db, type Tx } from '@/lib/db/client';
import { lockRow } from '@/lib/db/lock-row';
import type { Prisma } from '@/lib/generated/sqlite/client';
import { LIVE_LINK } from '@/lib/password-reset/issue-reset-link';
import { transitionData, transitionWhere } from './state-machine';

export const LINK_LAPSED_REASON =
  'Its link expired or was revoked before it was used, so the password was not set through it. A new request, verified again from the start, is the way back.';

type Lapsable = { id: string; reference: string; agencyId: string | null };

/**
 * The one rule of when an approval is spent: none of the request's links was used and none can be.
 * An approved request holds the account's one open slot while its link can still complete it; once
 * the link's hours have passed or anything revoked it (another admin's reset or link, a role change,
 * a disable), holding the slot would leave a locked-out lone super admin with no way back for the rest
 * of the 7 days: a new filing would only attach to it, and no verifier step applies to APPROVED. (Its
 * mail given up as dead ends nothing: the slot is held until the link's own hours pass; review r51h I1.)
 */
const linkStillCounts = (now: Date): Prisma.PasswordResetTokenWhereInput => ({ OR: [{ usedAt: { not: null } }, LIVE_LINK(now)] });

/**
 * Closes an approved request whose link died unused (the `lapse` transition, to EXPIRED, freeing
 * the account's slot), with its audit record, in the caller's transaction. Returns whether it did.
 * The next filing then opens a new request: notices on record, verified and approved again, never
 * approved by itself.
 */
export async function lapseApproval(tx: Tx, request: Lapsable, now = new Date()): Promise<boolean> {
  // Taken as using the link takes it (reset-password-with-link.ts): a use under way either completes
  // the request first, and its link is then found used, or waits and finds the request closed.
  await lockRow(tx, 'SuperAdminResetRequest', request.id);
  if ((await tx.passwordResetToken.count({ where: { requestId: request.id, ...linkStillCounts(now) } })) > 0) return false;
  const moved = await tx.superAdminResetRequest.updateMany({
    where: transitionWhere('lapse', request.id, null, now),
    data: transitionData('lapse', { stateReason: LINK_LAPSED_REASON }),
  });
  if (moved.count !== 1) return false;
  await recordAudit(tx, {
    actorType: 'SYSTEM',
    agencyId: request.agencyId,
    action: 'SUPER_ADMIN_RESET_LINK_LAPSED',
    targetType: 'SuperAdminResetRequest',
    targetId: request.id,
    outcome: 'SUCCESS',
    details: { reference: request.reference, from: 'APPROVED' },
  });
  return true;
}

/**
 * Closes every approved request whose link died unused, one audited transaction each: run on read
 * with the expiry round, so the queue shows such a request closed, with its reason, not waiting.
 */
export async function lapseApprovals(now = new Date()): Promise<number> {
  const approved = await db().superAdminResetRequest.findMany({
    where: { state: 'APPROVED', expiresAt: { gt: now } },
    select: { id: true, reference: true, agencyId: true },
    take: 500,
  });
  if (approved.length === 0) return 0;
  const live = await db().passwordResetToken.findMany({
    where: { requestId: { in: approved.map((request) => request.id) }, ...linkStillCounts(now) },
    select: { requestId: true },
  });
  const holding = new Set(live.map((link) => link.requestId));
  let lapsed = 0;
  for (const request of approved) {
    if (!holding.has(request.id) && (await db().$transaction((tx) => lapseApproval(tx, request, now)))) lapsed += 1;
  }
  return lapsed;
}
