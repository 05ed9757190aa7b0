import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Runs `work` and answers no sooner than `floorMs` after it began, whatever it did or threw. For
 * the public forms that do more work for a real account or address than for an unknown one (a
 * transaction, a queued mail): the time of the answer must not tell a stranger which exist.
 *
 * An answer `atOnce` picks is given without waiting: one that depends on no account (the client's
 * address is over its limit) tells nothing by its time, and a flood from one address must not hold
 * the instance's places in admission for the floor of every refusal.
 */
export async function answerNoSoonerThan<T>(floorMs: number, work: () => Promise<T>, atOnce: (answer: T) => boolean = () => false): Promise<T> {
  const began = performance.now();
  const answer = await work().catch(async (error: unknown) => {
    await waitUntil(began + floorMs);
    throw error;
  });
  if (!atOnce(answer)) await waitUntil(began + floorMs);
  return answer;
}

/** Timers count from the event loop's last tick, so one may fire a little early: wait again until it is time. */
async function waitUntil(time: number) {
  for (let wait = time - performance.now(); wait > 0; wait = time - performance.now()) await sleep(Math.ceil(wait));
}
