// @ts-check

/**
 * What waits for each answer or connection to close: one 'close' listener on each, however many
 * wait on it. (A connection carries many requests; an answer has several waiting on it, and with
 * Next.js's own, an action that redirects passed Node.js's leak warning of ten listeners, an error line.)
 * @type {WeakMap<import('node:events').EventEmitter, Set<() => void>>}
 */
const waitingOn = new WeakMap();

/** @param {import('node:events').EventEmitter} emitter @param {() => void} callback */
function onClose(emitter, callback) {
  let waiting = waitingOn.get(emitter);
  if (!waiting) {
    const callbacks = new Set();
    waiting = callbacks;
    waitingOn.set(emitter, callbacks);
    emitter.once('close', () => {
      for (const each of [...callbacks]) each();
    });
  }
  waiting.add(callback);
}

/**
 * Calls `gone` once, when the answer closes, or when its connection does. A request sent on a
 * connection before the answer to the one ahead of it waits there for its turn; if the client then
 * closes the connection, Node.js never closes that waiting answer: released only by the answer's
 * 'close', sixteen such requests held every place in the app for good.
 * @param {import('node:http').ServerResponse} response
 * @param {import('node:net').Socket | null} connection
 * @param {() => void} gone
 */
export function whenGone(response, connection, gone) {
  let called = false;
  const once = () => {
    if (called) return;
    called = true;
    waitingOn.get(response)?.delete(once);
    if (connection) waitingOn.get(connection)?.delete(once);
    gone();
  };
  onClose(response, once);
  if (!connection) return;
  if (connection.destroyed) return void setImmediate(once);
  onClose(connection, once);
}
