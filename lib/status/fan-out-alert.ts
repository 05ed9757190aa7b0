import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db, Tx } from '@/lib/db/client';
import { isDatabaseUnavailable } from '@/lib/http/unexpected-error';
import { enqueueMailBatch } from '@/lib/mail/outbox';
import { statusAlertMail, type StatusAlertContent } from '@/lib/mail/templates/status-alert';
import { isStopping } from '@/lib/runtime/stop-signal';
import { unsubscribePath } from '@/lib/status/subscription-token';
import { ACTIVE_SUBSCRIBER } from '@/lib/status/count-active-subscribers';
import { statusAlertContent, type StatusAlertEvent } from '@/lib/status/status-alert-content';
import { errorFields, logger } from '@/lib/observability/logger.mjs';

/** Subscribers written to the outbox per transaction: short transactions, bounded memory. */
export const FAN_OUT_BATCH_SIZE = 500;
/** How long a runner holds a fan-out without renewing (each batch renews it): many batches' worth. */
export const FAN_OUT_LEASE_MS = 2 * 60_000;

const contentSchema = z.object({ template: z.string(), subject: z.string(), paragraphs: z.array(z.string()) });

type Clock = () => Date;

/**
 * A runner's hold on a fan-out. The token changes with every write to the fan-out and every write
 * is conditional on the token last seen, so a runner whose lease was taken over can write nothing,
 * and one that takes over starts from the cursor that goes with the token it saw.
 */
export type FanOutLease = { id: string; token: string; content: StatusAlertContent; afterSubscriberId: string | null };
export type BatchOutcome = { queued: number; next: FanOutLease | 'finished' | 'lease-lost' };

/**
 * Records that every subscriber is to get the alert, in the transaction of the change it
 * announces: the change and its alert commit together. runStatusAlertFanOuts sends it on.
 */
export async function queueStatusAlert(tx: Tx, event: StatusAlertEvent): Promise<void> {
  await tx.statusAlertFanOut.create({ data: { content: JSON.stringify(statusAlertContent(event)) } });
}

/**
 * Works through every unfinished fan-out, oldest first, including those an instance left
 * mid-way (its lease ran out). Returns how many messages this call queued. Alerts go out in the
 * order of their changes: a later one waits while an earlier one is held (claimStatusAlertFanOut).
 */
export async function runStatusAlertFanOuts(database: Db, clock: Clock = () => new Date()): Promise<number> {
  let queued = 0;
  while (!isStopping()) {
    // A claim that fails (the database) ends the run.
    const lease = await claimStatusAlertFanOut(database, clock);
    if (!lease) break;
    queued += await runFanOut(database, lease, clock);
  }
  return queued;
}

/**
 * One fan-out's batches, while its lease holds. One that fails keeps its lease until it runs out
 * (then it is tried again), marked failed, and the fan-outs after it go on now (review r33a F1: one
 * that could never finish held back every later one, and the status round's other work with them).
 */
async function runFanOut(database: Db, lease: FanOutLease, clock: Clock): Promise<number> {
  let queued = 0;
  try {
    for (;;) {
      if (isStopping()) {
        // Shutdown: hand the fan-out over now rather than when the lease runs out; its cursor
        // says where the next runner starts. A fresh token, not none: a claim read before this
        // runner's own claim (when the token was none) must not take it from an older cursor (review r51i F3).
        await database.statusAlertFanOut.updateMany({ where: { id: lease.id, leaseToken: lease.token }, data: { leaseToken: randomUUID(), leaseExpiresAt: null } });
        return queued;
      }
      const outcome = await queueNextBatch(database, lease, clock);
      queued += outcome.queued;
      if (outcome.next === 'lease-lost') logger.warn({ event: 'status.fan_out_lease_lost', fanOutId: lease.id });
      if (typeof outcome.next === 'string') return queued;
      lease = outcome.next;
    }
  } catch (error) {
    logger.error({ event: 'status.fan_out_failed', fanOutId: lease.id, ...errorFields(error) });
    // The database busy or away for a moment: held, the later alerts wait for it, as for a runner gone
    // (review r51i F2). Only a failure that comes back every time sets it aside for them.
    if (!isDatabaseUnavailable(error)) await setAsideAsFailed(database, lease.id, lease.token, clock).catch(() => {});
    return queued;
  }
}

/**
 * Marks a fan-out its runner failed on, keeping the lease: the fan-outs after it may go on until the
 * lease runs out and it is tried again. Not marked (the database away), it holds them back meanwhile,
 * as a fan-out whose runner is gone does.
 */
