/**
 * A per-instance memo for reads that many requests share (the proxy's maintenance lookup, the
 * polled status JSON, the sign-in banner). Only a copy of database state, kept for `ttlMs`:
 * nothing that instances must agree on lives here. Concurrent callers share one load.
 */
export function memoize<T>(ttlMs: number, load: () => Promise<T>): () => Promise<T> {
  let cached: { at: number; value: T } | undefined;
  let pending: Promise<T> | undefined;
  return async () => {
    if (cached && Date.now() - cached.at < ttlMs) return cached.value;
    pending ??= load()
      .then((value) => {
        cached = { at: Date.now(), value };
        return value;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}
