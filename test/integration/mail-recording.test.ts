// What the mail worker records of a delivery, and when (review r30c): a message the mail server took
// is recorded as sent when its own send ends, not when the slowest send beside it does, and a record
// the database does not take is written again once it does. Either way a delivered message left
// unrecorded went out a second time when its lease ran out. Real SMTP on loopback, a real database
// made to fail (SQLite locked by another connection, PostgreSQL cut off by a relay).
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { createDb, db, type Db } from '@/lib/db/client';
import { databaseKind } from '@/lib/db/kind';
import { deliverDueMessages } from '@/lib/mail/worker';
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
});
