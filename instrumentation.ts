// Runs once when a server instance starts: the in-process mail worker (several instances
// may each run one; claiming is atomic; MAIL_WORKER=off leaves delivery to `npm run mail:worker`)
// the announcer of maintenance windows that start or end by the clock, and (SQLite) the refresh
// of the statistics its query planner chooses indexes by.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startServerMailWorker } = await import('@/lib/mail/server-worker');
  const { startMaintenanceAnnouncer } = await import('@/lib/status/maintenance-announcer');
  const { config } = await import('@/lib/config');
  const { db } = await import('@/lib/db/client');
  const { databaseKind } = await import('@/lib/db/kind');
  const { startPlannerStatisticsRefresh } = await import('@/lib/db/planner-statistics');
  startServerMailWorker();
  startMaintenanceAnnouncer();
  startPlannerStatisticsRefresh(db(), databaseKind(config().DATABASE_URL));
}
