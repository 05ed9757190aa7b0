import type { Db } from '@/lib/db/client';
import type { DatabaseKind } from '@/lib/db/kind';

const REFRESH_EVERY_MS = 6 * 60 * 60 * 1000;
const holder = globalThis as { portalPlannerStatistics?: NodeJS.Timeout };

/**
 * SQLite chooses indexes by the statistics ANALYZE stores in the file; without them it walks the
 * console's sort index for a filter like "admins" through a whole 100,000-user agency instead of
 * reading its few admins. `PRAGMA optimize=0x10002` (SQLite's advice when a long-lived connection
 * opens) analyzes every table that lacks statistics or has grown since; the plain form, run
 * periodically, redoes only the tables that changed a lot. PostgreSQL's autovacuum does this itself.
 */
export async function refreshPlannerStatistics(database: Db, kind: DatabaseKind, { firstTime = false } = {}) {
  if (kind !== 'sqlite') return;
  await database.$queryRawUnsafe(firstTime ? 'PRAGMA optimize=0x10002' : 'PRAGMA optimize');
}

/** Once when a server instance starts, then every six hours. */
export function startPlannerStatisticsRefresh(database: Db, kind: DatabaseKind): void {
  if (holder.portalPlannerStatistics || kind !== 'sqlite') return;
  const refresh = (firstTime: boolean) =>
    refreshPlannerStatistics(database, kind, { firstTime }).catch((error: unknown) =>
      console.error('planner statistics:', error instanceof Error ? error.message : error),
    );
  void refresh(true);
  holder.portalPlannerStatistics = setInterval(() => void refresh(false), REFRESH_EVERY_MS);
  holder.portalPlannerStatistics.unref();
}
