import type { Tx } from '@/lib/db/client';
import { lockRow } from '@/lib/db/lock-row';
import type { ResetRequestState } from '@/lib/generated/sqlite/enums';

/**
 * The request's state with its row held until the transaction ends: what an audit record's `from` says.
 * A state read before the row was held may be one another step (a claim, a cancel) has moved on from
 * by the time this step writes (review r38a F2). Null when there is no such request.
 */
export async function stateAsHeld(tx: Tx, requestId: string): Promise<ResetRequestState | null> {
  await lockRow(tx, 'SuperAdminResetRequest', requestId);
  return (await tx.superAdminResetRequest.findUnique({ where: { id: requestId }, select: { state: true } }))?.state ?? null;
}
