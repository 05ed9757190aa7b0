import { db, type Db } from '@/lib/db/client';
import type { ResetRequestState } from '@/lib/generated/sqlite/enums';
import { describeAge } from './queue-age';

/** Open requests that wait on a verifier (an APPROVED one waits on the account holder). */
export const AWAITING_VERIFIERS = ['SUBMITTED', 'IN_REVIEW', 'NEEDS_INFO', 'VERIFIED'] as const satisfies readonly ResetRequestState[];

/** Operators are mailed when the queue holds this many requests, or its oldest has waited this long. */
export const QUEUE_ALERT_DEPTH = 20;
export const QUEUE_ALERT_OLDEST_MS = 48 * 3600_000;

export type QueueHealth = {
  depth: number;
  oldestAt: Date | null;
  oldestWaited: string | null;
  /** Each threshold passed, in words; empty when none is. */
  reasons: string[];
};

/** The queue's depth and oldest age: no requester's detail, so operators may see it too. */
export async function getQueueHealth(database: Db = db(), now = new Date()): Promise<QueueHealth> {
  const where = { state: { in: [...AWAITING_VERIFIERS] }, expiresAt: { gt: now } };
  const [depth, oldest] = await Promise.all([
    database.superAdminResetRequest.count({ where }),
    database.superAdminResetRequest.findFirst({ where, orderBy: { createdAt: 'asc' }, select: { createdAt: true } }),
  ]);
  const waitedMs = oldest ? now.getTime() - oldest.createdAt.getTime() : 0;
  const oldestWaited = oldest ? describeAge(waitedMs) : null;
  const reasons = [
    ...(depth >= QUEUE_ALERT_DEPTH ? [`${depth} requests are waiting for verifiers (alert at ${QUEUE_ALERT_DEPTH}).`] : []),
    ...(oldest && waitedMs >= QUEUE_ALERT_OLDEST_MS
      ? [`The oldest has waited ${oldestWaited} (alert after ${QUEUE_ALERT_OLDEST_MS / 3600_000} h).`]
      : []),
  ];
  return { depth, oldestAt: oldest?.createdAt ?? null, oldestWaited, reasons };
}
