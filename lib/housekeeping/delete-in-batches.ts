import { isStopping } from '@/lib/runtime/stop-signal';

/** Rows deleted per statement: a short write lock each (SQLite has one for the whole file). */
export const PRUNE_BATCH_SIZE = 500;
/** Batches per kind per run; a larger backlog goes on at the next round, 30 s later. */
const MAX_BATCHES = 20;

/**
 * Deletes due rows a batch at a time: pick up to a batch of keys, delete those keys under the
 * same condition (a row that changed meanwhile, such as a rate-limit window restarted, stays).
 */
export async function deleteInBatches(
  pick: (take: number) => Promise<string[]>,
  remove: (keys: string[]) => Promise<{ count: number }>,
): Promise<{ removed: number; more: boolean }> {
  let removed = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
    if (isStopping()) return { removed, more: true };
    const keys = await pick(PRUNE_BATCH_SIZE);
    if (keys.length > 0) removed += (await remove(keys)).count;
    if (keys.length < PRUNE_BATCH_SIZE) return { removed, more: false };
  }
  return { removed, more: true };
}
