// Brings DATABASE_URL to the latest migration and adds the demo data when it is missing.
import { config } from '@/lib/config';
import { applyMigrations } from '@/scripts/db/migrate';
import { seedDemoData } from '@/prisma/seed';

const url = config().DATABASE_URL;
const applied = await applyMigrations(url);
console.log(applied.length ? `database: applied ${applied.join(', ')}` : 'database: up to date');
const outcome = await seedDemoData(url);
console.log(outcome === 'seeded' ? 'database: demo data created' : 'database: demo data already present');
