// @ts-check

/**
 * Lets server.mjs send other bytes in place of the answer Next.js is writing, decided when the
 * answer's head is written: only then are its status and headers known. Call before Next.js gets
 * `response`: its compression writes through the methods replaced here.
 *
 * `replacement(status)` reads the answer's headers on `response` (those given to writeHead count as
 * set, so the answer's own cookies and policies stay) and either returns the bytes to send instead,
 * having set the headers that describe them, or returns undefined to leave the answer alone. It
 * returns `{ status, body }` to send the bytes under another status (without the answer's reason phrase).
 * @param {import('node:http').ServerResponse} response
 * @param {(status: number) => Buffer | { status: number; body: Buffer } | undefined} replacement
 */
export function replaceAnswer(response, replacement) {
  const { writeHead, write, end } = response;
  /** @type {Buffer | undefined} */
  let bytes;
  response.writeHead = /** @type {typeof writeHead} */ (
    function writeHeadOrReplace(/** @type {number} */ status, /** @type {any[]} */ ...rest) {
      const given = rest.find((arg) => typeof arg === 'object' && arg !== null);
      // Raw header pairs are not how Next.js writes a head: such an answer is left as it is.
      if (Array.isArray(given)) return writeHead.call(response, status, ...rest);
      for (const [name, value] of Object.entries(given ?? {})) response.setHeader(name, value);
      const chosen = replacement(status);
      if (chosen && !Buffer.isBuffer(chosen)) {
        bytes = chosen.body;
        return writeHead.call(response, chosen.status);
      }
      bytes = chosen;
      return writeHead.call(response, status, typeof rest[0] === 'string' ? rest[0] : undefined);
    }
  );
  // The head is decided before a byte is written, whichever method writes first (Node.js would
  // otherwise write the head itself from inside write(), after the check of `bytes` below, and
  // the answer's own bytes would go out under the replacement's length).
  const decideHead = () => {
    if (!response.headersSent) response.writeHead(response.statusCode);
  };
  response.write = /** @type {typeof write} */ (
    (/** @type {any[]} */ ...args) => {
      decideHead();
      return bytes ? true : write.apply(response, /** @type {any} */ (args));
    }
  );
  response.end = /** @type {typeof end} */ (
    (/** @type {any[]} */ ...args) => {
      decideHead();
      if (!bytes) return end.apply(response, /** @type {any} */ (args));
      const done = args.find((arg) => typeof arg === 'function');
      return end.call(response, response.req?.method === 'HEAD' ? undefined : bytes, done);
    }
  );
}
