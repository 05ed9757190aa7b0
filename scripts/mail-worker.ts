// `npm run mail:worker`: delivers the outbox from a process of its own.
//   --until-empty   deliver what is due, then exit (cron, tests)
import { config } from '@/lib/config';
import { createDb } from '@/lib/db/client';
import { createConfiguredTransport } from '@/lib/mail/transport';
import { deliverUntilEmpty, startDeliveryLoop } from '@/lib/mail/worker';

async function main() {
  const database = createDb(config().DATABASE_URL);
  const transport = createConfiguredTransport();
  if (process.argv.includes('--until-empty')) {
    const report = await deliverUntilEmpty(database, transport);
    console.log(`mail worker: sent ${report.sent}, will retry ${report.retried}, dead ${report.dead}`);
  } else {
    console.log(`mail worker: delivering via ${transport.kind === 'smtp' ? 'SMTP' : `files in ${config().MAIL_DIR}`}`);
    const stop = startDeliveryLoop(database, transport, {
      intervalMs: config().MAIL_POLL_MS,
      onError: (error) => console.error('mail worker:', error instanceof Error ? error.message : error),
    });
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await stop();
  }
  transport.close();
  await database.$disconnect();
}

main().catch((error: unknown) => {
  console.error('mail worker failed:', error);
  process.exit(1);
});
