'use client';

import { useEffect } from 'react';

/** Whether this document has shown a signed-in page: the module lives as long as the document. */
let signedInPageShown = false;

/** Mounted by the signed-in layout: marks this document as one that has shown a signed-in page. */
export function SignedInDocument() {
  useEffect(() => {
    signedInPageShown = true;
  }, []);
  return null;
}

/**
 * For the sign-in pages: in a document that has shown a signed-in page, the page opens itself again as
 * a new document. A session that ended elsewhere (another tab, a password changed, the server's idle
 * limit) sends the next link of a console tab here by the router, whose memory still holds the console
 * pages for Back to show without asking the server (review r33b F1); a new document drops that memory,
 * and Back then asks the server, which sends signed-in pages `no-store`. A document that has shown no
 * signed-in page (a "Sign in" link on a public page) is left alone: its reload only raced whatever was
 * opened next. The new document has shown none, so a page never opens itself again and again.
 */
export function FreshDocument() {
  useEffect(() => {
    if (signedInPageShown) location.replace(location.href);
  }, []);
  return null;
}
