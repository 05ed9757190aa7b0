// Brings DATABASE_URL to the latest migration and adds the demo data when it is missing.
import { config } from '@/lib/config';
import { backfillUserSearchTerms, needsSearchTermBackfill } from '@/lib/admin/user-search-terms';
import { createDb } from '@/lib/db/client';
import { applyMigrations } from '@/scripts/db/migrate';
import { seedDemoData } from '@/prisma/seed';

const url = config().DATABASE_URL;
const applied = await applyMigrations(url);
console.log(applied.length ? `database: applied ${applied.join(', ')}` : 'database: up to date');
if (needsSearchTermBackfill(applied)) {
  const database = createDb(url);
  console.log(`database: search terms written for ${await backfillUserSearchTerms(database)} user(s)`);
  await database.$disconnect();
}
const outcome = await seedDemoData(url);
console.log(outcome === 'seeded' ? 'database: demo data created' : 'database: demo data already present');
