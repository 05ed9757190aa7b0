import { randomBytes } from 'node:crypto';
import type { Db } from '@/lib/db/client';
import { unseal } from '@/lib/mail/seal';
import { logger } from '@/lib/observability/logger.mjs';
import type { MailTransport } from '@/lib/mail/transport';

/** Waits before each retry (PRODUCT.md: 1 min, 5 min, 15 min, 1 h, 3 h; then dead). */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000, 3 * 60 * 60_000];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** How long a claimed message belongs to one worker; a crashed worker's messages return after it. */
export const LEASE_MS = 5 * 60_000;
const SEND_CONCURRENCY = 10;
/**
 * A chunk of sends starts only while this much of its batch's lease is left: with the SMTP timeouts
 * (lib/mail/transport.ts) even a chunk whose every send hangs ends within it, so no message is still
 * being sent when another worker may claim it. The rest of the batch goes back for the next round.
 */
const LEASE_LEFT_TO_START_MS = LEASE_MS / 2;
const WIPED = '[removed after delivery]';

export type DeliveryReport = { claimed: number; sent: number; retried: number; dead: number };

export function retryDelayMs(attemptsMade: number, random = Math.random): number {
  const base = RETRY_DELAYS_MS[Math.min(attemptsMade, RETRY_DELAYS_MS.length) - 1] ?? RETRY_DELAYS_MS[0]!;
  // ±20% jitter so messages that failed together do not all retry in the same second.
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * Claims due messages and sends them. Claiming is one conditional UPDATE over the candidate
 * ids (row locks on PostgreSQL, the write lock on SQLite), stamped with a fresh lease token,
 * so any number of workers in any number of processes never send one message twice.
 * `abandon` (shutdown past its drain time) closes the transport and gives back what is in flight.
 */
export async function deliverDueMessages(
  database: Db,
  transport: MailTransport,
  options: { batchSize?: number; now?: Date; shouldStop?: () => boolean; abandon?: AbortSignal } = {},
): Promise<DeliveryReport> {
  const batchSize = options.batchSize ?? 50;
  const now = options.now ?? new Date();
  const due = { status: 'PENDING' as const, nextAttemptAt: { lte: now }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] };
  const candidates = await database.outboxMessage.findMany({
    where: due,
    orderBy: { nextAttemptAt: 'asc' },
    take: batchSize,
    select: { id: true },
  });
  const report: DeliveryReport = { claimed: 0, sent: 0, retried: 0, dead: 0 };
  if (candidates.length === 0) return report;

  const lease = randomBytes(12).toString('hex');
  const leaseUntil = new Date(now.getTime() + LEASE_MS);
  await database.outboxMessage.updateMany({
    where: { ...due, id: { in: candidates.map((c) => c.id) } },
    data: { leaseOwner: lease, leaseUntil },
  });
  const claimed = await database.outboxMessage.findMany({ where: { leaseOwner: lease, status: 'PENDING' } });
  report.claimed = claimed.length;

  // Shutdown past its drain time: the sends in flight are cut off, their connections closed before
  // their leases go back below (a send left running could still deliver what another worker sends).
  let onAbandon = () => {};
  const cutOff = new Promise<typeof ABANDONED>((resolve) => {
    onAbandon = () => {
      transport.close();
      resolve(ABANDONED);
    };
  });
  if (options.abandon?.aborted) onAbandon();
  else options.abandon?.addEventListener('abort', onAbandon, { once: true });
  try {
    const inTime = () => Date.now() < leaseUntil.getTime() - LEASE_LEFT_TO_START_MS;
    await sendClaimed(database, transport, lease, claimed, report, { shouldStop: options.shouldStop, inTime, abandon: options.abandon, cutOff });
  } finally {
    options.abandon?.removeEventListener('abort', onAbandon);
    // A worker that stops (shutdown) or fails mid-batch gives back what it did not send, so another
    // worker sends it now rather than after the lease, and nothing it sent is sent again.
    await database.outboxMessage.updateMany({
      where: { leaseOwner: lease, status: 'PENDING' },
      data: { leaseOwner: null, leaseUntil: null },
    });
  }
  return report;
}

const ABANDONED = Symbol('abandoned');

