import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '@/lib/db/client';
import { UNMAILABLE, UNSUBSCRIBED } from '@/lib/mail/outbox';
import { isMailableAddress } from '@/lib/validation/email-address';
import { unseal } from '@/lib/mail/seal';
import { isDatabaseUnavailable } from '@/lib/http/unexpected-error';
import { errorFields, logger } from '@/lib/observability/logger.mjs';
import type { MailTransport } from '@/lib/mail/transport';

/** Waits before each retry (PRODUCT.md: 1 min, 5 min, 15 min, 1 h, 3 h; then dead). */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000, 3 * 60 * 60_000];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** How long a claimed message belongs to one worker; a crashed worker's messages return after it. */
export const LEASE_MS = 5 * 60_000;
const SEND_CONCURRENCY = 10;
/**
 * A chunk of sends starts only while this much of its batch's lease is left: with each send's deadline
 * (lib/mail/transport.ts) even a chunk whose every send hangs or trickles ends within it, so no message is still
 * being sent when another worker may claim it. The rest of the batch goes back for the next round.
 */
const LEASE_LEFT_TO_START_MS = LEASE_MS / 2;
/**
 * After the database comes back from an outage, a worker claims no message whose lease lapsed for this
 * long: a worker that delivered messages just before the outage writes their records again every few
 * seconds (at most 5 s apart, plus a connection's wait), and one that outlasted their leases would
 * otherwise send them a second time, claimed by another instance first (review r49b F1).
 */
export const RECLAIM_AFTER_OUTAGE_MS = 30_000;
/** An outage this short is a blip (a busy SQLite, a pool's wait): no delivery's lease lapses in it, and a crashed instance's mail does not wait for it. */
const OUTAGE_MS = 10_000;
const WIPED = '[removed after delivery]';
const WITHDRAWN_WIPED = '[removed: withdrawn, never sent]';

/**
 * `unopened`: sealed bodies this worker's secrets do not open (a worker left on the old secret while
 * NEXTAUTH_SECRET was rotated, or a changed row). Not the message's fault: given back uncounted.
 */
export type DeliveryReport = { claimed: number; sent: number; retried: number; dead: number; withdrawn: number; unopened: number };

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
  options: {
    batchSize?: number;
    now?: Date;
    shouldStop?: () => boolean;
    abandon?: AbortSignal;
    reclaimLapsed?: boolean;
    /** Told how long the database was away, each time the records of this round's deliveries waited it out. */
    onDatabaseBack?: (awayMs: number) => void;
  } = {},
): Promise<DeliveryReport> {
  const batchSize = options.batchSize ?? 50;
  const now = options.now ?? new Date();
  // `reclaimLapsed: false`: messages another worker claimed are left to it, its lease lapsed or not.
  const unleased = options.reclaimLapsed === false ? [{ leaseUntil: null }] : [{ leaseUntil: null }, { leaseUntil: { lt: now } }];
  const due = { status: 'PENDING' as const, nextAttemptAt: { lte: now }, OR: unleased };
  // Mail for one person first, then bulk copies (status alerts, help requests), oldest first within each: a query
  // for each, which reads its index in order and stops at the batch (one query sorted every due row: r50e F3).
  const dueOf = (bulk: boolean, take: number) =>
    take <= 0 ? [] : database.outboxMessage.findMany({ where: { ...due, bulk }, orderBy: { nextAttemptAt: 'asc' }, take, select: { id: true } });
  const forOnePerson = await dueOf(false, batchSize);
  const candidates = [...forOnePerson, ...(await dueOf(true, batchSize - forOnePerson.length))];
  const report: DeliveryReport = { claimed: 0, sent: 0, retried: 0, dead: 0, withdrawn: 0, unopened: 0 };
  if (candidates.length === 0) return report;

  const lease = randomBytes(12).toString('hex');
  const leaseUntil = new Date(now.getTime() + LEASE_MS);
  await database.outboxMessage.updateMany({
    where: { ...due, id: { in: candidates.map((c) => c.id) } },
    data: { leaseOwner: lease, leaseUntil },
  });
  const claimed = await database.outboxMessage.findMany({ where: { leaseOwner: lease, status: 'PENDING' }, orderBy: [{ bulk: 'asc' }, { nextAttemptAt: 'asc' }] });
  report.claimed = claimed.length;
  const unsubscribed = await unsubscribedSinceQueued(database, claimed);

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
  const recorder = new OutcomeRecorder(database, lease, report, options.abandon, options.onDatabaseBack);
  try {
    const inTime = () => Date.now() < leaseUntil.getTime() - LEASE_LEFT_TO_START_MS;
    await sendClaimed(transport, claimed, recorder, { unsubscribed, shouldStop: options.shouldStop, inTime, abandon: options.abandon, cutOff });
  } finally {
    options.abandon?.removeEventListener('abort', onAbandon);
    // A worker that stops (shutdown) or fails mid-batch gives back what it did not send, so another
    // worker sends it now rather than after the lease; what it delivered and could not record stays
    // leased, so it is not sent again before the lease ends.
    await database.outboxMessage.updateMany({
      where: { leaseOwner: lease, status: 'PENDING', id: { notIn: [...recorder.delivered] } },
      data: { leaseOwner: null, leaseUntil: null },
    });
  }
  return report;
}

