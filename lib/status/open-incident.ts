import { z } from 'zod';
import { recordAudit } from '@/lib/audit/record';
import type { VendorActor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { formKeyField } from '@/lib/http/form-key';
import { answeredByKey, claimFormKey, onceForForm, SENT_ALREADY } from '@/lib/http/sent-once';
import { formOwnerOf } from '@/lib/mfa/account';
import { queueStatusAlert } from '@/lib/status/fan-out-alert';
import { assertOperator, componentNames, NO_COMPONENT, messageSchema, operatorAudit, operatorChanged, operatorTransaction, titleSchema, withComponentIds, type OperatorResult } from '@/lib/status/operator-input';
import { INCIDENT_IMPACTS } from '@/lib/status/severity';

export const openIncidentSchema = withComponentIds({
  title: titleSchema,
  impact: z.enum(INCIDENT_IMPACTS, { error: 'Choose the impact' }),
  status: z.enum(['INVESTIGATING', 'IDENTIFIED', 'MONITORING'], { error: 'Choose the state' }),
  message: messageSchema,
  ...formKeyField,
});

const FORM = 'open-incident';

/** Opens an incident with its first update, and queues the alert to the subscribers. */
export async function openIncident(actor: VendorActor, input: z.infer<typeof openIncidentSchema>, ip: string): Promise<OperatorResult> {
  assertOperator(actor);
  const names = await componentNames(db(), input.componentIds);
  if (!names) return { ok: false, message: 'Choose the affected components.', fieldErrors: { components: [NO_COMPONENT] } };

  const done = await onceForForm(FORM, input.formKey, formOwnerOf(actor), SENT_ALREADY, () => operatorTransaction(actor, ip, 'STATUS_INCIDENT_OPENED', async (tx) => {
    await claimFormKey(tx, FORM, input.formKey, formOwnerOf(actor));
    const created = await tx.incident.create({
      data: {
        title: input.title,
        impact: input.impact,
        status: input.status,
        createdById: actor.vendorAccountId,
        components: { create: input.componentIds.map((componentId) => ({ componentId })) },
        updates: { create: { status: input.status, message: input.message, createdById: actor.vendorAccountId } },
      },
      select: { id: true },
    });
    await recordAudit(tx, operatorAudit(actor, ip, 'STATUS_INCIDENT_OPENED', { type: 'Incident', id: created.id }, { impact: input.impact, title: input.title }));
    const { title, impact, status, message } = input;
    await queueStatusAlert(tx, { kind: 'incident-opened', title, impact, status, message, components: names });
  }));
  if (answeredByKey(done)) return done;
  if (operatorChanged(done)) return done;

  return { ok: true, message: `Incident "${input.title}" opened.`, alerted: true };
}
