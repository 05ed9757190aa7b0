// npm run db:backup [-- --to <folder>]   (default folder: data/backups)
import { argumentsOr, isValue, none } from './cli-arguments';
import { backup } from './db/backup';

const args = argumentsOr('npm run db:backup [-- --to <folder>]   (default folder: data/backups)', (given) => none(given) || (given.length === 2 && given[0] === '--to' && isValue(given[1])));
const folder = args[1] ?? 'data/backups';

backup(process.env.DATABASE_URL || 'file:./data/portal.db', folder).then(
  (message) => console.log(message),
  (error: unknown) => {
    console.error(`db:backup failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