async function setAsideAsFailed(database: Db, id: string, token: string, clock: Clock): Promise<void> {
  await database.statusAlertFanOut.updateMany({ where: { id, leaseToken: token }, data: { failedAt: clock() } });
}

function readContent(stored: string): FanOutLease['content'] | null {
  try {
    return contentSchema.parse(JSON.parse(stored));
  } catch {
    return null;
  }
}

/**
 * Takes the oldest unfinished fan-out that nobody holds, or whose holder's lease ran out, unless an
 * earlier one is held and not failed: its runner is at work on it, or gone with the lease still on
 * (an instance killed mid-way). The later alert then waits, up to a lease, rather than reach every
 * subscriber before the earlier one ("Resolved" before "Investigating"; review r51e F1).
 */
export async function claimStatusAlertFanOut(database: Db, clock: Clock): Promise<FanOutLease | null> {
  for (;;) {
    const now = clock();
    // Unfinished fan-outs are a handful at most: one per operator's change not yet mailed.
    const unfinished = await database.statusAlertFanOut.findMany({
      where: { finishedAt: null },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { id: true, leaseToken: true, leaseExpiresAt: true, failedAt: true, content: true, afterSubscriberId: true },
    });
    const held = (fanOut: (typeof unfinished)[number]) => fanOut.leaseExpiresAt !== null && fanOut.leaseExpiresAt >= now;
    const candidate = unfinished.find((fanOut) => !held(fanOut) || fanOut.failedAt === null);
    if (!candidate || held(candidate)) return null;
    const token = randomUUID();
    // Conditional on the token as read: if anyone wrote since (another claim, or a batch by the
    // holder we think is gone), this claim fails and the row is read again.
    const claimed = await database.statusAlertFanOut.updateMany({
      where: { id: candidate.id, finishedAt: null, leaseToken: candidate.leaseToken },
      data: { leaseToken: token, leaseExpiresAt: new Date(now.getTime() + FAN_OUT_LEASE_MS), failedAt: null },
    });
    if (claimed.count !== 1) continue;
    const content = readContent(candidate.content);
    if (content) return { id: candidate.id, token, content, afterSubscriberId: candidate.afterSubscriberId };
    // Content this version cannot read: its lease keeps it aside, like a fan-out that fails (runFanOut).
    logger.error({ event: 'status.fan_out_failed', fanOutId: candidate.id, reason: 'content does not read' });
    await setAsideAsFailed(database, candidate.id, token, clock);
  }
}

/**
 * Queues the next batch: one copy per confirmed, not-unsubscribed subscriber after the cursor,
 * walking subscribers by id (sign-ups during the fan-out neither shift nor repeat a page). The
 * mails and the cursor move commit together, or not at all when the lease was lost.
 */
export async function queueNextBatch(database: Db, lease: FanOutLease, clock: Clock): Promise<BatchOutcome> {
  const after = lease.afterSubscriberId;
  const subscribers = await database.statusSubscriber.findMany({
    where: { ...ACTIVE_SUBSCRIBER, ...(after ? { id: { gt: after } } : {}) },
    orderBy: { id: 'asc' },
    take: FAN_OUT_BATCH_SIZE,
    select: { id: true, email: true },
  });
  const last = subscribers.at(-1)?.id ?? after;
  const finished = subscribers.length < FAN_OUT_BATCH_SIZE;
  const messages = subscribers.map((s) => statusAlertMail(s.email, lease.content, { subscriberId: s.id, unsubscribePath: unsubscribePath(s.id) }));
  const token = randomUUID();
  return database.$transaction(async (tx): Promise<BatchOutcome> => {
    const now = clock();
    const moved = await tx.statusAlertFanOut.updateMany({
      where: { id: lease.id, leaseToken: lease.token },
      data: finished
        ? { afterSubscriberId: last, queuedCount: { increment: messages.length }, finishedAt: now, leaseToken: null, leaseExpiresAt: null }
        : { afterSubscriberId: last, queuedCount: { increment: messages.length }, leaseToken: token, leaseExpiresAt: new Date(now.getTime() + FAN_OUT_LEASE_MS) },
    });
    if (moved.count === 0) return { queued: 0, next: 'lease-lost' };
    const queued = await enqueueMailBatch(tx, messages);
    return { queued, next: finished ? 'finished' : { ...lease, token, afterSubscriberId: last } };
  });
}
