import { db } from '@/lib/db/client';

/** Asks the database a trivial question; throws when it cannot answer (the health probe's check). */
export async function pingDatabase(): Promise<void> {
  await db().$queryRawUnsafe('SELECT 1');
}
