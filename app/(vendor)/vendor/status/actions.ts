'use server';

import { revalidatePath } from 'next/cache';
import type { z } from 'zod';
import { defineAction, donePath, type ActionState } from '@/lib/auth/guards';
import type { VendorActor } from '@/lib/auth/session';
import { livePageChanged } from '@/lib/runtime/live-page-changed';
import {
  cancelMaintenance,
  endMaintenanceNow,
  extendMaintenance,
  extendMaintenanceSchema,
  startMaintenanceNow,
  windowIdSchema,
} from '@/lib/maintenance/change-maintenance';
import { countActiveSubscribers } from '@/lib/status/count-active-subscribers';
import { fanOutAfterResponse } from '@/lib/status/fan-out-after-response';
import { openIncident, openIncidentSchema } from '@/lib/status/open-incident';
import type { OperatorResult } from '@/lib/status/operator-input';
import { postIncidentUpdate, postIncidentUpdateSchema } from '@/lib/status/post-incident-update';
import { scheduleMaintenance, scheduleMaintenanceSchema } from '@/lib/maintenance/schedule-maintenance';
import { setComponentStatus, setComponentStatusSchema } from '@/lib/status/set-component-status';
import { OPERATOR_ACCESS } from '@/lib/status/operator-access';
import { OPERATOR_DONE } from '@/lib/status/operator-done';

/**
 * After a change: this instance's copy of /status in memory is rendered again at once (the other
 * instances see the change in the database within a second), and a queued alert goes out after
 * the response.
 */
async function published(result: OperatorResult): Promise<ActionState> {
  const { alerted, ...state } = result;
  if (!state.ok) return state;
  livePageChanged('/status');
  revalidatePath('/vendor/status');
  if (!alerted) return state;
  const subscribers = await countActiveSubscribers();
  fanOutAfterResponse();
  return { ...state, message: `${state.message} Alerting ${subscribers} ${subscribers === 1 ? 'subscriber' : 'subscribers'} by e-mail.` };
}

/**
 * An operator's change, published. Without JavaScript a success reloads the page with a note of
 * what was done, so that reloading the answer cannot open the incident or send the alerts twice.
 */
function operatorAction<S extends z.ZodType>(name: keyof typeof OPERATOR_DONE, schema: S, change: (actor: VendorActor, input: z.infer<S>, ip: string) => Promise<OperatorResult>) {
  return defineAction(name, OPERATOR_ACCESS, schema, async (actor, input, { ip }) => published(await change(actor, input, ip)), {
    afterSuccessWithoutJavaScript: () => donePath('/vendor/status', name),
  });
}

export const setComponentStatusAction = operatorAction('status-set-component', setComponentStatusSchema, setComponentStatus);
export const openIncidentAction = operatorAction('status-open-incident', openIncidentSchema, openIncident);
export const postIncidentUpdateAction = operatorAction('status-update-incident', postIncidentUpdateSchema, postIncidentUpdate);
export const scheduleMaintenanceAction = operatorAction('status-schedule-maintenance', scheduleMaintenanceSchema, scheduleMaintenance);
export const startMaintenanceAction = operatorAction('status-start-maintenance', windowIdSchema, startMaintenanceNow);
export const extendMaintenanceAction = operatorAction('status-extend-maintenance', extendMaintenanceSchema, extendMaintenance);
export const endMaintenanceAction = operatorAction('status-end-maintenance', windowIdSchema, endMaintenanceNow);
export const cancelMaintenanceAction = operatorAction('status-cancel-maintenance', windowIdSchema, cancelMaintenance);
