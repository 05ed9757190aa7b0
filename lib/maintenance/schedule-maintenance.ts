import { z } from 'zod';
import { recordAudit } from '@/lib/audit/record';
import type { VendorActor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { formKeyField } from '@/lib/http/form-key';
import { answeredByKey, claimFormKey, onceForForm, SENT_ALREADY } from '@/lib/http/sent-once';
import { formOwnerOf } from '@/lib/mfa/account';
import { queueStatusAlert } from '@/lib/status/fan-out-alert';
import { assertOperator, componentNames, NO_COMPONENT, operatorAudit, operatorChanged, operatorTextSchema, operatorTransaction, timeZoneSchema, titleSchema, wallTimeSchema, withComponentIds, withUtcTimes, type OperatorResult } from '@/lib/status/operator-input';

export const scheduleMaintenanceSchema = withComponentIds({
  title: titleSchema,
  description: operatorTextSchema('Description', 2000).optional(),
  startsAt: wallTimeSchema('start'),
  endsAt: wallTimeSchema('end'),
  timeZone: timeZoneSchema,
  blocksSignIn: z.literal('on').optional(),
  ...formKeyField,
}).transform(withUtcTimes({ startsAt: 'start', endsAt: 'end' }));

const FORM = 'schedule-maintenance';

// A form filled in a minute ago may name "now" as its start.
const START_GRACE_MS = 5 * 60_000;
// A window lasts a week at most: a mistyped end (2036 for 2026) closed sign-in for a decade and
// alerted every subscriber (review r33c I2). Longer work is several windows. Every step that moves a
// start or an end keeps to it: "Start now" too, which moves the start (review r41f F1).
export const LONGEST_WINDOW_MS = 7 * 86_400_000;
// And starts within a year: the same year mistyped in both fields (2036 for 2026) made a window of the
// right length that "Start now" then turned into ten years, and mailed every subscriber about 2036.
const FURTHEST_START_MS = 366 * 86_400_000;

/** Schedules a window and queues its alert; it starts by itself at `startsAt` or when an operator starts it. */
export async function scheduleMaintenance(
  actor: VendorActor,
  input: z.infer<typeof scheduleMaintenanceSchema>,
  ip: string,
): Promise<OperatorResult> {
  assertOperator(actor);
  const fieldErrors: Record<string, string[]> = {};
  const now = Date.now();
  if (input.startsAt.getTime() < now - START_GRACE_MS) fieldErrors.startsAt = ['The start must be in the future'];
  else if (input.startsAt.getTime() > now + FURTHEST_START_MS) fieldErrors.startsAt = ['The start must be within a year from now: check the year'];
  if (input.endsAt <= input.startsAt) fieldErrors.endsAt = ['The end must be after the start'];
  // A start a minute ago is "now"; a window already over would be announced as planned, then as ended (review r41f F2).
  else if (input.endsAt.getTime() <= now) fieldErrors.endsAt = ['The end must be in the future'];
  else if (input.endsAt.getTime() - input.startsAt.getTime() > LONGEST_WINDOW_MS) fieldErrors.endsAt = ['A window lasts a week at most: plan longer work as several windows'];
  const names = await componentNames(db(), input.componentIds);
  if (!names) fieldErrors.components = [NO_COMPONENT];
  if (Object.keys(fieldErrors).length > 0 || !names) return { ok: false, message: 'There is a problem with what you entered.', fieldErrors };

  const blocksSignIn = input.blocksSignIn === 'on';
  const description = input.description || null;
  const done = await onceForForm(FORM, input.formKey, formOwnerOf(actor), SENT_ALREADY, () => operatorTransaction(actor, ip, 'STATUS_MAINTENANCE_SCHEDULED', async (tx) => {
    await claimFormKey(tx, FORM, input.formKey, formOwnerOf(actor));
    const window = await tx.maintenanceWindow.create({
      data: {
        title: input.title,
        description,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        blocksSignIn,
        createdById: actor.vendorAccountId,
        components: { create: input.componentIds.map((componentId) => ({ componentId })) },
      },
      select: { id: true },
    });
    await recordAudit(
      tx,
      operatorAudit(actor, ip, 'STATUS_MAINTENANCE_SCHEDULED', { type: 'MaintenanceWindow', id: window.id }, {
        startsAt: input.startsAt.toISOString(),
        endsAt: input.endsAt.toISOString(),
        blocksSignIn,
      }),
    );
    await queueStatusAlert(tx, {
      kind: 'maintenance-scheduled',
      title: input.title,
      description,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      blocksSignIn,
      components: names,
    });
  }));
  if (answeredByKey(done)) return done;
  if (operatorChanged(done)) return done;

  return { ok: true, message: `Maintenance "${input.title}" scheduled.`, alerted: true };
}
