import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Runs `work` and answers no sooner than `floorMs` after it began, whatever it did or threw. For
 * the public forms that do more work for a real account or address than for an unknown one (a
 * transaction, a queued mail): the time of the answer must not tell a stranger which exist.
 */
export async function answerNoSoonerThan<T>(floorMs: number, work: () => Promise<T>): Promise<T> {
  const began = performance.now();
  try {
    return await work();
  } finally {
    const wait = began + floorMs - performance.now();
    if (wait > 0) await sleep(Math.ceil(wait));
  }
}
