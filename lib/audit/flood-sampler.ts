const WINDOW_MS = 60_000;
/** Refusals from one address in a window that each get a record of their own. */
const EACH_RECORDED = 10;
/** Addresses (and scopes) remembered at most; a flood from many starts a fresh table rather than grow. */
const MAX_ADDRESSES = 10_000;
/** Records of all addresses of one scope together in a window: a flood from many addresses is bounded too. */
const ALL_RECORDED = 100;

type Window = { windowStart: number; count: number };

/**
 * Which refusals of a flood get an audit record: every one of the first ten of a key (a kind and an
 * address, or an account) in a minute, then the 100th, 1,000th, … each carrying the count, and no
 * more than 100 records a minute of all keys of one scope together (per copy of this module: Next.js
 * may bundle one per route). Every record is a write under the audit chain's lock, so recording each
 * refusal of a flood would let one address slow every sign-in and fill the log that is never pruned;
 * this keeps the evidence (who, how many) at a bounded cost. Only for refusals that check nothing
 * (another site's post, an address over its limit, a page not for this account): an attempt that is
 * checked is recorded, every one.
 *
 * The scope is whose log the records go to (an agency's): a flood against one agency spends its own
 * scope's bound only, and cannot leave another agency's refusals unrecorded.
 *
 * Returns a function that takes the refusal's key and scope and says the count to record, or null for none.
 */
export function floodSampler(): (key: string, options?: { scope?: string; now?: number }) => number | null {
  const byKey = new Map<string, Window>();
  const byScope = new Map<string, Window>();

  /** Counts one more in `table` under `name`, starting a new window (or table) as needed. */
  function counted(table: Map<string, Window>, name: string, now: number): Window {
    let entry = table.get(name);
    if (!entry || now - entry.windowStart >= WINDOW_MS) {
      if (!entry && table.size >= MAX_ADDRESSES) table.clear();
      entry = { windowStart: now, count: 0 };
      table.set(name, entry);
    }
    entry.count += 1;
    return entry;
  }

  return (key, { scope = '', now = Date.now() } = {}) => {
    const { count } = counted(byKey, key, now);
    if (count > EACH_RECORDED && !Number.isInteger(Math.log10(count))) return null;
    const records = counted(byScope, scope, now);
    return records.count > ALL_RECORDED ? null : count;
  };
}
