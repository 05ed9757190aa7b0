// @ts-check
// How many requests Next.js works on at once. In a rush (everyone signing in after an outage)
// each request Next.js has begun holds its parsed body, its render state and, for a sign-in, a
// database transaction waiting for its turn: 200 of them at once filled a 192 MB heap and the
// instance died. A request comes here once its body has arrived (request-body.mjs: at most 64 KB,
// so a slow client holds no place). Past the limit it waits; a freed place goes to the client
// addresses waiting in turn, and to each address's requests in arrival order, so one address
// sending hundreds at once (a flood, however refused) delays everyone else by one request, not by
// its whole line. One address also holds at most a quarter of the places in the app, even while
// others are free: a flood that arrives first cannot take them all and leave the next person to
// wait behind it. An address that already holds a quarter of the waiting line is refused, with 503
// and Retry-After, which a client or balancer can act on; nothing is ever half done. When the whole
// line is full (four such addresses fill it), a newcomer from an address with a shorter line takes
// the place of the newest request of the longest one, which is refused instead: a few addresses
// cannot shut everyone else out.

import { AsyncResource } from 'node:async_hooks';
import { whenGone } from './when-gone.mjs';

/** MAX_REQUESTS_IN_FLIGHT and MAX_REQUESTS_WAITING when unset (validated in lib/config.ts). */
export const ADMISSION_DEFAULTS = Object.freeze({ limit: 16, waitingLimit: 2000 });

/**
 * @param {{ limit: number; waitingLimit: number }} options
 */
export function createAdmission({ limit, waitingLimit }) {
  // One address (an office behind one NAT, or a flood) may hold a quarter of the places and fill a
  // quarter of the line, never all of either.
  const inFlightPerClient = Math.max(1, Math.ceil(limit / 4));
  const waitingPerClient = Math.max(1, Math.ceil(waitingLimit / 4));
  let inFlight = 0;
  let waiting = 0;
  /** @typedef {{ run: () => void; refuse: () => void; client: string; started: boolean; refused: boolean }} Entry */
  /** Each client address's requests in the app. @type {Map<string, number>} */
  const running = new Map();
  /** Each client address's waiting requests, oldest first. @type {Map<string, Entry[]>} */
  const lines = new Map();
  /** The addresses with requests waiting, in the order their turns come. @type {string[]} */
  const turns = [];

  /** @param {string} client */
  const mayStart = (client) => inFlight < limit && (running.get(client) ?? 0) < inFlightPerClient;

  /** @param {Entry} entry */
  function start(entry) {
    inFlight += 1;
    running.set(entry.client, (running.get(entry.client) ?? 0) + 1);
    entry.started = true;
    entry.run();
  }

  /** @param {string} client */
  function finished(client) {
    inFlight -= 1;
    const left = /** @type {number} */ (running.get(client)) - 1;
    if (left === 0) running.delete(client);
    else running.set(client, left);
  }

  /**
   * The oldest request of the first address in turn that may have another place; that address goes
   * to the back of the turns if it has more. Addresses at their share keep their turn.
   */
  function nextInTurn() {
    const at = turns.findIndex(mayStart);
    if (at === -1) return undefined;
    const client = /** @type {string} */ (turns.splice(at, 1)[0]);
    const line = /** @type {Entry[]} */ (lines.get(client));
    const entry = /** @type {Entry} */ (line.shift());
    if (line.length > 0) turns.push(client);
    else lines.delete(client);
    waiting -= 1;
    return entry;
  }

  /**
   * The newest waiting request of the address with the longest line, taken out to make room for an
   * address whose line is at least two shorter; undefined when there is none.
   * @param {string} client
   */
  function pushOutFor(client) {
    const own = lines.get(client)?.length ?? 0;
    let longest = /** @type {Entry[] | undefined} */ (undefined);
    for (const line of lines.values()) if (!longest || line.length > longest.length) longest = line;
    if (!longest || longest.length < own + 2) return undefined;
    const entry = /** @type {Entry} */ (longest.at(-1));
    leaveLine(entry);
    entry.refused = true;
    return entry;
  }

  /** @param {Entry} entry */
  function leaveLine(entry) {
    const line = /** @type {Entry[]} */ (lines.get(entry.client));
    line.splice(line.indexOf(entry), 1);
    waiting -= 1;
    if (line.length === 0) {
      lines.delete(entry.client);
      turns.splice(turns.indexOf(entry.client), 1);
    }
  }

  return {
    /**
     * Runs `run` now, or once a place is free; false when this address's share of the line, or the
     * line, is full (the caller refuses). A request already waiting may be refused later (`refuse`) to
     * make room for an address with a shorter line.
     * @param {import('node:http').ServerResponse} response
     * @param {() => void} run
     * @param {string} client the client's address: places go to addresses in turn
     * @param {() => void} refuse answers a waiting request that gave its place up
     * @param {import('node:net').Socket | null} [connection] the connection the request came on
     */
    admit(response, run, client, refuse, connection = null) {
      const startsNow = mayStart(client);
      if (!startsNow && (lines.get(client)?.length ?? 0) >= waitingPerClient) return false;
      if (!startsNow && waiting >= waitingLimit && !this.makeRoomFor(client)) return false;
      /** @type {Entry} */
      const entry = { run, refuse, client, started: false, refused: false };
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        finished(client);
        // The place freed may go to another address, and this one may take a request of its own again.
        for (let next = nextInTurn(); next; next = nextInTurn()) start(next);
      };
      // The app's work ends when it has written its whole answer, not when the client has read it: a
      // client that never reads (its receive window shut) would otherwise hold its place for ever,
      // and sixteen of them froze every page. What is still unsent is the socket's to deliver.
      // The place is given on in the next turn of the event loop (setImmediate), never at once: a page
      // the app answers from its cache ends within its own request's callback, and were its place free
      // at once, the next request would take it in the same turn. One address's fifty keep-alive
      // connections were then all served in one turn (~80 ms), and every other client waited that long
      // for each step it took: another address's sign-in went from 27 ms to 440 ms, a page from memory
      // from 1 ms to 80 ms. Held to the next turn, an address runs at most twice its places per turn.
      const end = response.end;
      response.end = /** @type {typeof response.end} */ (
        function endAndRelease(/** @type {any[]} */ ...args) {
          const result = end.apply(this, /** @type {any} */ (args));
          if (entry.started) setImmediate(release);
          return result;
        }
      );
      // 'close' comes once per response: after its answer, or when the client went away first.
      whenGone(response, connection, () => {
        if (entry.refused) return;
        if (!entry.started) {
          // The client went away while waiting: there is nothing to answer.
          leaveLine(entry);
          return;
        }
        setImmediate(release);
      });
      if (startsNow) start(entry);
      else {
        // Started later from another response's 'close': it must still run in its own request's
        // async context (AsyncLocalStorage), not in the one of the request that freed the place.
        entry.run = AsyncResource.bind(run);
        const line = lines.get(client);
        if (line) line.push(entry);
        else {
          lines.set(client, [entry]);
          turns.push(client);
        }
        waiting += 1;
      }
      return true;
    },
    /**
     * Refuses the newest waiting request of the longest line when `client`'s line is at least two
     * shorter; false when there is none. (server.mjs also calls it when bodies arriving and requests
     * waiting together fill what it holds.)
     * @param {string} client
     */
    makeRoomFor(client) {
      const pushedOut = pushOutFor(client);
      pushedOut?.refuse();
      return pushedOut !== undefined;
    },
    /** Requests in Next.js now, and waiting for a place (metrics, tests). */
    figures: () => ({ inFlight, waiting }),
  };
}
