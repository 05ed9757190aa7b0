import { z } from 'zod';
import { recordAudit } from '@/lib/audit/record';
import type { VendorActor } from '@/lib/auth/session';
import { lockRow } from '@/lib/db/lock-row';
import { assertOperator, idSchema, operatorAudit, operatorTransaction, type OperatorResult } from '@/lib/status/operator-input';
import { COMPONENT_STATUS_LABEL, COMPONENT_STATUSES } from '@/lib/status/severity';

export const setComponentStatusSchema = z.object({
  componentId: idSchema,
  status: z.enum(COMPONENT_STATUSES, { error: 'Choose a state' }),
});

/**
 * Sets a component's own state. Open incidents and maintenance in progress are applied on top
 * when the status is read, so resolving an incident never leaves a component stuck in "outage".
 */
export async function setComponentStatus(
  actor: VendorActor,
  input: z.infer<typeof setComponentStatusSchema>,
  ip: string,
): Promise<OperatorResult> {
  assertOperator(actor);
  return operatorTransaction(actor, ip, 'STATUS_COMPONENT_CHANGED', async (tx) => {
    // Read with the row held: two operators at once each record the state the other left (review r38a F2).
    // No more strongly than the update below: an incident or a window being opened on it names it (r38d F1).
    await lockRow(tx, 'StatusComponent', input.componentId, { asItsUpdate: true });
    const before = await tx.statusComponent.findUnique({ where: { id: input.componentId }, select: { name: true, status: true } });
    if (!before) return { ok: false, message: 'That component does not exist.' };
    await tx.statusComponent.update({ where: { id: input.componentId }, data: { status: input.status } });
    await recordAudit(
      tx,
      operatorAudit(actor, ip, 'STATUS_COMPONENT_CHANGED', { type: 'StatusComponent', id: input.componentId }, { from: before.status, to: input.status }),
    );
    return { ok: true, message: `${before.name}: ${COMPONENT_STATUS_LABEL[input.status]}.` };
  });
}
