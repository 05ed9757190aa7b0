// What the mail worker's tests share: a real SMTP server on loopback for each test, the transports a
// test opens closed after it, and an empty queue at its start, so a worker round sees only that
// test's messages.
import { afterEach, beforeEach, vi } from 'vitest';
import { db } from '@/lib/db/client';
import { enqueueMail } from '@/lib/mail/outbox';
import { renderMail } from '@/lib/mail/render';
import { createSmtpTransport, type MailTransport } from '@/lib/mail/transport';
import { uniqueSuffix } from '@/prisma/factories';
import { startSmtpSink, type SmtpSink } from './smtp-sink';

export function smtpSinkPerTest(): { readonly sink: SmtpSink; transportTo(url: string, timeoutMs: number): MailTransport } {
  let sink: SmtpSink | undefined;
  const transports: MailTransport[] = [];
  beforeEach(async () => {
    await db().outboxMessage.updateMany({ where: { status: 'PENDING' }, data: { status: 'SENT' } });
    sink = await startSmtpSink();
  });
  afterEach(async () => {
    for (const transport of transports.splice(0)) transport.close();
    await sink?.stop();
    vi.restoreAllMocks();
  });
  return {
    get sink() {
      return sink!;
    },
    transportTo(url, timeoutMs) {
      const transport = createSmtpTransport(url, { timeoutMs });
      transports.push(transport);
      return transport;
    },
  };
}

/** Queues a test message to an address of its own; its subject starts with `subject`. */
export async function queueTestMail(subject = 'Test'): Promise<string> {
  const tag = uniqueSuffix();
  const mail = { template: 'test-message', to: `person.${tag}@example.test`, ...renderMail({ subject: `${subject} ${tag}`, paragraphs: ['Hello'] }) };
  return db().$transaction((tx) => enqueueMail(tx, mail));
}

export const outboxRow = (id: string) => db().outboxMessage.findUniqueOrThrow({ where: { id } });

/** Waits for recorded state (never a guess of time); fails after 15 s with what never happened. */
export async function until(predicate: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (const deadline = Date.now() + 15_000; !(await predicate()); await new Promise((resolve) => setTimeout(resolve, 20))) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
  }
}
