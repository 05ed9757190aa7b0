// `npm run mail:worker`: delivers the outbox from a process of its own.
//   --until-empty   deliver what is due, then exit (cron, tests)
import { config, mailProcessProblems } from '@/lib/config';
import { argumentsOr, exitIfProblems, none } from './cli-arguments';
import { readyDatabase } from './db/ready-database';
import { createConfiguredTransport } from '@/lib/mail/transport';
import { deliverUntilEmpty, startDeliveryLoop } from '@/lib/mail/worker';
import { DRAIN_MS } from '@/lib/runtime/serve-lifecycle.mjs';

async function main() {
  const args = argumentsOr('npm run mail:worker [-- --until-empty]', (given) => none(given) || (given.length === 1 && given[0] === '--until-empty'));
  exitIfProblems('mail worker', mailProcessProblems({ delivers: true }));
  const database = await readyDatabase('mail worker');
  const transport = createConfiguredTransport();
  const via = transport.kind === 'smtp' ? 'SMTP' : `files in ${config().MAIL_DIR}`;
  if (args[0] === '--until-empty') {
    const report = await deliverUntilEmpty(database, transport);
    console.log(`mail worker: sent ${report.sent}, will retry ${report.retried}, dead ${report.dead}, withdrawn ${report.withdrawn}, via ${via}`);
    // Given back for a worker whose secrets open them (lib/mail/worker.ts, recordUnopened): this one's are not the app's.
    if (report.unopened > 0) {
      console.error(`mail worker: ${report.unopened} queued message(s) would not open with this worker's NEXTAUTH_SECRET or NEXTAUTH_SECRET_PREVIOUS; left queued, not counted as attempts`);
      // A cron run that left mail it cannot send says so in its exit code (review r35c F4).
      process.exitCode = 1;
    }
  } else {
    console.log(`mail worker: delivering via ${via}`);
    const stop = startDeliveryLoop(database, transport, {
      intervalMs: config().MAIL_POLL_MS,
      onError: (error) => console.error('mail worker:', error instanceof Error ? error.message : error),
    });
    // The loop's waits do not hold a process open (a server's shutdown must not wait for them), nor
    // does SQLite: without this the worker ended, exit code 0, a second after it started (review r34g F1).
    const keepRunning = setInterval(() => {}, 60_000);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    clearInterval(keepRunning);
    // As a server instance stops (README, "Shutdown"): the sends under way may finish within the drain
    // time; one still waiting on its mail server then is cut off and its message given back at once,
    // not after its lease, and not counted as a failed attempt.
    console.log('mail worker: stopping');
    await stop(AbortSignal.timeout(DRAIN_MS));
  }
  transport.close();
  await database.$disconnect();
}

main().catch((error: unknown) => {
  console.error('mail worker failed:', error);
  process.exit(1);
});
