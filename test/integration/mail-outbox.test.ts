import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { simpleParser } from 'mailparser';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { recordAudit } from '@/lib/audit/record';
import { db } from '@/lib/db/client';
import { countDeadMessages, countDeadMessagesByCause, requeueDeadMessages } from '@/lib/mail/dead-letters';
import { enqueueMail, enqueueMailBatch, SUBJECT_MAX, UNMAILABLE, UnsafeMailError, type MailMessage } from '@/lib/mail/outbox';
import { renderMail } from '@/lib/mail/render';
import { isSealed } from '@/lib/mail/seal';
import { createFileTransport } from '@/lib/mail/transport';
import { deliverDueMessages, deliverUntilEmpty, MAX_ATTEMPTS } from '@/lib/mail/worker';
import { logger } from '@/lib/observability/logger.mjs';
import { createAgency, uniqueSuffix } from '@/prisma/factories';
import { withSmtpSink } from '../support/with-smtp-sink';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

function message(overrides: Partial<MailMessage> = {}): MailMessage {
  const tag = uniqueSuffix();
  return {
    template: 'test-message',
    to: `person.${tag}@example.test`,
    ...renderMail({ subject: `Test ${tag}`, paragraphs: [`Hello <b>${tag}</b> & welcome`] }),
    ...overrides,
  };
}

// Every test starts with an empty queue, so a worker round only sees that test's messages.
async function drainQueue() {
  await db().outboxMessage.updateMany({ where: { status: 'PENDING' }, data: { status: 'SENT' } });
}

const relay = withSmtpSink();
beforeEach(async () => {
  await drainQueue();
  relay.sink.received.length = 0;
});

