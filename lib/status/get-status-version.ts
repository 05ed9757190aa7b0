import type { Db } from '@/lib/db/client';

/** The status tables' change counter (bumped by database triggers); 0 before the first change. */
export async function getStatusVersion(db: Db): Promise<number> {
  const row = await db.statusVersion.findUnique({ where: { id: 1 }, select: { version: true } });
  return row?.version ?? 0;
}
