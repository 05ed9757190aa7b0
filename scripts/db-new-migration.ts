// npm run db:new-migration -- <name> — after a change to prisma/schema.prisma, writes the
// migration for both database kinds (prisma/migrations/{sqlite,postgresql}/<timestamp>_<name>),
// like `prisma migrate dev --create-only` but offline. PostgreSQL's is computed on a
// throw-away embedded PostgreSQL server started here.
import { execFileSync } from 'node:child_process';
import { startThrowawayPostgres } from '../test/support/throwaway-postgres';
import { createMigrationFor } from './db/create-migration';

async function main() {
  const name = process.argv[2] ?? '';
  if (!/^[a-z0-9_]+$/.test(name) || process.argv.length > 3) {
    console.error('usage: npm run db:new-migration -- <name>   (name: lower-case letters, digits, _)');
    process.exit(2);
  }
  // Both schema files (and clients) must reflect prisma/schema.prisma before diffing.
  execFileSync(process.execPath, ['scripts/prisma-generate.mjs'], { stdio: 'inherit' });

  const now = new Date(); // one timestamp, so both kinds get the same folder name
  const written: string[] = [];
  const sqlite = await createMigrationFor('sqlite', name, { now });
  if (sqlite) written.push(`prisma/migrations/sqlite/${sqlite}`);

  const postgres = await startThrowawayPostgres();
  try {
    const folder = await createMigrationFor('postgresql', name, { now, postgresUrl: postgres.url });
    if (folder) written.push(`prisma/migrations/postgresql/${folder}`);
  } finally {
    await postgres.stop();
  }

  if (written.length === 0) console.log('no schema change');
  for (const folder of written) console.log(`wrote ${folder}/migration.sql`);
}

main().catch((error: unknown) => {
  console.error(`db:new-migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
