// An incident alert fanned out to N confirmed subscribers (10,000 by default): the operator's
// fan-out writes the outbox in batches, the delivery loop (as it runs in the server) sends to a
// real SMTP server on loopback. Prints the time to queue, to the first and to the last delivery,
// on SQLite and on PostgreSQL.
import { onEachDatabase } from './each-database';

process.env.NEXTAUTH_SECRET ??= 'bench-only-secret-that-is-long-enough-0000000001';
process.env.APP_URL ??= 'https://status.example.test';

const { createDb } = await import('@/lib/db/client');
const { applyMigrations } = await import('@/scripts/db/migrate');
const { createSmtpTransport } = await import('@/lib/mail/transport');
const { startDeliveryLoop } = await import('@/lib/mail/worker');
const { queueStatusAlert, runStatusAlertFanOuts } = await import('@/lib/status/fan-out-alert');
const { startSmtpSink } = await import('../../test/support/smtp-sink');

const COUNT = Number(process.env.BENCH_SUBSCRIBERS ?? 10_000);

async function measure(label: string, url: string) {
  await applyMigrations(url);
  const database = createDb(url);
  const sink = await startSmtpSink();
  const transport = createSmtpTransport(sink.url);
  try {
    const confirmedAt = new Date();
    for (let i = 0; i < COUNT; i += 1000) {
      const rows = Array.from({ length: Math.min(1000, COUNT - i) }, (_, j) => {
        const email = `subscriber${i + j}@example.test`;
        return { email, emailKey: email, confirmedAt };
      });
      await database.statusSubscriber.createMany({ data: rows });
    }

    // The server's loop, polling as often as the e2e server does.
    const stop = startDeliveryLoop(database, transport, { intervalMs: 200 });
    const started = performance.now();
    const firstDelivery = sink.waitFor(() => true, 600_000).then(() => performance.now());
    await database.$transaction((tx) =>
      queueStatusAlert(tx, {
        kind: 'incident-opened',
        title: 'Sign-in failing for some agencies',
        impact: 'PARTIAL_OUTAGE',
        status: 'INVESTIGATING',
        message: 'Some people cannot sign in. We are looking into it.',
        components: ['Sign-in'],
      }),
    );
    const queued = await runStatusAlertFanOuts(database);
    const queuedAt = performance.now();
    const first = await firstDelivery;
    while (sink.received.length < COUNT) await new Promise((resolve) => setTimeout(resolve, 20));
    const last = performance.now();
    await stop();

    const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const unsubscribeLinks = new Set(sink.received.map((m) => /\/status\/unsubscribe\?\S+/.exec(m.text)?.[0])).size;
    const sent = await database.outboxMessage.count({ where: { status: 'SENT' } });
    console.log(
      `${label.padEnd(10)} ${queued} subscribers: queued in ${seconds(queuedAt - started)}, first delivery after ${seconds(first - started)}, ` +
        `last delivery after ${seconds(last - started)} (${Math.round(COUNT / ((last - started) / 1000))} msg/s end to end; ` +
        `received ${sink.received.length}, ${unsubscribeLinks} distinct unsubscribe links, ${sent} marked sent)`,
    );
  } finally {
    transport.close();
    await sink.stop();
    await database.$disconnect();
  }
}

await onEachDatabase(measure);
