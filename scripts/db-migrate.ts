// npm run db:migrate — applies the pending migrations of prisma/migrations/<kind> to
// DATABASE_URL (default: the SQLite file data/portal.db), like `prisma migrate deploy`
// but without the engine binary Prisma would download.
import { backfillUserSearchTerms, needsSearchTermBackfill } from '../lib/admin/user-search-terms';
import { createDb } from '../lib/db/client';
import { applyMigrations } from './db/migrate';
import { describeDatabase } from '../lib/db/kind';
import { argumentsOr, none } from './cli-arguments';

argumentsOr('npm run db:migrate   (DATABASE_URL names the database)', none);


async function main() {
  const url = process.env.DATABASE_URL || 'file:./data/portal.db';
  const target = describeDatabase(url);
  const started = Date.now();
  const applied = await applyMigrations(url);
  if (applied.length === 0) {
    console.log(`${target}: database is up to date`);
  } else {
    console.log(`${target}: applied ${applied.length} migration(s) in ${Date.now() - started} ms`);
    for (const name of applied) console.log(`  ${name}`);
  }
  if (needsSearchTermBackfill(applied)) {
    const database = createDb(url);
    try {
      console.log(`${target}: search terms written for ${await backfillUserSearchTerms(database)} user(s)`);
    } finally {
      await database.$disconnect();
    }
  }
}

main().catch((error: unknown) => {
  console.error(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
