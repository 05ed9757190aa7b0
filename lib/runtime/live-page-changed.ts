// Set by server.mjs's pages in memory (lib/runtime/pages-in-memory.mjs), which run outside the
// bundle Next.js compiles the app into: the two meet on globalThis.
const CHANGED_HOOK = Symbol.for('portal.livePageChanged');

/**
 * After a change this instance made to what a page sent from memory shows: the copy is set aside
 * at once (Next.js answers until the new one is in), so whoever made the change sees it on their
 * next request. Other instances learn of it from the database within a second. Settled once the
 * new copy is in (or its render failed); at once without server.mjs (tests, `next dev` alone).
 */
export async function livePageChanged(pathname: string): Promise<void> {
  const changed = (globalThis as Record<symbol, unknown>)[CHANGED_HOOK];
  if (typeof changed === 'function') await changed(pathname);
}
