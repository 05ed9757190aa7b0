import { db, type Db } from '@/lib/db/client';

/** The status tables' change counter (bumped by database triggers); 0 before the first change. */
export async function getStatusVersion(database: Db = db()): Promise<number> {
  const row = await database.statusVersion.findUnique({ where: { id: 1 }, select: { version: true } });
  return row?.version ?? 0;
}
