// A mail server that accepts a connection and then never answers: the send fails within the SMTP
// timeout as any failed attempt. Real SMTP on loopback; the tests wait on recorded state, never on
// a guess of time.
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { enqueueMail } from '@/lib/mail/outbox';
import { renderMail } from '@/lib/mail/render';
import { createSmtpTransport, type MailTransport } from '@/lib/mail/transport';
import { deliverDueMessages } from '@/lib/mail/worker';
import { uniqueSuffix } from '@/prisma/factories';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';

// Short, so a hung send fails quickly, yet long enough for a live loopback server on a busy machine.
const TIMEOUT_MS = 2000;

let sink: SmtpSink;
const transports: MailTransport[] = [];
function transportTo(url: string, timeoutMs: number): MailTransport {
  const transport = createSmtpTransport(url, { timeoutMs });
  transports.push(transport);
  return transport;
}

beforeEach(async () => {
  // Every test starts with an empty queue, so a worker round only sees that test's messages.
  await db().outboxMessage.updateMany({ where: { status: 'PENDING' }, data: { status: 'SENT' } });
  sink = await startSmtpSink();
});
afterEach(async () => {
  for (const transport of transports.splice(0)) transport.close();
  await sink.stop();
});

async function queue(subject = 'Test'): Promise<string> {
  const tag = uniqueSuffix();
  const mail = { template: 'test-message', to: `person.${tag}@example.test`, ...renderMail({ subject: `${subject} ${tag}`, paragraphs: ['Hello'] }) };
  return db().$transaction((tx) => enqueueMail(tx, mail));
}

const row = (id: string) => db().outboxMessage.findUniqueOrThrow({ where: { id } });

describe('a mail server that accepts and never answers', () => {
  // Without timeouts of its own the transport waited nodemailer's 10 minutes here (the test's limit is 30 s).
  it('fails a send whose message data is never answered: pending again, its attempt counted, retried on the usual schedule', async () => {
    sink.stallOn = () => true;
    const transport = transportTo(sink.url, TIMEOUT_MS);
    const id = await queue();
    expect(await deliverDueMessages(db(), transport)).toMatchObject({ claimed: 1, sent: 0, retried: 1 });
    expect(sink.stalled).toHaveLength(1);
    const failed = await row(id);
    expect(failed).toMatchObject({ status: 'PENDING', attempts: 1, leaseOwner: null, leaseUntil: null });
    expect(failed.lastError).toMatch(/timeout/i);
    // The first retry waits about a minute (±20%), as after any failure.
    const waitMs = failed.nextAttemptAt.getTime() - Date.now();
    expect(waitMs).toBeGreaterThan(40_000);
    expect(waitMs).toBeLessThan(75_000);

    // The server answers again: the retry goes through, once, on the same transport.
    sink.stallOn = null;
    await deliverDueMessages(db(), transport, { now: new Date(Date.now() + 2 * 60_000) });
    expect(sink.received.map((m) => m.messageId)).toEqual([expect.stringContaining(id)]);
    expect(await row(id)).toMatchObject({ status: 'SENT', attempts: 2 });
  });

  it('fails a send to a server that never sends its greeting, and counts the attempt', async () => {
    const held = new Set<net.Socket>();
    const silent = net.createServer((socket) => void held.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const transport = transportTo(`smtp://127.0.0.1:${(silent.address() as net.AddressInfo).port}`, TIMEOUT_MS);
      const id = await queue();
      expect(await deliverDueMessages(db(), transport)).toMatchObject({ claimed: 1, sent: 0, retried: 1 });
      const failed = await row(id);
      expect(failed).toMatchObject({ status: 'PENDING', attempts: 1, leaseOwner: null });
      expect(failed.lastError).toMatch(/greeting|timeout/i);
      expect(held.size).toBeGreaterThan(0);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
