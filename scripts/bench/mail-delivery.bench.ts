// Delivery rate of the outbox worker into a real SMTP server on loopback, on SQLite and on
// PostgreSQL: N messages queued, then one worker (and then two in parallel) until empty.
import { createDb, type Db } from '@/lib/db/client';
import { applyMigrations } from '@/scripts/db/migrate';
import { enqueueMailBatch, type MailMessage } from '@/lib/mail/outbox';
import { renderMail } from '@/lib/mail/render';
import { createSmtpTransport } from '@/lib/mail/transport';
import { deliverUntilEmpty } from '@/lib/mail/worker';
import { startSmtpSink } from '../../test/support/smtp-sink';
import { onEachDatabase } from './each-database';

const COUNT = Number(process.env.BENCH_MAIL_COUNT ?? 2000);

function messages(count: number): MailMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    template: 'bench',
    to: `subscriber${i}@example.test`,
    ...renderMail({ subject: `Incident update ${i}`, paragraphs: ['The sign-in service is degraded.', 'We are investigating.'] }),
  }));
}

async function queue(database: Db, count: number) {
  const all = messages(count);
  for (let i = 0; i < all.length; i += 500) await database.$transaction((tx) => enqueueMailBatch(tx, all.slice(i, i + 500)));
}

async function measure(label: string, url: string) {
  await applyMigrations(url);
  const sink = await startSmtpSink();
  const database = createDb(url);
  try {
    for (const workers of [1, 2]) {
      sink.received.length = 0;
      await queue(database, COUNT);
      const transports = Array.from({ length: workers }, () => createSmtpTransport(sink.url));
      const started = performance.now();
      await Promise.all(transports.map((transport) => deliverUntilEmpty(database, transport, 100)));
      const seconds = (performance.now() - started) / 1000;
      transports.forEach((transport) => transport.close());
      const unique = new Set(sink.received.map((m) => m.messageId)).size;
      console.log(
        `${label.padEnd(10)} ${workers} worker(s): ${COUNT} messages in ${seconds.toFixed(2)} s = ${Math.round(COUNT / seconds)} msg/s ` +
          `(received ${sink.received.length}, unique ${unique})`,
      );
    }
  } finally {
    await database.$disconnect();
    await sink.stop();
  }
}

await onEachDatabase(measure);
