// SIGTERM during traffic and a mail burst: every request the server had taken gets its normal
// answer, the process exits 0, and no message is sent twice or left leased. And SIGTERM while a
// send waits on a mail server that never answers: cut off at the drain time, its message given back.
import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '@/lib/db/client';
import { applyMigrations } from '@/scripts/db/migrate';
import { createSmtpTransport } from '@/lib/mail/transport';
import { deliverUntilEmpty } from '@/lib/mail/worker';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { eventLines, startProductionServer, TEST_SECRET, throwawaySqliteUrl } from '../support/production-server';

const MESSAGES = 300;
let sink: SmtpSink | undefined;
let hung: SmtpSink | undefined;

afterAll(async () => {
  await sink?.stop();
  await hung?.stop();
});

async function until(predicate: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 60_000; !predicate(); await new Promise((resolve) => setTimeout(resolve, 50))) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
  }
}

function get(agent: http.Agent, url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (answer) => {
        let body = '';
        answer.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        answer.on('end', () => resolve({ status: answer.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('[OPERATOR] graceful shutdown', () => {
  it('finishes requests in flight, sends nothing twice, leaves nothing leased, exits 0', async () => {
    const url = throwawaySqliteUrl();
    await applyMigrations(url);
    const database = createDb(url);
    await database.outboxMessage.createMany({
      data: Array.from({ length: MESSAGES }, (_, i) => ({ template: 'test', toAddress: `person${i}@example.test`, subject: `message ${i}`, textBody: 't', htmlBody: '<p>h</p>' })),
    });
    sink = await startSmtpSink();
    const server = await startProductionServer({
      DATABASE_URL: url,
      APP_URL: 'http://127.0.0.1:9',
      NEXTAUTH_SECRET: TEST_SECRET,
      SMTP_URL: sink.url,
      MAIL_POLL_MS: '100',
    });
    // The loop is delivering (recorded state, not a guess)...
    await sink.waitFor(() => sink!.received.length >= 10, 60_000);
    // ... and requests are in flight. Their 20 connections are opened and accepted first (a round of
    // liveness probes on a keep-alive agent), so each request below is written on a connection the
    // server already holds: what SIGTERM must not drop. A request on a connection not yet accepted
    // would be refused, rightly, and prove nothing.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
    await Promise.all(Array.from({ length: 20 }, () => get(agent, `${server.url}/api/live`)));
    const requests = Array.from({ length: 20 }, (_, i) => get(agent, `${server.url}/${i % 2 ? 'login?callbackUrl=%2Faccount' : 'status'}`));
    // The signal goes once the server has answered one of them; the others were written at once.
    await Promise.race(requests);
    const exit = server.stop('SIGTERM');
    const answers = await Promise.all(requests);
    agent.destroy();
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    expect(await exit).toBe(0);
    expect(eventLines(server, 'server.stopped')).toEqual([expect.objectContaining({ durationMs: expect.any(Number) })]);

    const leased = await database.outboxMessage.count({ where: { leaseOwner: { not: null } } });
    expect(leased).toBe(0);
    const sentRows = await database.outboxMessage.count({ where: { status: 'SENT' } });
    const ids = sink.received.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(sentRows).toBe(ids.length);

    // What was left goes out once, from another worker, at once (no lease to wait out).
    const transport = createSmtpTransport(sink.url);
    await deliverUntilEmpty(database, transport);
    transport.close();
    await sink.waitFor(() => sink!.received.length >= MESSAGES, 30_000);
    const all = sink.received.map((m) => m.messageId);
    expect(all).toHaveLength(MESSAGES);
    expect(new Set(all).size).toBe(MESSAGES);
    await database.$disconnect();
  });

  it('cuts off a send its mail server never answers when the drain time is up, gives the message back, exits 0', async () => {
    const url = throwawaySqliteUrl();
    await applyMigrations(url);
    const database = createDb(url);
    const { id } = await database.outboxMessage.create({
      data: { template: 'test', toAddress: 'person@example.test', subject: 'hung', textBody: 't', htmlBody: '<p>h</p>' },
    });
    hung = await startSmtpSink();
    hung.stallOn = () => true;
    const server = await startProductionServer({
      DATABASE_URL: url,
      APP_URL: 'http://127.0.0.1:9',
      NEXTAUTH_SECRET: TEST_SECRET,
      // The transport's own timeout far off: only the shutdown's cut can end this send.
      SMTP_URL: `${hung.url}?socketTimeout=600000`,
      MAIL_POLL_MS: '100',
    });
    await until(() => hung!.hungConnections === 1, 'the message reached the hung server');
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(eventLines(server, 'mail.sends_abandoned')).toEqual([expect.objectContaining({ messageIds: [id] })]);
    expect(eventLines(server, 'server.drain_cut_off')).toHaveLength(1);
    // Given back as it was: due now, for another instance or the next start.
    expect(await database.outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'PENDING', attempts: 0, leaseOwner: null });
    await until(() => hung!.hungConnections === 0, 'the hung connection closed');
    await database.$disconnect();
  });
});
