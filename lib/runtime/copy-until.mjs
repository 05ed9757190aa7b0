// @ts-check
// How an answer that server.mjs keeps a copy of (lib/runtime/pages-in-memory.mjs) says when it stops
// being true by the clock alone, say a maintenance window starting or ending: an attribute anywhere in
// a page, a header on JSON. The copy is sent until the earliest such moment (ISO 8601), then rendered again.
export const COPY_UNTIL_ATTRIBUTE = 'data-portal-copy-until';
export const COPY_UNTIL_HEADER = 'X-Portal-Copy-Until';

/** The attribute for a page's element, as JSX spreads it. @param {string} at */
export function copyUntilAttribute(at) {
  return { [COPY_UNTIL_ATTRIBUTE]: at };
}
