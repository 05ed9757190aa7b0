import { logChainHead } from '@/lib/audit/log-chain-head';
import { db, type Db } from '@/lib/db/client';
import { announceDueMaintenance } from '@/lib/maintenance/announce-due-maintenance';
import { runStatusAlertFanOuts } from '@/lib/status/fan-out-alert';
import { alertQueueHealth } from '@/lib/super-admin/alert-queue-health';
import { removeExpiredSubscriptions } from '@/lib/status/remove-expired-subscriptions';
import { runHousekeeping, type PruneReport } from '@/lib/housekeeping/prune-expired-rows';
import { settleAttemptsLeftToTheRound } from '@/lib/auth/password-attempt';
import { sendDueSprayAlerts } from '@/lib/auth/sign-in-velocity';
import { isStopping } from '@/lib/runtime/stop-signal';
import { warnWhenClockOutOfStep } from '@/lib/db/database-clock';
import { errorFields, logger, runInRoundScope } from '@/lib/observability/logger.mjs';

const CHECK_EVERY_MS = 30_000;
const holder = globalThis as { portalMaintenanceAnnouncer?: NodeJS.Timeout; portalStatusRound?: Promise<void> };

export type StatusRound = {
  announced: number;
  alertsQueued: number;
  expiredSubscriptionsRemoved: number;
  /** Sign-in attempts (and other checks of a secret) a request left to the round: a lock's record, or all of one never settled. */
  attemptsSettled: number;
  /** Agencies whose admins were alerted of a spray of failed sign-ins (lib/auth/sign-in-velocity.ts). */
  sprayAlertsSent: number;
  /** Null when another instance did the housekeeping or it was not due. */
  pruned: PruneReport | null;
};

/**
 * The status work that the clock, not a request, makes due: windows that started or ended
 * (announced with a conditional write, so one instance wins each), alert fan-outs an instance
 * left mid-way, and subscriptions nobody confirmed in time. This is the only place those writes
 * happen by the clock: no GET does them (mail scanners and pollers must not change state).
 * The same 30 s tick tells operators when the verification queue is too deep or too old, and
 * prunes what no rule reads any more (lib/housekeeping), and writes the records of attempts on a
 * secret that requests left to it: the locks they set, and those a dead process or an outage left
 * unsettled (lib/auth/password-attempt.ts), and the alerts of agencies under a spray of sign-ins. It warns
 * while this instance's clock is out of step with the database's (lib/db/database-clock.ts).
 */
export async function runStatusRound(database: Db, now = new Date()): Promise<StatusRound> {
  // Each piece fails on its own: one that cannot finish (a fan-out's error, a database hiccup)
  // holds back neither a lock's record and its owner's mail nor the others (review r33a F1).
  const attemptsSettled = await orLogged('auth.settle_round_failed', 0, () => settleAttemptsLeftToTheRound(database, now));
  const sprayAlertsSent = await orLogged('auth.spray_alert_round_failed', 0, () => sendDueSprayAlerts(database, now));
  const announced = await orLogged('status.announce_failed', 0, () => announceDueMaintenance(database, now));
  const alertsQueued = await orLogged('status.fan_out_failed', 0, () => runStatusAlertFanOuts(database));
  const expiredSubscriptionsRemoved = await orLogged('status.subscription_removal_failed', 0, () => removeExpiredSubscriptions(database, now));
  const pruned = isStopping() ? null : await orLogged('housekeeping.failed', null, () => runHousekeeping(database, now));
  await orLogged('audit.chain_head_failed', null, () => logChainHead(database));
  await orLogged('clock.check_failed', null, () => warnWhenClockOutOfStep(database));
  return { announced, alertsQueued, expiredSubscriptionsRemoved, attemptsSettled, sprayAlertsSent, pruned };
}

async function orLogged<T, F>(event: string, fallback: F, run: () => Promise<T>): Promise<T | F> {
  try {
    return await run();
  } catch (error) {
    logger.error({ event, ...errorFields(error) });
    return fallback;
  }
}

/** Each server instance runs the round every 30 s, whether or not anybody is looking. */
export function startMaintenanceAnnouncer(): void {
  if (holder.portalMaintenanceAnnouncer) return;
  holder.portalMaintenanceAnnouncer = setInterval(() => {
    // A round still running (a long fan-out) is not doubled up; the next tick comes soon enough.
    if (holder.portalStatusRound || isStopping()) return;
    // Its own id on its lines: an error here, with no request behind it, still names its round.
    holder.portalStatusRound = runInRoundScope(async () => {
      try {
        await runStatusRound(db());
      } catch (error) {
        logger.error({ event: 'status.round_failed', ...errorFields(error) });
      }
      try {
        if (!isStopping()) await alertQueueHealth(db());
      } catch (error) {
        logger.error({ event: 'super_admin.queue_alert_failed', ...errorFields(error) });
      }
    }).finally(() => {
      holder.portalStatusRound = undefined;
    });
  }, CHECK_EVERY_MS);
  holder.portalMaintenanceAnnouncer.unref();
}

/** No new round; the running one stops between batches (the stop signal) and gives its leases back. */
export async function stopMaintenanceAnnouncer(): Promise<void> {
  clearInterval(holder.portalMaintenanceAnnouncer);
  await holder.portalStatusRound;
}
