// Two production servers on one PostgreSQL: what they share lives in the database.
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '@/lib/db/client';
import { applyMigrations } from '@/scripts/db/migrate';
import { startThrowawayPostgres } from '@/test/support/throwaway-postgres';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { startProductionServer, TEST_SECRET, type ProductionServer } from '../support/production-server';

const MESSAGES = 400;
let postgres: { url: string; stop: () => Promise<void> } | undefined;
let sink: SmtpSink | undefined;
const servers: ProductionServer[] = [];

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await sink?.stop();
  await postgres?.stop();
});

describe('[OPERATOR] two instances on one PostgreSQL', () => {
  it('deliver each queued mail exactly once with both mail loops running, and both stop cleanly', async () => {
    postgres = await startThrowawayPostgres();
    await applyMigrations(postgres.url);
    sink = await startSmtpSink();
    const env = { DATABASE_URL: postgres.url, APP_URL: 'http://127.0.0.1:9', NEXTAUTH_SECRET: TEST_SECRET, SMTP_URL: sink.url, MAIL_POLL_MS: '100' };
    servers.push(...(await Promise.all([startProductionServer(env), startProductionServer(env)])));
    for (const server of servers) expect((await fetch(`${server.url}/api/ready`)).status).toBe(200);

    const database = createDb(postgres.url);
    await database.outboxMessage.createMany({
      data: Array.from({ length: MESSAGES }, (_, i) => ({ template: 'test', toAddress: `person${i}@example.test`, subject: `message ${i}`, textBody: 't', htmlBody: '<p>h</p>' })),
    });
    await sink.waitFor(() => sink!.received.length >= MESSAGES, 120_000);
    const ids = sink.received.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(MESSAGES);
    expect(await database.outboxMessage.count({ where: { status: 'SENT' } })).toBe(MESSAGES);
    expect(await Promise.all(servers.map((s) => s.stop('SIGTERM')))).toEqual([0, 0]);
    expect(sink.received).toHaveLength(MESSAGES);
    await database.$disconnect();
  });
});