const ABANDONED = Symbol('abandoned');

/**
 * The claimed status alerts whose subscriber is no longer subscribed (unsubscribed, waiting to confirm again, or
 * removed) since the alert was queued: PRODUCT.md's one-click unsubscribe holds for an alert already in the
 * outbox, which retries for hours (review r38a F4). One read for a batch that holds alerts, none for one that does not.
 */
async function unsubscribedSinceQueued(database: Db, claimed: OutboxRow[]): Promise<Set<string>> {
  const subscriberIds = [...new Set(claimed.flatMap((message) => (message.statusSubscriberId ? [message.statusSubscriberId] : [])))];
  if (subscriberIds.length === 0) return new Set();
  const subscribed = await database.statusSubscriber.findMany({
    // The fan-out's rule (ACTIVE_SUBSCRIBER, lib/status/count-active-subscribers.ts), said again: a shared layer imports no feature.
    where: { id: { in: subscriberIds }, confirmedAt: { not: null }, unsubscribedAt: null },
    select: { id: true },
  });
  const still = new Set(subscribed.map((subscriber) => subscriber.id));
  return new Set(claimed.filter((message) => message.statusSubscriberId && !still.has(message.statusSubscriberId)).map((message) => message.id));
}

type OutboxRow = Awaited<ReturnType<Db['outboxMessage']['findMany']>>[number];
/** Refused by the mail server (`failed`), or never sent because the body would not open (`unopened`). */
type Refused = { message: OutboxRow; kind: 'failed' | 'unopened'; error: unknown };
/**
 * What became of one message: also sent, or never sent because no mail server can take its recipient
 * (`unmailable`) or its recipient unsubscribed from it (`unsubscribed`).
 */
type Outcome = { message: OutboxRow; kind: 'sent' | 'unmailable' | 'unsubscribed' } | Refused;

/**
 * Sends the claimed messages, SEND_CONCURRENCY at a time, each started only while `inTime`, and
 * records each outcome as soon as it is known: a record that waited for the slowest send beside it
 * (up to the SMTP timeout) left delivered messages unrecorded, and a crash meanwhile sent them again
 * when the lease ran out (review r30c F2).
 */
