// @ts-check
// What the instance holds per client address (bodies arriving, open connections), where every
// address may have a share and the shares add up to the whole: four addresses at a quarter each, or
// sixteen at 512 connections, would hold everything and shut every other client out. So when the
// whole is taken, a newcomer from an address holding at least two fewer than the heaviest one takes
// the place of that address's newest (lib/runtime/admission.mjs does the same for the waiting line).
// Many addresses holding one each (a botnet, an IPv6 /48 at a /64 apiece) are never heavier than a
// newcomer: then the newcomer takes the place of the oldest item the caller lets go (the body arriving
// longest, a connection that awaits no answer) of an address holding more than its own, which a client
// doing its business is never for long (review r45d F1).

/** How many of the oldest items pushOutOldestFor looks at. */
export const OLDEST_LOOKED_AT = 64;

/**
 * @template T
 */
export function createFairShares() {
  /** Each address's items, oldest first (a Set keeps insertion order). @type {Map<string, Set<T>>} */
  const held = new Map();
  /** Every item's address, oldest item first (a Map keeps insertion order). @type {Map<T, string>} */
  const addressOf = new Map();
  let size = 0;
  return {
    /** How many all addresses hold. */
    size: () => size,
    /** @param {string} client */
    countOf: (client) => held.get(client)?.size ?? 0,
    /** @param {string} client @param {T} item */
    add(client, item) {
      const items = held.get(client) ?? new Set();
      items.add(item);
      held.set(client, items);
      addressOf.set(item, client);
      size += 1;
    },
    /** Idempotent: an item pushed out is released once. @param {string} client @param {T} item */
    release(client, item) {
      const items = held.get(client);
      if (!items?.delete(item)) return;
      addressOf.delete(item);
      size -= 1;
      if (items.size === 0) held.delete(client);
    },
    /**
     * The newest item of the address holding the most, released here for the caller to let go,
     * when that address holds at least two more than `client`; otherwise undefined.
     * @param {string} client
     * @returns {T | undefined}
     */
    pushOutFor(client) {
      const own = held.get(client)?.size ?? 0;
      let heaviest = /** @type {[string, Set<T>] | undefined} */ (undefined);
      for (const entry of held) if (!heaviest || entry[1].size > heaviest[1].size) heaviest = entry;
      if (!heaviest || heaviest[1].size < own + 2) return undefined;
      const newest = /** @type {T} */ ([...heaviest[1]].at(-1));
      this.release(heaviest[0], newest);
      return newest;
    },
    /**
     * When pushOutFor found none: of the OLDEST_LOOKED_AT oldest items, the first that `mayGo` lets go of an address
     * holding more than `client`, released here for the caller to let go; undefined when none. An address never
     * gives up a place to one holding as many: the heaviest gets nothing this way. Only the oldest are looked at:
     * they are the ones to go, and a refusal at saturation must not cost a walk through thousands (review r45e F2).
     * @param {string} client
     * @param {(item: T) => boolean} [mayGo]
     * @returns {T | undefined}
     */
    pushOutOldestFor(client, mayGo = () => true) {
      const own = held.get(client)?.size ?? 0;
      let looked = 0;
      for (const [item, address] of addressOf) {
        if (++looked > OLDEST_LOOKED_AT) return undefined;
        if ((held.get(address)?.size ?? 0) <= own || !mayGo(item)) continue;
        this.release(address, item);
        return item;
      }
      return undefined;
    },
  };
}
