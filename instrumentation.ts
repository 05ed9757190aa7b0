// Runs once when a server instance starts: the in-process mail worker (several instances
// may each run one; claiming is atomic; MAIL_WORKER=off leaves delivery to `npm run mail:worker`)
// and the announcer of maintenance windows that start or end by the clock.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startServerMailWorker } = await import('@/lib/mail/server-worker');
  const { startMaintenanceAnnouncer } = await import('@/lib/status/maintenance-announcer');
  startServerMailWorker();
  startMaintenanceAnnouncer();
}
