// What the mail worker records of a delivery, and when (review r30c): a message the mail server took
// is recorded as sent when its own send ends, not when the slowest send beside it does, and a record
// the database does not take is written again once it does. Either way a delivered message left
// unrecorded went out a second time when its lease ran out. Real SMTP on loopback, a real database
// made to fail (SQLite locked by another connection, PostgreSQL cut off by a relay).
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { createDb, db, type Db } from '@/lib/db/client';
import { databaseKind } from '@/lib/db/kind';
import { deliverDueMessages, startDeliveryLoop } from '@/lib/mail/worker';
import { logger } from '@/lib/observability/logger.mjs';
import { startDatabaseRelay } from '../support/database-relay';
import { outboxRow, queueTestMail, smtpSinkPerTest, until } from '../support/mail-worker-tests';
import { whileOutboxRefuses } from '../support/refusing-trigger';

const mail = smtpSinkPerTest();
const { transportTo } = mail;

describe('the mail worker records each delivery', () => {
  it('as soon as its own send ends, while a send beside it still hangs', async () => {
    mail.sink.stallOn = (message) => message.subject.startsWith('Hang');
    // The hung send ends only when the round is cut off below.
    const transport = transportTo(mail.sink.url, 10 * 60_000);
    const hung = await queueTestMail('Hang');
    const delivered = await Promise.all([queueTestMail('Deliver'), queueTestMail('Deliver'), queueTestMail('Deliver')]);
    const cut = new AbortController();
    vi.spyOn(logger, 'warn').mockImplementation(() => {});
    const round = deliverDueMessages(db(), transport, { abandon: cut.signal });

    await until(() => mail.sink.received.length === 3 && mail.sink.hungConnections === 1, 'three received and one hung');
    // Were the process to die now, these would not go out again.
    await until(async () => (await db().outboxMessage.count({ where: { id: { in: delivered }, status: 'SENT' } })) === 3, 'the three recorded as sent');
    expect((await outboxRow(hung)).status).toBe('PENDING');

    cut.abort();
    expect(await round).toMatchObject({ claimed: 4, sent: 3, retried: 0 });
    expect(await outboxRow(hung)).toMatchObject({ status: 'PENDING', attempts: 0, leaseOwner: null });
    for (const id of delivered) expect(await outboxRow(id)).toMatchObject({ status: 'SENT', attempts: 1, leaseOwner: null });
  });

  it('once the database takes the record again, when it failed just after the mail server took a message; no new send starts meanwhile', async () => {
    const kind = databaseKind(process.env.DATABASE_URL!);
    // The worker's database, and how it is made to fail and come back.
    let worker: Db;
    let fail: () => void;
    let recover: () => void;
    let close = () => {};
    if (kind === 'sqlite') {
      worker = db();
      const holder = new Database(process.env.DATABASE_URL!.slice('file:'.length));
      fail = () => holder.exec('BEGIN EXCLUSIVE');
      recover = () => holder.inTransaction && holder.exec('ROLLBACK');
      close = () => holder.close();
    } else {
      // A server that stops answering: the record's write hangs until its statement times out.
      const relay = await startDatabaseRelay(process.env.DATABASE_URL!);
      const client = createDb(relay.url, { waitMs: 1000, queryTimeoutMs: 2000 });
      worker = client;
      fail = () => relay.set('frozen');
      recover = () => relay.set('passing');
      close = () => {
        void client.$disconnect();
        relay.close();
      };
    }
    try {
      const ids = await Promise.all(Array.from({ length: 30 }, () => queueTestMail('Outage')));
      // The database goes as the mail server takes the first message; it is back when the worker has found it gone.
      let gone = false;
      mail.sink.stallOn = () => {
        if (!gone) fail();
        gone = true;
        return false;
      };
      // How many the mail server had taken when the worker found the database gone: the sends under
      // way then, and those that had waited for their record; not the whole batch.
      let takenWhenFoundGone = -1;
      const retried = vi.spyOn(logger, 'warn').mockImplementation((line: unknown) => {
        if ((line as { event?: string }).event !== 'mail.record_retried') return;
        if (takenWhenFoundGone < 0) takenWhenFoundGone = mail.sink.received.length;
        recover();
      });
      const round = await deliverDueMessages(worker, transportTo(mail.sink.url, 5_000));
      recover();
      expect(retried).toHaveBeenCalledWith(expect.objectContaining({ event: 'mail.record_retried' }));
      expect(takenWhenFoundGone).toBeGreaterThan(0);
      expect(takenWhenFoundGone).toBeLessThanOrEqual(20);
      // Whatever the round sent is recorded; what it did not start was given back, and goes next.
      expect(round).toMatchObject({ claimed: 30, sent: mail.sink.received.length });
      mail.sink.stallOn = null;
      expect(await deliverDueMessages(db(), transportTo(mail.sink.url, 5_000))).toMatchObject({ sent: 30 - round.sent });

      // Nothing is left to send, now or when any lease would have run out: each message went out once.
      expect(await db().outboxMessage.count({ where: { id: { in: ids }, status: 'SENT', attempts: 1, leaseOwner: null } })).toBe(30);
      expect(await deliverDueMessages(db(), transportTo(mail.sink.url, 5_000), { now: new Date(Date.now() + 10 * 60_000) })).toMatchObject({ claimed: 0 });
      const subjects = mail.sink.received.map((message) => message.subject);
      expect(subjects).toHaveLength(30);
      expect(new Set(subjects).size).toBe(30);
    } finally {
      recover();
      close();
    }
  });

  it('and stops the batch, without hanging, when the database refuses the record for another reason than being away', async () => {
    const ids = await Promise.all(Array.from({ length: 50 }, () => queueTestMail('Refused')));
    vi.spyOn(logger, 'warn').mockImplementation(() => {});
    // The database refuses the record of "sent" (a trigger): not away, not busy.
    await whileOutboxRefuses('UPDATE', `NEW."status" = 'SENT'`, () =>
      expect(deliverDueMessages(db(), transportTo(mail.sink.url, 5_000))).rejects.toThrow(/outboxMessage\.updateMany/),
    );
    // No send started after the refusal: of the 50, the ten in flight and hardly more went out.
    const delivered = mail.sink.received.length;
    expect(delivered).toBeGreaterThan(0);
    expect(delivered).toBeLessThan(40);
    // What went out stays leased, not given back to be sent again at once; the rest is given back.
    const rows = await db().outboxMessage.findMany({ where: { id: { in: ids } } });
    expect(rows.filter((row) => row.leaseOwner !== null)).toHaveLength(delivered);
    expect(rows.every((row) => row.status === 'PENDING')).toBe(true);
    await db().outboxMessage.updateMany({ where: { id: { in: ids } }, data: { status: 'SENT', leaseOwner: null } });
  });

  /** One worker's database, whose outbox statements that `fail` names fail as a database that is away does (P1001). */
  const failingWhen = (fail: (statement: string, args: { data?: { status?: string } }) => boolean) => {
    const real = db();
    const outbox = new Proxy(real.outboxMessage, {
      get(target, name, receiver) {
        const statement = Reflect.get(target, name, receiver);
        if (typeof name !== 'string' || typeof statement !== 'function') return statement;
        return (args: { data?: { status?: string } }) =>
          fail(name, args ?? {}) ? Promise.reject(Object.assign(new Error("Can't reach database server"), { code: 'P1001' })) : statement.call(target, args);
      },
    });
    return new Proxy(real, { get: (target, name, receiver) => (name === 'outboxMessage' ? outbox : Reflect.get(target, name, receiver)) }) as Db;
  };

  it('a delivery whose record outlasted its lease (an outage longer than five minutes) is said in the log when another worker claimed it meanwhile', async () => {
    const id = await queueTestMail('Outlasted');
    let away = true;
    const warned = vi.spyOn(logger, 'warn').mockImplementation(() => {});
    // A's record of "sent" fails as a database that is away does; the claim before it went through.
    const roundA = deliverDueMessages(failingWhen((statement, args) => away && statement === 'updateMany' && args.data?.status === 'SENT'), transportTo(mail.sink.url, 5_000));
    await until(() => mail.sink.received.length === 1, 'A delivered it');
    // Another worker that never saw the outage claims it once its lease has lapsed (at least once: decision 040).
    await deliverDueMessages(db(), transportTo(mail.sink.url, 5_000), { now: new Date(Date.now() + 6 * 60_000) });
    away = false;
    await roundA;
    expect(mail.sink.received).toHaveLength(2);
    expect(warned).toHaveBeenCalledWith(expect.objectContaining({ event: 'mail.delivered_lease_lost', delivered: 1, recorded: 0, messageIds: [id] }));
  });

  it('a worker back from an outage leaves the messages whose leases lapsed meanwhile to the worker that delivered them, for a while; a worker that saw no outage, or a blip, takes them (reviews r49b F1, r49d F3)', async () => {
    // Delivered by another worker just before the outage, its record still waiting: its lease lapsed during it.
    const lapsed = await queueTestMail('Lapsed');
    await db().outboxMessage.update({ where: { id: lapsed }, data: { leaseOwner: 'the-worker-that-delivered-it', leaseUntil: new Date(Date.now() - 60_000) } });
    let away = true;
    let roundsFailed = 0;
    const stop = startDeliveryLoop(failingWhen(() => away), transportTo(mail.sink.url, 5_000), {
      intervalMs: 20,
      onError: () => void (roundsFailed += 1),
      reclaimAfterOutageMs: 10 * 60_000,
      outageMs: 0,
    });
    try {
      await until(() => roundsFailed >= 2, 'the worker found the database away');
      away = false;
      // Back: it sends what is new at once, and leaves the lapsed one alone.
      const fresh = await queueTestMail('Fresh');
      await until(async () => (await outboxRow(fresh)).status === 'SENT', 'the new message sent');
      expect(await outboxRow(lapsed)).toMatchObject({ status: 'PENDING', leaseOwner: 'the-worker-that-delivered-it' });
      expect(mail.sink.received.map((message) => message.subject.split(' ')[0])).toEqual(['Fresh']);
    } finally {
      await stop();
    }
    // A blip (one round's claim failing, far shorter than any outage a lease could lapse in) holds nothing back.
    let blip = true;
    const stopBlipped = startDeliveryLoop(failingWhen(() => blip), transportTo(mail.sink.url, 5_000), { intervalMs: 20, onError: () => void (blip = false) });
    try {
      await until(async () => (await outboxRow(lapsed)).status === 'SENT', 'the lapsed message sent after a blip');
    } finally {
      await stopBlipped();
    }
    expect(blip).toBe(false);
  });

  it('a worker whose own records waited an outage out leaves the leases that lapsed meanwhile to the worker that delivered them (review r49d F2)', async () => {
    let away = true;
    const retried = vi.spyOn(logger, 'warn').mockImplementation(() => {});
    // Only the records of "sent" fail: the round's claim went through before the database went away.
    const stop = startDeliveryLoop(failingWhen((statement, args) => away && statement === 'updateMany' && args.data?.status === 'SENT'), transportTo(mail.sink.url, 5_000), {
      intervalMs: 20,
      reclaimAfterOutageMs: 10 * 60_000,
      outageMs: 0,
    });
    try {
      const delivered = await queueTestMail('Delivered');
      await until(() => retried.mock.calls.some(([line]) => (line as { event?: string }).event === 'mail.record_retried'), 'its record retried');
      // Meanwhile another worker's delivery, its record waiting too, saw its lease lapse.
      const lapsed = await queueTestMail('Lapsed');
      await db().outboxMessage.update({ where: { id: lapsed }, data: { leaseOwner: 'the-worker-that-delivered-it', leaseUntil: new Date(Date.now() - 60_000) } });
      away = false;
      await until(async () => (await outboxRow(delivered)).status === 'SENT', 'its own record written');
      const fresh = await queueTestMail('Fresh');
      await until(async () => (await outboxRow(fresh)).status === 'SENT', 'the new message sent');
      expect(await outboxRow(lapsed)).toMatchObject({ status: 'PENDING', leaseOwner: 'the-worker-that-delivered-it' });
      expect(mail.sink.received.map((message) => message.subject.split(' ')[0]).sort()).toEqual(['Delivered', 'Fresh']);
    } finally {
      await stop();
    }
  });
});
