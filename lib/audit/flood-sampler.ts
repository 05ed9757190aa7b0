const WINDOW_MS = 60_000;
/** Refusals from one address in a window that each get a record of their own. */
const EACH_RECORDED = 10;
/** Addresses remembered at most; a flood from many addresses starts a fresh table rather than grow. */
const MAX_ADDRESSES = 10_000;
/** Records of all addresses together in a window: a flood from many addresses is bounded too. */
const ALL_RECORDED = 100;

/**
 * Which refusals of a flood get an audit record: every one of the first ten from an address in a
 * minute, then the 100th, 1,000th, … each carrying the count, and no more than 100 records a minute
 * from all addresses together (in this process). Every record is a write under the audit chain's
 * lock, so recording each refusal of a flood would let one address slow every sign-in and fill the
 * log that is never pruned; this keeps the evidence (who, how many) at a bounded cost. Only for
 * refusals that check nothing (another site's post, an address over its limit): an attempt that is
 * checked is recorded, every one.
 *
 * Returns a function that takes the refusal's key (its kind and address) and says the count to
 * record, or null for none. `allRecorded` overrides the bound of all keys together.
 */
export function floodSampler({ allRecorded = ALL_RECORDED } = {}): (key: string, now?: number) => number | null {
  const byKey = new Map<string, { windowStart: number; count: number }>();
  let records = { windowStart: 0, count: 0 };

  function countFor(key: string, now: number): number | null {
    let entry = byKey.get(key);
    if (!entry || now - entry.windowStart >= WINDOW_MS) {
      if (!entry && byKey.size >= MAX_ADDRESSES) byKey.clear();
      entry = { windowStart: now, count: 0 };
      byKey.set(key, entry);
    }
    entry.count += 1;
    const { count } = entry;
    if (count <= EACH_RECORDED) return count;
    return Number.isInteger(Math.log10(count)) ? count : null;
  }

  return (key, now = Date.now()) => {
    const count = countFor(key, now);
    if (count === null) return null;
    if (now - records.windowStart >= WINDOW_MS) records = { windowStart: now, count: 0 };
    if (records.count >= allRecorded) return null;
    records.count += 1;
    return count;
  };
}