async function sendClaimed(
  transport: MailTransport,
  claimed: OutboxRow[],
  recorder: OutcomeRecorder,
  {
    unsubscribed,
    shouldStop,
    inTime,
    abandon,
    cutOff,
  }: { unsubscribed: Set<string>; shouldStop?: () => boolean; inTime: () => boolean; abandon?: AbortSignal; cutOff: Promise<typeof ABANDONED> },
): Promise<void> {
  const cut: string[] = [];
  let next = 0;
  const sender = async () => {
    while (next < claimed.length && !recorder.stopped && inTime() && !shouldStop?.() && !abandon?.aborted) {
      if (recorder.behind) {
        if (!(await recorder.caughtUp())) return;
        continue;
      }
      const message = claimed[next++]!;
      const outcome = unsubscribed.has(message.id) ? { message, kind: 'unsubscribed' as const } : await Promise.race([attempt(transport, message), cutOff]);
      // A send cut off is no attempt of its own: its message goes back as it was, with the rest of the
      // batch. One that was over before the cut is recorded: above all a sent one, never to be sent again.
      if (outcome === ABANDONED) cut.push(message.id);
      else recorder.add(outcome);
    }
  };
  try {
    await Promise.all(Array.from({ length: SEND_CONCURRENCY }, sender));
  } finally {
    if (cut.length > 0) logger.warn({ event: 'mail.sends_abandoned', messageIds: cut });
    await recorder.done();
  }
}

/**
 * Writes outcomes as they come: those that arrive while a write is under way go together in the
 * next one (a write per message would bound SQLite at its fsync rate). A write the database does not
 * take is tried again until it does (review r30c F1: a delivered message left unrecorded went out
 * again when its lease ran out), and no new send starts meanwhile; only a shutdown past its drain
 * time gives up, and then the messages delivered stay leased, not given back, so none goes out again
 * before its lease ends. A write refused for any other reason ends the batch (review r30d).
 */
class OutcomeRecorder {
  /** Messages delivered in this batch, recorded or not: never given back. */
  readonly delivered = new Set<string>();
  private waiting: Outcome[] = [];
  private writing: Promise<void> | null = null;
  private failure: { error: unknown } | null = null;
  private retrying = false;
  /** Delivered, and not yet recorded: a write that hangs (a database that stopped answering) stops new sends too. */
  private unrecorded = 0;

  constructor(
    private readonly database: Db,
    private readonly lease: string,
    private readonly report: DeliveryReport,
    private readonly abandon?: AbortSignal,
    private readonly onDatabaseBack?: (awayMs: number) => void,
  ) {}

  /** The database does not take the records, or refused one: no new send starts (each would be one more delivered message at risk of going out twice). */
  get stopped(): boolean {
    return this.retrying || this.failure !== null;
  }

  /** As many delivered messages wait for their record as sends run side by side: the next send waits for the write (caughtUp). */
  get behind(): boolean {
    return this.unrecorded >= SEND_CONCURRENCY;
  }

  /** After the write under way; false when there is none to wait for (then nothing will catch up). */
  async caughtUp(): Promise<boolean> {
    if (!this.writing) return false;
    await this.writing;
    return true;
  }

  add(outcome: Outcome): void {
    if (outcome.kind === 'sent') {
      this.delivered.add(outcome.message.id);
      this.unrecorded += 1;
    }
    this.waiting.push(outcome);
    if (!this.writing && !this.failure) this.writing = this.writeWhatIsWaiting();
  }

  /** Once everything added is written; throws what stopped the writes, if anything did. */
  async done(): Promise<void> {
    for (let writing = this.writing; writing; writing = this.writing === writing ? null : this.writing) await writing;
    if (this.failure) throw this.failure.error;
  }

  private async writeWhatIsWaiting(): Promise<void> {
    try {
      while (this.waiting.length > 0 && !this.failure) {
        // Outcomes of sends that end in the same turn of the event loop go in one write.
        await new Promise((resolve) => setImmediate(resolve));
        const outcomes = this.waiting.splice(0);
        const sent = outcomes.filter((o) => o.kind === 'sent').map((o) => o.message);
        if (sent.length > 0) await this.untilWritten(() => this.recordSent(sent));
        for (const outcome of outcomes) {
          if (outcome.kind === 'unmailable') await this.untilWritten(() => this.recordUnmailable(outcome.message));
          else if (outcome.kind === 'unsubscribed') await this.untilWritten(() => this.recordUnsubscribed(outcome.message));
          else if (outcome.kind === 'unopened') await this.untilWritten(() => this.recordUnopened(outcome));
          else if (outcome.kind === 'failed') await this.untilWritten(() => this.recordFailed(outcome));
        }
      }
    } catch (error) {
      this.failure = { error };
    } finally {
      this.writing = null;
    }
  }

