import type { Tx } from '@/lib/db/client';
import { lockRow } from '@/lib/db/lock-row';
import type { Prisma } from '@/lib/generated/sqlite/client';
import { expireRequest } from './expire-requests';
import { transitionData, transitionWhere, type Transition } from './state-machine';

export type TransitionOutcome = 'taken' | 'expired' | 'refused';

export const EXPIRED_MESSAGE =
  'This request has expired: it was not completed within 7 days, so nothing more can be done with it. The requester can file a new one.';

export type TransitionOptions = {
  data?: Parameters<typeof transitionData>[1];
  /** Further conditions the row must meet (e.g. the checklist done before verifying). */
  where?: Prisma.SuperAdminResetRequestWhereInput;
};

/**
 * Takes a transition with its conditional UPDATE (state, actor and expiry in the WHERE, see
 * transitionWhere). When that matches nothing because the request is past its expiry, the same
 * transaction marks it EXPIRED: a step on an expired request is refused and leaves it closed.
 */
export async function takeTransition(
  tx: Tx,
  transition: Exclude<Transition, 'expire'>,
  request: { id: string; reference: string; agencyId: string | null },
  actorId: string | null,
  options: TransitionOptions = {},
): Promise<TransitionOutcome> {
  const now = await clockWithRowHeld(tx, request.id);
  const moved = await tx.superAdminResetRequest.updateMany({
    where: { ...options.where, ...transitionWhere(transition, request.id, actorId, now) },
    data: transitionData(transition, options.data),
  });
  if (moved.count === 1) return 'taken';
  return (await expireRequest(tx, request, now)) ? 'expired' : 'refused';
}

/**
 * Whether the transition is still this actor's to take (its state, its actor, its expiry), without
 * taking it: a step refused for a reason of its own (a checklist not done) asks this first, since a
 * request another verifier moved on meanwhile is the answer then. A request found past its expiry is
 * marked EXPIRED, as takeTransition does.
 */
export async function transitionStillOpen(
  tx: Tx,
  transition: Exclude<Transition, 'expire'>,
  request: { id: string; reference: string; agencyId: string | null },
  actorId: string | null,
): Promise<'open' | 'expired' | 'refused'> {
  const now = await clockWithRowHeld(tx, request.id);
  if ((await tx.superAdminResetRequest.count({ where: transitionWhere(transition, request.id, actorId, now) })) === 1) return 'open';
  return (await expireRequest(tx, request, now)) ? 'expired' : 'refused';
}

/**
 * The time a step is judged at (the request's expiry), read once the request's row is this transaction's
 * (PostgreSQL): a step that waited for another's commit goes through, or not, at the time it does, not at
 * the time it began to wait, which may be before the request's end (review b38a). Whatever time the step
 * records (approvedAt, completedAt) is its own: only this one decides (review r40c F2).
 */
async function clockWithRowHeld(tx: Tx, requestId: string): Promise<Date> {
  await lockRow(tx, 'SuperAdminResetRequest', requestId, { asItsUpdate: true });
  return new Date();
}