async function sendClaimed(
  database: Db,
  transport: MailTransport,
  lease: string,
  claimed: Awaited<ReturnType<Db['outboxMessage']['findMany']>>,
  report: DeliveryReport,
  { shouldStop, inTime, abandon, cutOff }: { shouldStop?: () => boolean; inTime: () => boolean; abandon?: AbortSignal; cutOff: Promise<typeof ABANDONED> },
): Promise<void> {
  for (let i = 0; i < claimed.length && inTime() && !shouldStop?.() && !abandon?.aborted; i += SEND_CONCURRENCY) {
    const chunk = claimed.slice(i, i + SEND_CONCURRENCY);
    const settled = await Promise.all(chunk.map(async (message) => ({ message, error: await Promise.race([attempt(transport, message), cutOff]) })));
    // A send cut off is no attempt of its own: its message goes back as it was, with the rest of the
    // batch. One that was over before the cut is recorded: above all a sent one, never to be sent again.
    const cut = settled.filter((o) => o.error === ABANDONED);
    const outcomes = settled.filter((o) => !cut.includes(o));
    if (cut.length > 0) logger.warn({ event: 'mail.sends_abandoned', messageIds: cut.map((o) => o.message.id) });
    // One write per chunk for the sent ones (a write per message would bound SQLite at its fsync rate).
    const sent = outcomes.filter((o) => o.error === null).map((o) => o.message);
    for (const sensitive of [false, true]) {
      const ids = sent.filter((m) => m.sensitive === sensitive).map((m) => m.id);
      if (ids.length === 0) continue;
      await database.outboxMessage.updateMany({
        where: { id: { in: ids }, leaseOwner: lease },
        data: {
          status: 'SENT',
          sentAt: new Date(),
          attempts: { increment: 1 },
          lastError: null,
          leaseOwner: null,
          leaseUntil: null,
          // A delivered link has done its job in the outbox: keep no copy of it, sealed or not.
          ...(sensitive ? { textBody: WIPED, htmlBody: WIPED, headers: null } : {}),
        },
      });
    }
    report.sent += sent.length;
    for (const { message, error } of outcomes) {
      if (error === null) continue;
      const attempts = message.attempts + 1;
      const dead = attempts >= MAX_ATTEMPTS;
      await database.outboxMessage.updateMany({
        where: { id: message.id, leaseOwner: lease },
        data: {
          attempts,
          status: dead ? 'DEAD' : 'PENDING',
          nextAttemptAt: new Date(Date.now() + retryDelayMs(attempts)),
          lastError: describe(error),
          leaseOwner: null,
          leaseUntil: null,
        },
      });
      report[dead ? 'dead' : 'retried'] += 1;
      // Who it was for stays in the outbox; the log says which message, how often, and why.
      const line = { event: dead ? 'mail.dead' : 'mail.delivery_failed', messageId: message.id, template: message.template, attempts, error: withoutAddresses(describe(error)) };
      if (dead) logger.error(line);
      else logger.warn(line);
    }
  }
}

/** Null when sent, else why not. */
async function attempt(transport: MailTransport, message: Awaited<ReturnType<Db['outboxMessage']['findMany']>>[number]): Promise<unknown> {
  try {
    await transport.send({
      messageId: message.id,
      to: message.toAddress,
      subject: message.subject,
      text: unseal(message.textBody),
      html: unseal(message.htmlBody),
      headers: message.headers ? (JSON.parse(unseal(message.headers)) as Record<string, string>) : {},
    });
    return null;
  } catch (error) {
    return error;
  }
}

/** A mail server's refusal often quotes the recipient ("550 <someone@…>: no such user"): the log gets it without. */
export function withoutAddresses(text: string): string {
  return text.replace(/[^\s<>"(),;:]+@[^\s<>"'(),;:]+/g, '[address]');
}

function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 500);
}

/** Delivers until nothing is due (tests, the command line worker's --until-empty). */
export async function deliverUntilEmpty(database: Db, transport: MailTransport, batchSize = 50): Promise<DeliveryReport> {
  const total: DeliveryReport = { claimed: 0, sent: 0, retried: 0, dead: 0 };
  for (;;) {
    const report = await deliverDueMessages(database, transport, { batchSize });
    total.claimed += report.claimed;
    total.sent += report.sent;
    total.retried += report.retried;
    total.dead += report.dead;
    if (report.claimed === 0) return total;
  }
}

/**
 * A polling loop for the server process and `npm run mail:worker`; returns a stop function. Stopping
 * lets the sends in flight finish, unless `abandon` fires first: then they are cut off and their
 * messages given back (shutdown past its drain time).
 */
export function startDeliveryLoop(
  database: Db,
  transport: MailTransport,
  options: { intervalMs: number; onError?: (error: unknown) => void; onRound?: () => void },
): (abandon?: AbortSignal) => Promise<void> {
  let stopped = false;
  let wake: (() => void) | undefined;
  const cut = new AbortController();
  const loop = (async () => {
    while (!stopped) {
      let busy = false;
      options.onRound?.();
      try {
        const report = await deliverDueMessages(database, transport, { shouldStop: () => stopped, abandon: cut.signal });
        busy = report.claimed > 0;
      } catch (error) {
        // The database may be down: keep polling, nothing is lost while it is.
        options.onError?.(error);
      }
      if (!busy && !stopped) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, options.intervalMs).unref();
        });
      }
    }
  })();
  return async (abandon) => {
    stopped = true;
    wake?.();
    if (abandon?.aborted) cut.abort();
    else abandon?.addEventListener('abort', () => cut.abort(), { once: true });
    await loop;
  };
}
