'use client';

import { useEffect, useRef } from 'react';

/** Whether a sign-in page has been shown in this document before: the module lives as long as the document. */
let shownInThisDocument = false;

/**
 * For the sign-in pages: reached by a client-side navigation, the page opens itself again as a new
 * document. A session that ended elsewhere (another tab, a password changed, the server's idle limit)
 * sends the next link of a console tab here by the router, whose memory still holds the console pages
 * for Back to show without asking the server (review r33b F1); a new document drops that memory, and
 * Back then asks the server, which sends signed-in pages `no-store`.
 *
 * Reached by the router is: the document was opened at another path, or it has shown a sign-in page
 * before (signed in from it, and now back). The first sign-in page of a document opened at its own
 * path never reloads, so a page can never open itself again and again.
 */
export function FreshDocument() {
  const checked = useRef(false);
  useEffect(() => {
    // Development's strict mode runs the effect twice on one mount.
    if (checked.current) return;
    checked.current = true;
    const [entry] = performance.getEntriesByType('navigation');
    const openedAtAnotherPath = !!entry && new URL(entry.name).pathname !== location.pathname;
    const reachedByRouter = shownInThisDocument || openedAtAnotherPath;
    shownInThisDocument = true;
    if (reachedByRouter) location.replace(location.href);
  }, []);
  return null;
}
