'use server';

import { revalidatePath } from 'next/cache';
import { defineAction, type ActionState } from '@/lib/auth/guards';
import { donePath } from '@/lib/http/done-notice';
import type { Actor } from '@/lib/auth/session';
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
import { OPERATOR_DONE, OPERATOR_GONE } from '@/lib/status/operator-done';

/**
 * After a change: this instance's copy of /status in memory is rendered again at once (the other
 * instances see the change in the database within a second), and a queued alert goes out after
 * the response, once that copy is in.
 */
async function published(result: OperatorResult): Promise<ActionState> {
  const { alerted, ...state } = result;
  if (!state.ok) return state;
  const rendered = livePageChanged('/status');
  revalidatePath('/vendor/status');
  if (!alerted) return state;
  const subscribers = await countActiveSubscribers();
  fanOutAfterResponse(rendered);
  return { ...state, message: `${state.message} Alerting ${subscribers} ${subscribers === 1 ? 'subscriber' : 'subscribers'} by e-mail.` };
}

/**
 * Without JavaScript a success reloads the page with a note of what was done, so that reloading the
 * answer cannot open the incident or send the alerts twice (decision 060).
 */
const saysDone = (name: keyof typeof OPERATOR_DONE) => ({ afterSuccessWithoutJavaScript: (_input: unknown, actor: Actor) => donePath('/vendor/status', name, actor) });

type Stem<K> = K extends `${infer Action}-gone` ? Action : never;

/** For a form drawn only while its incident or window lasts: a refusal because it has moved on is said by the page too (ActionOptions). */
const saysDoneOrGone = (name: Stem<keyof typeof OPERATOR_GONE>) => ({
  ...saysDone(name),
  afterGoneWithoutJavaScript: (_input: unknown, actor: Actor) => donePath('/vendor/status', `${name}-gone` satisfies keyof typeof OPERATOR_GONE, actor),
});

export const setComponentStatusAction = defineAction(
  'status-set-component',
  OPERATOR_ACCESS,
  setComponentStatusSchema,
  async (actor, input, { ip }) => published(await setComponentStatus(actor, input, ip)),
  saysDone('status-set-component'),
);

export const openIncidentAction = defineAction(
  'status-open-incident',
  OPERATOR_ACCESS,
  openIncidentSchema,
  async (actor, input, { ip }) => published(await openIncident(actor, input, ip)),
  saysDone('status-open-incident'),
);

export const postIncidentUpdateAction = defineAction(
  'status-update-incident',
  OPERATOR_ACCESS,
  postIncidentUpdateSchema,
  async (actor, input, { ip }) => published(await postIncidentUpdate(actor, input, ip)),
  saysDoneOrGone('status-update-incident'),
);

export const scheduleMaintenanceAction = defineAction(
  'status-schedule-maintenance',
  OPERATOR_ACCESS,
  scheduleMaintenanceSchema,
  async (actor, input, { ip }) => published(await scheduleMaintenance(actor, input, ip)),
  saysDone('status-schedule-maintenance'),
);

export const startMaintenanceAction = defineAction(
  'status-start-maintenance',
  OPERATOR_ACCESS,
  windowIdSchema,
  async (actor, input, { ip }) => published(await startMaintenanceNow(actor, input, ip)),
  saysDoneOrGone('status-start-maintenance'),
);

export const extendMaintenanceAction = defineAction(
  'status-extend-maintenance',
  OPERATOR_ACCESS,
  extendMaintenanceSchema,
  async (actor, input, { ip }) => published(await extendMaintenance(actor, input, ip)),
  saysDoneOrGone('status-extend-maintenance'),
);

export const endMaintenanceAction = defineAction(
  'status-end-maintenance',
  OPERATOR_ACCESS,
  windowIdSchema,
  async (actor, input, { ip }) => published(await endMaintenanceNow(actor, input, ip)),
  saysDoneOrGone('status-end-maintenance'),
);

export const cancelMaintenanceAction = defineAction(
  'status-cancel-maintenance',
  OPERATOR_ACCESS,
  windowIdSchema,
  async (actor, input, { ip }) => published(await cancelMaintenance(actor, input, ip)),
  saysDoneOrGone('status-cancel-maintenance'),
);
