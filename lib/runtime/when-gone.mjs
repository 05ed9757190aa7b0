// @ts-check

/** What waits for each connection to close: one listener per connection, however many requests it carries. @type {WeakMap<import('node:net').Socket, Set<() => void>>} */
const waitingOnConnection = new WeakMap();

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
    if (connection) waitingOnConnection.get(connection)?.delete(once);
    gone();
  };
  response.once('close', once);
  if (!connection) return;
  if (connection.destroyed) return void setImmediate(once);
  let waiting = waitingOnConnection.get(connection);
  if (!waiting) {
    const callbacks = new Set();
    waiting = callbacks;
    waitingOnConnection.set(connection, callbacks);
    connection.once('close', () => {
      for (const callback of [...callbacks]) callback();
    });
  }
  waiting.add(once);
}
