import { z } from 'zod';
import { isOwnLatestChange } from '@/lib/audit/own-latest-change';
import { recordAudit } from '@/lib/audit/record';
import { SENT_ALREADY } from '@/lib/http/sent-once';
import type { VendorActor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import type { Prisma } from '@/lib/generated/sqlite/client';
import { queueStatusAlert } from '@/lib/status/fan-out-alert';
import { maintenanceAlertEvent } from '@/lib/maintenance/maintenance-event';
import { LONGEST_WINDOW_MS } from '@/lib/maintenance/schedule-maintenance';
import { assertOperator, idSchema, operatorAudit, operatorChanged, operatorTransaction, timeZoneSchema, wallTimeSchema, withUtcTimes, type OperatorResult } from '@/lib/status/operator-input';

// The operator's actions on a scheduled window. Each is one conditional write, so it applies
// only to a window in the state it expects, even when two operators (or the clock) race.

export const windowIdSchema = z.object({ windowId: idSchema });
export const extendMaintenanceSchema = z
  .object({ windowId: idSchema, endsAt: wallTimeSchema('new end'), timeZone: timeZoneSchema })
  .transform(withUtcTimes({ endsAt: 'new end' }));

const notUpcomingOrRunning = { ok: false, message: 'That window has already ended, was cancelled, or does not exist.', gone: true } as const;

/** A step refused as the window moved on: done, when what moved it was this operator's same step just now (their form sent twice). */
async function goneUnlessOwn(actor: VendorActor, windowId: string, action: string, gone: OperatorResult): Promise<OperatorResult> {
  return (await isOwnLatestChange({ type: 'MaintenanceWindow', id: windowId }, action, actor.vendorAccountId)) ? SENT_ALREADY : gone;
}

/**
 * One step that moves a window by the clock and tells subscribers: a conditional write (the window
 * still where `where` says), its audit record and its alert, in one transaction.
 */
async function moveWindowNow(
  actor: VendorActor,
  windowId: string,
  ip: string,
  step: {
    where: Prisma.MaintenanceWindowWhereInput;
    data: Prisma.MaintenanceWindowUpdateManyMutationInput;
    action: string;
    alert: 'maintenance-started' | 'maintenance-ended';
  },
): Promise<boolean | OperatorResult> {
  return operatorTransaction(actor, ip, step.action, async (tx) => {
    const before = await tx.maintenanceWindow.findUnique({ where: { id: windowId }, select: { startsAt: true, endsAt: true } });
    const changed = await tx.maintenanceWindow.updateMany({ where: { id: windowId, cancelledAt: null, endedAt: null, ...step.where }, data: step.data });
    if (changed.count === 0 || !before) return false;
    // The times it moved from, so a record tells what the window was planned as (review r41f I1).
    const planned = { plannedStart: before.startsAt.toISOString(), plannedEnd: before.endsAt.toISOString() };
    await recordAudit(tx, operatorAudit(actor, ip, step.action, { type: 'MaintenanceWindow', id: windowId }, { early: true, ...planned }));
    await queueStatusAlert(tx, await maintenanceAlertEvent(tx, windowId, step.alert));
    return true;
  });
}

/** Start early: the window begins now (startsAt and startedAt), and subscribers are told. */
export async function startMaintenanceNow(actor: VendorActor, input: z.infer<typeof windowIdSchema>, ip: string): Promise<OperatorResult> {
  assertOperator(actor);
  const now = new Date();
  // Started now, it lasts from now to its planned end: a week at most, as any window (review r41f F1).
  const endsWithinAWeek = { lte: new Date(now.getTime() + LONGEST_WINDOW_MS) };
  const started = await moveWindowNow(actor, input.windowId, ip, {
    where: { startsAt: { gt: now }, endsAt: endsWithinAWeek },
    data: { startsAt: now, startedAt: now },
    action: 'STATUS_MAINTENANCE_STARTED',
    alert: 'maintenance-started',
  });
  if (operatorChanged(started)) return started;
  if (!started) {
    const tooLong = await db().maintenanceWindow.count({ where: { id: input.windowId, cancelledAt: null, endedAt: null, startsAt: { gt: now }, endsAt: { gt: endsWithinAWeek.lte } } });
    if (tooLong) return { ok: false, message: 'Started now, this window would last more than a week, which no window may: cancel it and schedule it again with the right times.' };
    return goneUnlessOwn(actor, input.windowId, 'STATUS_MAINTENANCE_STARTED', { ok: false, message: 'Only a window that has not started yet can be started now.', gone: true });
  }
  return { ok: true, message: 'Maintenance started.', alerted: true };
}

/** Moves the expected end later; the Unavailable page and /status show the new end. */
export async function extendMaintenance(actor: VendorActor, input: z.infer<typeof extendMaintenanceSchema>, ip: string): Promise<OperatorResult> {
  assertOperator(actor);
  const now = new Date();
  let endsAsAsked = false;
  const extended = await operatorTransaction(actor, ip, 'STATUS_MAINTENANCE_EXTENDED', async (tx): Promise<OperatorResult> => {
    const window = await tx.maintenanceWindow.findFirst({ where: { id: input.windowId, cancelledAt: null, endedAt: null, endsAt: { gt: now } }, select: { startsAt: true, endsAt: true } });
    // Ended or cancelled (a stale tab): told so, as every other step, before anything about the time it gives (review r41f I1).
    if (!window) return notUpcomingOrRunning;
    if (input.endsAt <= window.endsAt || input.endsAt <= now) {
      endsAsAsked = input.endsAt.getTime() === window.endsAt.getTime();
      return { ok: false, message: 'There is a problem with what you entered.', fieldErrors: { endsAt: ['The new end must be later than the current end'] } };
    }
    if (input.endsAt.getTime() - window.startsAt.getTime() > LONGEST_WINDOW_MS) {
      return { ok: false, message: 'There is a problem with what you entered.', fieldErrors: { endsAt: ['A window lasts a week at most: plan longer work as another window'] } };
    }
    // Later only than the end it was read with: two operators extending at once never shorten it. And
    // from the start it was read with: one started now meanwhile would last more than a week (review r41h F1).
    const changed = await tx.maintenanceWindow.updateMany({
      where: { id: input.windowId, cancelledAt: null, endedAt: null, startsAt: window.startsAt, endsAt: { gt: now, equals: window.endsAt } },
      data: { endsAt: input.endsAt },
    });
    if (changed.count === 0) {
      const still = await tx.maintenanceWindow.findFirst({ where: { id: input.windowId, cancelledAt: null, endedAt: null, endsAt: { gt: now } } });
      return still
        ? { ok: false, message: 'Someone changed this window a moment ago. Reload the page, check its times, and extend again if needed.' }
        : notUpcomingOrRunning;
    }
    await recordAudit(
      tx,
      operatorAudit(actor, ip, 'STATUS_MAINTENANCE_EXTENDED', { type: 'MaintenanceWindow', id: input.windowId }, {
        from: window.endsAt.toISOString(),
        to: input.endsAt.toISOString(),
      }),
    );
    // Subscribers were told when it would end: they hear of the new end too (review r25b).
    await queueStatusAlert(tx, await maintenanceAlertEvent(tx, input.windowId, 'maintenance-extended'));
    return { ok: true, message: 'Maintenance extended.', alerted: true };
  });
  // It already ends when asked: done, when this operator's own extension put it there just now (their form sent twice).
  return endsAsAsked && !operatorChanged(extended) ? goneUnlessOwn(actor, input.windowId, 'STATUS_MAINTENANCE_EXTENDED', extended) : extended;
}

/** Ends a window in progress now; sign-in opens again within a second. */
export async function endMaintenanceNow(actor: VendorActor, input: z.infer<typeof windowIdSchema>, ip: string): Promise<OperatorResult> {
  assertOperator(actor);
  const now = new Date();
  const ended = await moveWindowNow(actor, input.windowId, ip, {
    where: { startsAt: { lte: now }, endsAt: { gt: now } },
    data: { endedAt: now },
    action: 'STATUS_MAINTENANCE_ENDED',
    alert: 'maintenance-ended',
  });
  if (operatorChanged(ended)) return ended;
  if (!ended) return goneUnlessOwn(actor, input.windowId, 'STATUS_MAINTENANCE_ENDED', { ok: false, message: 'Only a window in progress can be ended.', gone: true });
  return { ok: true, message: 'Maintenance ended.', alerted: true };
}

const notStartedYet = { ok: false, message: 'Only a window that has not started yet can be cancelled.', gone: true } as const;

/** Cancels a window that has not started. */
export async function cancelMaintenance(actor: VendorActor, input: z.infer<typeof windowIdSchema>, ip: string): Promise<OperatorResult> {
  assertOperator(actor);
  const now = new Date();
  const result = await operatorTransaction(actor, ip, 'STATUS_MAINTENANCE_CANCELLED', async (tx) => {
    const changed = await tx.maintenanceWindow.updateMany({
      where: { id: input.windowId, cancelledAt: null, endedAt: null, startsAt: { gt: now } },
      data: { cancelledAt: now },
    });
    if (changed.count === 0) return notStartedYet;
    await recordAudit(tx, operatorAudit(actor, ip, 'STATUS_MAINTENANCE_CANCELLED', { type: 'MaintenanceWindow', id: input.windowId }));
    // Subscribers were told it would happen: they hear that it will not.
    await queueStatusAlert(tx, await maintenanceAlertEvent(tx, input.windowId, 'maintenance-cancelled'));
    return { ok: true, message: 'Maintenance cancelled.', alerted: true } as const;
  });
  return result === notStartedYet ? goneUnlessOwn(actor, input.windowId, 'STATUS_MAINTENANCE_CANCELLED', notStartedYet) : result;
}
