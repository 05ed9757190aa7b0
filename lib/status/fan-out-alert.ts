import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db, Tx } from '@/lib/db/client';
import { enqueueMailBatch } from '@/lib/mail/outbox';
import { statusAlertContent, statusAlertMail, type StatusAlertEvent } from '@/lib/mail/templates/status-alert';
import { subscriptionPath } from '@/lib/status/subscription-token';

/** Subscribers written to the outbox per transaction: short transactions, bounded memory. */
export const FAN_OUT_BATCH_SIZE = 500;
/** How long a runner holds a fan-out without renewing (each batch renews it): many batches' worth. */
export const FAN_OUT_LEASE_MS = 2 * 60_000;

const contentSchema = z.object({ template: z.string(), subject: z.string(), paragraphs: z.array(z.string()) });

type Clock = () => Date;
type Claimed = { id: string; leaseToken: string; content: string; afterSubscriberId: string | null };

class LeaseLost extends Error {}

/**
 * Records that every subscriber is to get the alert, in the transaction of the change it
 * announces: the change and its alert commit together. runStatusAlertFanOuts sends it on.
 */
export async function queueStatusAlert(tx: Tx, event: StatusAlertEvent): Promise<void> {
  await tx.statusAlertFanOut.create({ data: { content: JSON.stringify(statusAlertContent(event)) } });
}

/**
 * Works through every unfinished fan-out, oldest first, including those an instance left
 * mid-way (its lease ran out). Each batch queues one copy per confirmed, not-unsubscribed
 * subscriber and moves the fan-out's cursor in one transaction, walking subscribers by id, so
 * sign-ups during the fan-out neither shift nor repeat a page, and a copy is queued once.
 * Returns how many messages this call queued.
 */
export async function runStatusAlertFanOuts(database: Db, clock: Clock = () => new Date()): Promise<number> {
  let queued = 0;
  for (let fanOut = await claimNext(database, clock); fanOut; fanOut = await claimNext(database, clock)) {
    queued += await work(database, fanOut, clock);
  }
  return queued;
}

async function claimNext(database: Db, clock: Clock): Promise<Claimed | null> {
  for (;;) {
    const now = clock();
    const candidate = await database.statusAlertFanOut.findFirst({
      where: { finishedAt: null, OR: [{ leaseExpiresAt: null }, { leaseExpiresAt: { lt: now } }] },
      orderBy: { createdAt: 'asc' },
      select: { id: true, leaseToken: true, content: true, afterSubscriberId: true },
    });
    if (!candidate) return null;
    const leaseToken = randomUUID();
    // Conditional on the lease as read: of several instances, one takes it.
    const claimed = await database.statusAlertFanOut.updateMany({
      where: { id: candidate.id, finishedAt: null, leaseToken: candidate.leaseToken },
      data: { leaseToken, leaseExpiresAt: new Date(now.getTime() + FAN_OUT_LEASE_MS) },
    });
    if (claimed.count === 1) return { ...candidate, leaseToken };
  }
}

async function work(database: Db, fanOut: Claimed, clock: Clock): Promise<number> {
  const content = contentSchema.parse(JSON.parse(fanOut.content));
  let after = fanOut.afterSubscriberId;
  let queued = 0;
  try {
    for (;;) {
      const subscribers = await database.statusSubscriber.findMany({
        where: { confirmedAt: { not: null }, unsubscribedAt: null, ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: 'asc' },
        take: FAN_OUT_BATCH_SIZE,
        select: { id: true, email: true },
      });
      const last = subscribers.at(-1)?.id ?? after;
      const finished = subscribers.length < FAN_OUT_BATCH_SIZE;
      const messages = subscribers.map((s) => statusAlertMail(s.email, content, subscriptionPath(s.id, 'unsubscribe')));
      queued += await database.$transaction(async (tx) => {
        const count = await enqueueMailBatch(tx, messages);
        const now = clock();
        const kept = await tx.statusAlertFanOut.updateMany({
          where: { id: fanOut.id, leaseToken: fanOut.leaseToken },
          data: finished
            ? { afterSubscriberId: last, queuedCount: { increment: count }, finishedAt: now, leaseToken: null, leaseExpiresAt: null }
            : { afterSubscriberId: last, queuedCount: { increment: count }, leaseExpiresAt: new Date(now.getTime() + FAN_OUT_LEASE_MS) },
        });
        // Another instance took over after our lease ran out: this batch is its to queue.
        if (kept.count === 0) throw new LeaseLost();
        return count;
      });
      after = last;
      if (finished) return queued;
    }
  } catch (error) {
    if (!(error instanceof LeaseLost)) throw error;
    console.warn(`status alert fan-out ${fanOut.id}: lease lost to another instance after ${queued} messages`);
    return queued;
  }
}
