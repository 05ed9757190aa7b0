// @ts-check
// How many requests Next.js works on at once. In a rush (everyone signing in after an outage)
// each request Next.js has begun holds its parsed body, its render state and, for a sign-in, a
// database transaction waiting for its turn: 200 of them at once filled a 192 MB heap and the
// instance died. A request comes here once its body has arrived (request-body.mjs: at most 64 KB,
// so a slow client holds no place). Past the limit it waits, and goes on in arrival order as soon
// as one in flight is answered. Only when even the waiting line is full is a request refused, with 503 and
// Retry-After, which a client or balancer can act on; nothing is ever half done.

import { AsyncResource } from 'node:async_hooks';

/** MAX_REQUESTS_IN_FLIGHT and MAX_REQUESTS_WAITING when unset (validated in lib/config.ts). */
export const ADMISSION_DEFAULTS = Object.freeze({ limit: 16, waitingLimit: 2000 });

/**
 * @param {{ limit: number; waitingLimit: number }} options
 */
export function createAdmission({ limit, waitingLimit }) {
  let inFlight = 0;
  /** @typedef {{ run: () => void; started: boolean }} Entry */
  /** @type {Entry[]} */
  const waiting = [];

  /** @param {Entry} entry */
  function start(entry) {
    inFlight += 1;
    entry.started = true;
    entry.run();
  }

  return {
    /**
     * Runs `run` now, or once a place is free; false when the waiting line is full (the caller refuses).
     * @param {import('node:http').ServerResponse} response
     * @param {() => void} run
     */
    admit(response, run) {
      if (inFlight >= limit && waiting.length >= waitingLimit) return false;
      /** @type {Entry} */
      const entry = { run, started: false };
      // 'close' comes once per response: after its answer, or when the client went away first.
      response.once('close', () => {
        if (!entry.started) {
          // The client went away while waiting: there is nothing to answer.
          waiting.splice(waiting.indexOf(entry), 1);
          return;
        }
        inFlight -= 1;
        const next = waiting.shift();
        if (next) start(next);
      });
      if (inFlight < limit) start(entry);
      else {
        // Started later from another response's 'close': it must still run in its own request's
        // async context (AsyncLocalStorage), not in the one of the request that freed the place.
        entry.run = AsyncResource.bind(run);
        waiting.push(entry);
      }
      return true;
    },
    /** Requests in Next.js now, and waiting for a place (metrics, tests). */
    figures: () => ({ inFlight, waiting: waiting.length }),
  };
}
