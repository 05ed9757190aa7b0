// `npm run mail:dead`                 lists messages that ran out of delivery attempts
// `npm run mail:dead -- --requeue ID`  queues one again; `--requeue all` queues them all
import { argumentsOr, isValue, none } from './cli-arguments';
import { readyDatabase } from './db/ready-database';
import { listDeadMessages, requeueDeadMessages } from '@/lib/mail/dead-letters';

async function main(): Promise<number> {
  // Nothing (list), or `--requeue <id | all>`; anything else is a mistake, not a listing.
  const args = argumentsOr('npm run mail:dead   or   npm run mail:dead -- --requeue <message id | all>', (given) => none(given) || (given.length === 2 && given[0] === '--requeue' && isValue(given[1])));
  const database = await readyDatabase('mail:dead');
  try {
    if (args[0] === '--requeue') {
      const target = args[1]!;
      const count = await requeueDeadMessages(database, target === 'all' ? 'all' : { id: target });
      console.log(count ? `requeued ${count} message(s)` : 'no dead message matched');
      return count || target === 'all' ? 0 : 1;
    }
    const dead = await listDeadMessages(database, 1000);
    if (dead.length === 0) console.log('no dead messages');
    for (const message of dead) {
      console.log(
        `${message.id}  ${message.createdAt.toISOString()}  ${message.template}  to ${JSON.stringify(message.toAddress)}  ` +
          `attempts ${message.attempts}  last error: ${message.lastError ?? '-'}`,
      );
    }
    return 0;
  } finally {
    await database.$disconnect();
  }
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error('mail:dead failed:', error);
  process.exit(1);
});
