// Shared by every bundle Next.js builds (instrumentation, routes, actions each get their own copy
// of a module), hence on globalThis: once shutdown starts, background work stops between batches
// and gives its leases back, and shutdown waits for what is running.
const holder = globalThis as { portalStopping?: boolean; portalBackgroundWork?: Set<Promise<unknown>> };

export function isStopping(): boolean {
  return holder.portalStopping === true;
}

/** Background work a shutdown must wait for (e.g. a fan-out started after a response). */
export function trackBackgroundWork<T>(work: Promise<T>): Promise<T> {
  const running = (holder.portalBackgroundWork ??= new Set());
  running.add(work);
  void work.finally(() => running.delete(work)).catch(() => {});
  return work;
}

export function raiseStopFlag(): void {
  holder.portalStopping = true;
}

/** Raises the stop flag and waits for tracked work to settle. */
export async function stopBackgroundWork(): Promise<void> {
  raiseStopFlag();
  await Promise.allSettled([...(holder.portalBackgroundWork ?? [])]);
}