describe('outbox', () => {
  it('commits a state change and its message together', async () => {
    const code = `MAIL-${uniqueSuffix().toUpperCase()}`;
    const mail = message();
    await db().$transaction(async (tx) => {
      await tx.agency.create({ data: { code, codeKey: code.toLowerCase(), name: 'Mail Test', phoneOnRecord: '+1 555 0100' } });
      await enqueueMail(tx, mail);
    });
    expect(await db().agency.count({ where: { code } })).toBe(1);
    expect(await db().outboxMessage.count({ where: { toAddress: mail.to } })).toBe(1);
  });

  it('keeps neither the change nor the message when the transaction fails between them', async () => {
    const code = `MAIL-${uniqueSuffix().toUpperCase()}`;
    const mail = message();
    await expect(
      db().$transaction(async (tx) => {
        await tx.agency.create({ data: { code, codeKey: code.toLowerCase(), name: 'Mail Test', phoneOnRecord: '+1 555 0100' } });
        await enqueueMail(tx, mail);
        throw new Error('crash after queuing');
      }),
    ).rejects.toThrow('crash after queuing');
    expect(await db().agency.count({ where: { code } })).toBe(0);
    expect(await db().outboxMessage.count({ where: { toAddress: mail.to } })).toBe(0);
  });

  it('refuses header injection before anything reaches the database, and rolls back the change', async () => {
    const agency = await createAgency(db());
    const attempts: Partial<MailMessage>[] = [
      { subject: 'Hello\r\nBcc: victim@example.test' },
      { headers: { 'List-Unsubscribe': '<https://x.test>\r\nX-Evil: 1' } },
      { headers: { 'X-Custom': 'anything' } as never },
    ];
    for (const overrides of attempts) {
      const mail = message(overrides);
      await expect(
        db().$transaction(async (tx) => {
          await recordAudit(tx, { actorType: 'SYSTEM', action: 'TEST_EVENT', outcome: 'SUCCESS', agencyId: agency.id });
          await enqueueMail(tx, mail);
        }),
      ).rejects.toBeInstanceOf(UnsafeMailError);
    }
    expect(await db().auditEvent.count({ where: { agencyId: agency.id } })).toBe(0);
    expect(await db().outboxMessage.count({ where: { status: 'PENDING' } })).toBe(0);

    // A recipient is an address on record: one with a line break is no fault of the change that mails
    // it, which commits; the message is kept dead, never sent (review r35a F1).
    const injected = 'a@example.test\nBcc: victim@example.test';
    const id = await db().$transaction(async (tx) => {
      await recordAudit(tx, { actorType: 'SYSTEM', action: 'TEST_EVENT', outcome: 'SUCCESS', agencyId: agency.id });
      return enqueueMail(tx, message({ to: injected }));
    });
    expect(await db().outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'DEAD', lastError: UNMAILABLE, toAddress: injected });
    expect(await db().auditEvent.count({ where: { agencyId: agency.id } })).toBe(1);
    await deliverUntilEmpty(db(), relay.smtp);
    expect(await db().outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'DEAD', attempts: 0 });
    expect(relay.sink.received.filter((mail) => mail.to.some((to) => to.includes('victim')))).toEqual([]);
  });

  it('shortens a subject past SUBJECT_MAX characters instead of refusing the message', async () => {
    // Astral letters, an accent riding on the letter before it, a family of four joined emoji: the
    // cut splits none of them.
    const word = '𝒜e\u0301👨‍👩‍👧‍👦 ';
    const mail = message({ subject: `Status: ${word.repeat(60)}` });
    const id = await db().$transaction((tx) => enqueueMail(tx, mail));
    const { subject } = await db().outboxMessage.findUniqueOrThrow({ where: { id } });
    const seen = Array.from(new Intl.Segmenter().segment(subject), (part) => part.segment);
    expect(seen).toHaveLength(SUBJECT_MAX);
    expect(seen.at(-1)).toBe('…');
    expect(`${mail.subject.slice(0, subject.length - 1).trimEnd()}…`).toBe(subject);
    expect(subject.isWellFormed()).toBe(true);
    const short = message();
    const shortId = await db().$transaction((tx) => enqueueMail(tx, short));
    expect((await db().outboxMessage.findUniqueOrThrow({ where: { id: shortId } })).subject).toBe(short.subject);
  });

  it('delivers content and headers as sent, over real SMTP, exactly once', async () => {
    const mail = message({
      headers: { 'List-Unsubscribe': '<https://portal.test/status/unsubscribe?t=abc>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
    const id = await db().$transaction((tx) => enqueueMail(tx, mail));
    // A link with a token, in the headers of a message no template flagged: sealed all the same.
    const queued = await db().outboxMessage.findUniqueOrThrow({ where: { id } });
    expect([queued.sensitive, isSealed(queued.headers!), JSON.stringify(queued).includes('t=abc')]).toEqual([true, true, false]);
    expect(await deliverUntilEmpty(db(), relay.smtp)).toMatchObject({ sent: 1 });
    expect(await deliverUntilEmpty(db(), relay.smtp)).toMatchObject({ claimed: 0 });

    expect(relay.sink.received).toHaveLength(1);
    const received = relay.sink.received[0]!;
    expect(received.to).toEqual([mail.to]);
    expect(received.subject).toBe(mail.subject);
    expect(received.text).toContain(`Hello <b>`);
    expect(received.html).toContain('&lt;b&gt;');
    expect(received.html).not.toContain('<b>');
    expect(received.messageId).toContain(id);
    expect(received.raw).toMatch(/^List-Unsubscribe: <https:\/\/portal\.test\/status\/unsubscribe\?t=abc>\r?$/m);
    expect(received.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    const row = await db().outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'SENT', attempts: 1, headers: null });
  });

  it('sends the due mail for one person before a burst of bulk copies queued earlier: a reset link does not wait behind 30 status alerts (review r50b F1)', async () => {
    const burst = Array.from({ length: 30 }, () => message({ bulk: true }));
    await db().$transaction((tx) => enqueueMailBatch(tx, burst));
    const oneToOne = message();
    const id = await db().$transaction((tx) => enqueueMail(tx, oneToOne));
    // The first round of five takes it, with four of the burst (sent side by side, in whatever order they arrive).
    expect(await deliverDueMessages(db(), relay.smtp, { batchSize: 5 })).toMatchObject({ sent: 5 });
    expect((await db().outboxMessage.findUniqueOrThrow({ where: { id } })).status).toBe('SENT');
    expect(relay.sink.received.map((mail) => mail.to[0])).toContain(oneToOne.to);
    // The burst goes out all the same, each copy once.
    expect(await deliverUntilEmpty(db(), relay.smtp)).toMatchObject({ sent: 26 });
    expect(relay.sink.received.map((mail) => mail.to[0]).filter((to) => to !== oneToOne.to).sort()).toEqual(burst.map((copy) => copy.to).sort());
  });

  it('a subject holding an encoded word reaches the reader as typed, never decoded into text its rules did not see (review r40b F1)', async () => {
    const hidden = Buffer.from('Login moved: visit carenotes-help.example/reset \u202Eevil').toString('base64');
    const subjects = [`[CareNotes status] Incident: =?UTF-8?B?${hidden}?=`, 'a =?iso-8859-1?q?=E9?= b', `=?UTF-8?B?${hidden}?= ${'long words '.repeat(6)}é`, 'Plain =? and ?= apart'];
    for (const subject of subjects) await db().$transaction((tx) => enqueueMail(tx, message({ subject })));
    expect(await deliverUntilEmpty(db(), relay.smtp)).toMatchObject({ sent: subjects.length });
    expect(relay.sink.received.map((mail) => mail.subject).sort()).toEqual([...subjects].sort());
    expect(relay.sink.received.every((mail) => /^Subject: =\?UTF-8\?B\?/m.test(mail.raw))).toBe(true);
  });

  it('keeps messages queued while the SMTP server is down and delivers each exactly once when it is back', async () => {
    const mails = [message(), message(), message()];
    await db().$transaction((tx) => enqueueMailBatch(tx, mails));
    await relay.sink.stop();
    const down = await deliverDueMessages(db(), relay.smtp);
    expect(down).toMatchObject({ claimed: 3, sent: 0, retried: 3 });
    const queued = await db().outboxMessage.findMany({ where: { toAddress: { in: mails.map((m) => m.to) } } });
    for (const row of queued) {
      expect(row).toMatchObject({ status: 'PENDING', attempts: 1 });
      expect(row.lastError).toBeTruthy();
      // The first retry waits about a minute (±20%).
      const waitMs = row.nextAttemptAt.getTime() - Date.now();
      expect(waitMs).toBeGreaterThan(40_000);
      expect(waitMs).toBeLessThan(75_000);
    }
    // Nothing is due yet: a worker round now sends nothing, even with the server back.
    await relay.sink.start();
    expect(await deliverDueMessages(db(), relay.smtp)).toMatchObject({ claimed: 0 });
    // A minute later...
    expect(await deliverUntilEmpty(db(), relay.smtp, 10)).toMatchObject({ claimed: 0 });
    await deliverDueMessages(db(), relay.smtp, { now: new Date(Date.now() + 2 * 60_000) });
    expect(relay.sink.received.map((m) => m.to[0]).sort()).toEqual(mails.map((m) => m.to).sort());
    await deliverDueMessages(db(), relay.smtp, { now: new Date(Date.now() + 10 * 60_000) });
    expect(relay.sink.received).toHaveLength(3);
  });

  it('marks a message dead after the last attempt, logs each failure (never the address), and an operator can queue it again', async () => {
    const mail = message();
    const id = await db().$transaction((tx) => enqueueMail(tx, mail));
    await relay.sink.stop();
    const warned = vi.spyOn(logger, 'warn').mockImplementation(() => {});
    const errored = vi.spyOn(logger, 'error').mockImplementation(() => {});
    let later = Date.now();
    try {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        later += 4 * 3600_000;
        await deliverDueMessages(db(), relay.smtp, { now: new Date(later) });
      }
      const ours = (spy: typeof warned) => spy.mock.calls.map(([line]) => line as unknown as Record<string, unknown>).filter((line) => line.messageId === id);
      expect(ours(warned).map((line) => [line.event, line.attempts])).toEqual(Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => ['mail.delivery_failed', i + 1]));
      expect(ours(errored)).toEqual([expect.objectContaining({ event: 'mail.dead', attempts: MAX_ATTEMPTS, template: mail.template, error: expect.any(String) })]);
      expect(JSON.stringify([...warned.mock.calls, ...errored.mock.calls])).not.toContain(mail.to);
    } finally {
      warned.mockRestore();
      errored.mockRestore();
    }
    expect(await db().outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'DEAD', attempts: MAX_ATTEMPTS });
    expect(await countDeadMessages(db())).toBeGreaterThanOrEqual(1);
    expect((await countDeadMessagesByCause(db())).afterAttempts).toBeGreaterThanOrEqual(1);

    await relay.sink.start();
    // An id that is no dead message's (one typed wrong, a flag) changes nothing and leaves no record (review r34g F4).
    const records = () => db().auditEvent.count({ where: { action: 'MAIL_REQUEUED' } });
    const before = await records();
    expect(await requeueDeadMessages(db(), { id: '--help' })).toBe(0);
    expect(await records()).toBe(before);
    expect(await requeueDeadMessages(db(), { id })).toBe(1);
    expect(await records()).toBe(before + 1);
    await deliverUntilEmpty(db(), relay.smtp);
    expect(relay.sink.received.filter((m) => m.to[0] === mail.to)).toHaveLength(1);
  });

  it('seals a message holding a secret link while queued and wipes it once delivered', async () => {
    const secretLink = `https://portal.test/reset/${uniqueSuffix()}${uniqueSuffix()}`;
    const mail = message({ ...renderMail({ subject: 'Reset', paragraphs: ['Use this link.'], action: { label: 'Reset', url: secretLink } }), sensitive: true });
    const id = await db().$transaction((tx) => enqueueMail(tx, mail));
    const queued = await db().outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(isSealed(queued.textBody) && isSealed(queued.htmlBody)).toBe(true);
    expect(JSON.stringify(queued)).not.toContain(secretLink);

    await deliverUntilEmpty(db(), relay.smtp);
    expect((await relay.sink.waitFor((m) => m.to[0] === mail.to)).text).toContain(secretLink);
    const sent = await db().outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(sent.textBody).not.toContain('sealed:');
    expect(JSON.stringify(sent)).not.toContain(secretLink);
  });

  it('the file transport writes a readable .eml', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'portal-mail-'));
    try {
      const files = createFileTransport(folder);
      const mail = message({ headers: { 'List-Unsubscribe': '<https://portal.test/u>' } });
      const id = await db().$transaction((tx) => enqueueMail(tx, mail));
      await deliverUntilEmpty(db(), files);
      expect(readdirSync(folder)).toEqual([`${id}.eml`]);
      const parsed = await simpleParser(readFileSync(path.join(folder, `${id}.eml`)));
      expect(parsed.subject).toBe(mail.subject);
      expect(parsed.text).toContain('welcome');
      expect(parsed.html).toContain('&lt;b&gt;');
      expect(readFileSync(path.join(folder, `${id}.eml`), 'utf8')).toMatch(/^List-Unsubscribe: <https:\/\/portal\.test\/u>$/m);
      files.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('two worker processes deliver 500 queued messages with no duplicate and no loss', async () => {
    const mails = Array.from({ length: 500 }, () => message());
    await db().$transaction((tx) => enqueueMailBatch(tx, mails));
    const worker = () =>
      run(path.join(root, 'node_modules/.bin/tsx'), ['scripts/mail-worker.ts', '--until-empty'], {
        cwd: root,
        env: { ...process.env, SMTP_URL: relay.sink.url },
      });
    const [first, second] = await Promise.all([worker(), worker()]);
    const sentBy = [first.stdout, second.stdout].map((out) => Number(/sent (\d+)/.exec(out)?.[1] ?? -1));
    expect(sentBy[0]! + sentBy[1]!).toBe(500);

    const ids = relay.sink.received.map((m) => m.messageId);
    expect(ids).toHaveLength(500);
    expect(new Set(ids).size).toBe(500);
    expect(new Set(relay.sink.received.map((m) => m.to[0]))).toEqual(new Set(mails.map((m) => m.to)));
    expect(await db().outboxMessage.count({ where: { toAddress: { in: mails.map((m) => m.to) }, status: 'SENT' } })).toBe(500);
  }, 120_000);
});
