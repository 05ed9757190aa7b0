// @ts-check
import { whenGone } from './when-gone.mjs';
// A request takes a place in the app (admission.mjs) only once its whole body has arrived. Next.js
// reads a form's body before it does anything else, so a client that sends its body slowly, or
// never, held one of the few places all that time: sixteen such sockets from one address froze
// every form and every page rendered on demand. The body is read here instead (its size is
// already capped by server.mjs) and put back at the front of the request's stream, where Next.js
// reads it as if it had just come in.

/** How long a body may take to arrive after its headers before the request is refused (408). */
export const BODY_DEADLINE_MS = 10_000;

/** @param {import('node:http').IncomingMessage} request */
export function hasBody(request) {
  return Number(request.headers['content-length'] ?? 0) > 0;
}

/**
 * Resolves 'arrived' once the whole body is waiting, unread, in the request's stream; 'late' when
 * it did not arrive within the deadline; 'gone' when the client went away first.
 * @param {import('node:http').IncomingMessage} request
 * @param {import('node:http').ServerResponse} response
 * @returns {Promise<'arrived' | 'late' | 'gone'>}
 */
export function whenBodyArrives(request, response, deadlineMs = BODY_DEADLINE_MS) {
  const expected = Number(request.headers['content-length'] ?? 0);
  return new Promise((resolve) => {
    // The bytes so far, copied into one buffer, never the chunks as they came: each chunk costs ~300 B
    // of heap whatever its size, and 2,000 bodies sent a byte at a time took an instance from 80 MB of
    // heap to its 192 MB cap in 10 s with under 1 KB of data each (review r55d F1). The buffer doubles
    // as it fills, up to the declared length, never allocated whole on the headers alone: 2,000
    // connections that declare 64 KB and send nothing would hold 128 MB.
    let body = Buffer.alloc(0);
    let received = 0;
    let settled = false;
    /** Once, whichever comes first. @param {'arrived' | 'late' | 'gone'} outcome */
    const finish = (outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      request.off('readable', onReadable);
      // Back in front of the stream, before its end is announced (Node checks for this last unshift).
      if (outcome === 'arrived' && received > 0) request.unshift(body.subarray(0, received));
      resolve(outcome);
    };
    /** @param {Buffer} chunk */
    const keep = (chunk) => {
      const needed = received + chunk.length;
      if (needed > body.length) {
        // Never from Node's shared pool: a small slice of it keeps the whole 8 KB slab alive.
        const grown = Buffer.allocUnsafeSlow(Math.max(needed, Math.min(expected, body.length * 2)));
        body.copy(grown, 0, 0, received);
        body = grown;
      }
      chunk.copy(body, received);
      received = needed;
    };
    const onReadable = () => {
      for (let chunk = request.read(); chunk !== null; chunk = request.read()) keep(chunk);
      if (received >= expected || request.complete) finish('arrived');
    };
    const deadline = setTimeout(() => finish('late'), deadlineMs);
    request.on('readable', onReadable);
    // Also the connection's: an answer waiting behind another on it is never closed (when-gone.mjs).
    whenGone(response, request.socket, () => finish('gone'));
  });
}
