import { z } from 'zod';
import { recordAudit } from '@/lib/audit/record';
import type { VendorActor } from '@/lib/auth/session';
import type { Tx } from '@/lib/db/client';
import { lockRow } from '@/lib/db/lock-row';
import { formKeyField } from '@/lib/http/form-key';
import { answeredByKey, claimFormKey, formAbout, onceForForm, SENT_ALREADY, sentBefore } from '@/lib/http/sent-once';
import { formOwnerOf } from '@/lib/mfa/account';
import { COMPONENT_LINK_SELECT, namesInOrder } from '@/lib/status/component-names';
import { queueStatusAlert } from '@/lib/status/fan-out-alert';
import { assertOperator, idSchema, messageSchema, operatorAudit, operatorChanged, operatorTransaction, type OperatorResult } from '@/lib/status/operator-input';
import { INCIDENT_STATUSES } from '@/lib/status/severity';

export const postIncidentUpdateSchema = z.object({
  incidentId: idSchema,
  status: z.enum(INCIDENT_STATUSES, { error: 'Choose the state' }),
  message: messageSchema,
  ...formKeyField,
});

const FORM = 'post-incident-update';

/** Adds an update to an open incident (the state RESOLVED resolves it) and queues the alert. */
export async function postIncidentUpdate(
  actor: VendorActor,
  input: z.infer<typeof postIncidentUpdateSchema>,
  ip: string,
): Promise<OperatorResult> {
  assertOperator(actor);
  const resolves = input.status === 'RESOLVED';
  const form = formAbout(FORM, input.incidentId);
  const incident = await onceForForm(form, input.formKey, formOwnerOf(actor), SENT_ALREADY, () => operatorTransaction(actor, ip, resolves ? 'STATUS_INCIDENT_RESOLVED' : 'STATUS_INCIDENT_UPDATED', async (tx) => {
    const now = await nextUpdateTime(tx, input.incidentId);
    // Only an open incident takes updates: the condition is part of the write, so two operators
    // resolving at once produce one resolution.
    const changed = await tx.incident.updateMany({
      where: { id: input.incidentId, resolvedAt: null },
      data: { status: input.status, ...(resolves ? { resolvedAt: now } : {}) },
    });
    if (changed.count === 0) return null;
    // Claimed with the work only: a refusal (resolved meanwhile) leaves the rendering free (review r39b F2).
    await claimFormKey(tx, form, input.formKey, formOwnerOf(actor));
    await tx.incidentUpdate.create({
      data: { incidentId: input.incidentId, status: input.status, message: input.message, createdById: actor.vendorAccountId, createdAt: now },
    });
    await recordAudit(
      tx,
      operatorAudit(actor, ip, resolves ? 'STATUS_INCIDENT_RESOLVED' : 'STATUS_INCIDENT_UPDATED', { type: 'Incident', id: input.incidentId }, { status: input.status }),
    );
    const updated = await tx.incident.findUniqueOrThrow({
      where: { id: input.incidentId },
      select: { title: true, impact: true, components: COMPONENT_LINK_SELECT },
    });
    await queueStatusAlert(tx, {
      kind: resolves ? 'incident-resolved' : 'incident-updated',
      title: updated.title,
      impact: updated.impact,
      status: input.status,
      message: input.message,
      components: namesInOrder(updated.components),
    });
    return updated;
  }));
  if (answeredByKey(incident)) return incident;
  if (operatorChanged(incident)) return incident;
  if (!incident) {
    // Resolved by this very rendering, sent before (a browser that sent both clicks, a POST sent again):
    // it was done, and is said so, not "already resolved, nothing changed" (review r51f F1).
    if (await sentBefore(form, input.formKey, formOwnerOf(actor))) return SENT_ALREADY;
    return { ok: false, message: 'That incident is already resolved or does not exist.', gone: true };
  }

  return { ok: true, message: resolves ? `Incident "${incident.title}" resolved.` : 'Update posted.', alerted: true };
}

/**
 * The time of an update about to be posted, with the incident's row held until the transaction ends: later
 * than every update already posted, so the timeline ends with the state this leaves the incident in. Read
 * before the row was held, an update that waited while another was posted took the earlier time and set the
 * incident's state last (review r38a F3); and a clock running behind another instance's must not reorder them.
 */
async function nextUpdateTime(tx: Tx, incidentId: string): Promise<Date> {
  await lockRow(tx, 'Incident', incidentId, { asItsUpdate: true });
  const latest = await tx.incidentUpdate.findFirst({ where: { incidentId }, orderBy: { createdAt: 'desc' }, select: { createdAt: true } });
  const now = new Date();
  return latest && latest.createdAt >= now ? new Date(latest.createdAt.getTime() + 1) : now;
}
