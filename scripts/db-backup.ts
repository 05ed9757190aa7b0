// npm run db:backup [-- --to <folder>]   (default folder: data/backups)
import { backup } from './db/backup';

const at = process.argv.indexOf('--to');
const folder = at > 0 && process.argv[at + 1] ? process.argv[at + 1]! : 'data/backups';

backup(process.env.DATABASE_URL || 'file:./data/portal.db', folder).then(
  (message) => console.log(message),
  (error: unknown) => {
    console.error(`db:backup failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