  private async untilWritten(write: () => Promise<void>): Promise<void> {
    let awaySince: number | undefined;
    for (let pause = 250; ; pause = Math.min(pause * 2, 5_000)) {
      try {
        await write();
        this.retrying = false;
        if (awaySince !== undefined) this.onDatabaseBack?.(Date.now() - awaySince);
        return;
      } catch (error) {
        if (!isDatabaseUnavailable(error) || this.abandon?.aborted) throw error;
        awaySince ??= Date.now();
        this.retrying = true;
        logger.warn({ event: 'mail.record_retried', retryInMs: pause, ...errorFields(error) });
        // A shutdown past its drain time does not wait out the pause.
        await sleep(pause, undefined, { signal: this.abandon }).catch(() => {});
        if (this.abandon?.aborted) throw error;
      }
    }
  }

  private async recordSent(sent: OutboxRow[]): Promise<void> {
    for (const sensitive of [false, true]) {
      const ids = sent.filter((m) => m.sensitive === sensitive).map((m) => m.id);
      if (ids.length === 0) continue;
      const { count } = await this.database.outboxMessage.updateMany({
        where: { id: { in: ids }, leaseOwner: this.lease },
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
      // Their leases lapsed while the record waited (an outage longer than the lease), and another worker
      // claimed them: they may go out twice, with the same Message-ID. Said, as it cannot be undone.
      if (count < ids.length) logger.warn({ event: 'mail.delivered_lease_lost', delivered: ids.length, recorded: count, messageIds: ids });
    }
    this.report.sent += sent.length;
    this.unrecorded -= sent.length;
  }

  /**
   * Counted as an attempt, six of them made every sealed message dead (reset links among them) while
   * one worker ran on a secret being rotated away (review r34h L2). The message goes back uncounted,
   * due again in a minute, for a worker that opens it; the log says so at error level, every time.
   */
  private async recordUnopened({ message, error }: Refused): Promise<void> {
    await this.database.outboxMessage.updateMany({
      where: { id: message.id, leaseOwner: this.lease },
      data: { nextAttemptAt: new Date(Date.now() + retryDelayMs(1)), lastError: describe(error), leaseOwner: null, leaseUntil: null },
    });
    this.report.unopened += 1;
    logger.error({ event: 'mail.unopened', messageId: message.id, template: message.template, attempts: message.attempts, error: describe(error) });
  }

  /**
   * A message queued dead for its recipient (outbox.ts) and queued again by hand: checked again before
   * each send, as nodemailer reads "ann@x; bob@x" as two recipients and "not an address@x" as
   * "address@x" (review r35c F1). Dead again, never sent.
   */
  private async recordUnmailable(message: OutboxRow): Promise<void> {
    await this.database.outboxMessage.updateMany({
      where: { id: message.id, leaseOwner: this.lease },
      data: { status: 'DEAD', lastError: UNMAILABLE, leaseOwner: null, leaseUntil: null },
    });
    this.report.dead += 1;
    logger.error({ event: 'mail.unmailable', messageId: message.id, template: message.template, error: UNMAILABLE });
  }

  /**
   * A status alert its subscriber unsubscribed from while it waited: withdrawn, never sent (nor requeued, nor
   * counted as dead mail), and why on record; its unsubscribe link, never to be sent, is wiped as a sent one's is.
   */
  private async recordUnsubscribed(message: OutboxRow): Promise<void> {
    await this.database.outboxMessage.updateMany({
      where: { id: message.id, leaseOwner: this.lease },
      data: {
        status: 'WITHDRAWN',
        lastError: UNSUBSCRIBED,
        leaseOwner: null,
        leaseUntil: null,
        ...(message.sensitive ? { textBody: WITHDRAWN_WIPED, htmlBody: WITHDRAWN_WIPED, headers: null } : {}),
      },
    });
    this.report.withdrawn += 1;
    logger.info({ event: 'mail.unsubscribed', messageId: message.id, template: message.template });
  }

  private async recordFailed({ message, error }: Refused): Promise<void> {
    const attempts = message.attempts + 1;
    const dead = attempts >= MAX_ATTEMPTS;
    await this.database.outboxMessage.updateMany({
      where: { id: message.id, leaseOwner: this.lease },
      data: {
        attempts,
        status: dead ? 'DEAD' : 'PENDING',
        nextAttemptAt: new Date(Date.now() + retryDelayMs(attempts)),
        lastError: describe(error),
        leaseOwner: null,
        leaseUntil: null,
      },
    });
    this.report[dead ? 'dead' : 'retried'] += 1;
    // Who it was for stays in the outbox; the log says which message, how often, and why.
    const line = { event: dead ? 'mail.dead' : 'mail.delivery_failed', messageId: message.id, template: message.template, attempts, error: withoutAddresses(describe(error)) };
    if (dead) logger.error(line);
    else logger.warn(line);
  }
}

/** The message's outcome: sent, refused by the mail server, or never sent (its recipient, or a body that would not open). */
async function attempt(transport: MailTransport, message: OutboxRow): Promise<Outcome> {
  if (!isMailableAddress(message.toAddress)) return { message, kind: 'unmailable' };
  let opened;
  try {
    opened = {
      text: unseal(message.textBody),
      html: unseal(message.htmlBody),
      headers: message.headers ? (JSON.parse(unseal(message.headers)) as Record<string, string>) : {},
    };
  } catch (error) {
    return { message, kind: 'unopened', error };
  }
  try {
    await transport.send({ messageId: message.id, to: message.toAddress, subject: message.subject, ...opened });
    return { message, kind: 'sent' };
  } catch (error) {
    return { message, kind: 'failed', error };
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
  const total: DeliveryReport = { claimed: 0, sent: 0, retried: 0, dead: 0, withdrawn: 0, unopened: 0 };
  for (;;) {
    const report = await deliverDueMessages(database, transport, { batchSize });
    total.claimed += report.claimed;
    total.sent += report.sent;
    total.retried += report.retried;
    total.dead += report.dead;
    total.withdrawn += report.withdrawn;
    total.unopened += report.unopened;
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
  options: { intervalMs: number; onError?: (error: unknown) => void; onRound?: () => void; reclaimAfterOutageMs?: number; outageMs?: number },
): (abandon?: AbortSignal) => Promise<void> {
  let stopped = false;
  let wake: (() => void) | undefined;
  const cut = new AbortController();
  const reclaimAfterOutageMs = options.reclaimAfterOutageMs ?? RECLAIM_AFTER_OUTAGE_MS;
  // Since when the rounds find the database away (a round's claim failing), and when it came back from an
  // outage, as a round's claim or the records of its deliveries found (they wait an outage out in the round).
  let awaySince: number | undefined;
  let backAt: number | undefined;
  const cameBack = (awayMs: number) => {
    if (awayMs >= (options.outageMs ?? OUTAGE_MS)) backAt = Date.now();
  };
  const loop = (async () => {
    while (!stopped) {
      let busy = false;
      options.onRound?.();
      try {
        const reclaimLapsed = awaySince === undefined && (backAt === undefined || Date.now() - backAt >= reclaimAfterOutageMs);
        const report = await deliverDueMessages(database, transport, { shouldStop: () => stopped, abandon: cut.signal, reclaimLapsed, onDatabaseBack: cameBack });
        if (awaySince !== undefined) cameBack(Date.now() - awaySince);
        awaySince = undefined;
        busy = report.claimed > 0;
      } catch (error) {
        // The database may be down: keep polling, nothing is lost while it is.
        if (isDatabaseUnavailable(error)) awaySince ??= Date.now();
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
