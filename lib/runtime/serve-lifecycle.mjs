// Start-up and shutdown of the HTTP server in server.mjs (plain Node.js). The app's own part of
// each (which problems forbid serving, the background work to stop) lives in
// lib/runtime/start-instance.ts, which publishes it on globalThis.portalRuntime while Next.js prepares.

/** How long in-flight requests may take to finish after SIGTERM before their sockets are closed. */
export const DRAIN_MS = 10_000;

import { request as httpRequest } from 'node:http';
import { errorFields, logger } from '../observability/logger.mjs';

/** One `server.cannot_start` line: the variable to fix and what is wrong with it. */
export function logCannotStart(variable, problem) {
  logger.fatal({ event: 'server.cannot_start', variable, problem });
}

/** Splits a start-up problem ("VARIABLE: what is wrong", lib/config.ts) into its two fields. */
export function splitProblem(text) {
  const colon = text.indexOf(': ');
  return colon > 0 && /^[A-Z][A-Z0-9_]*$/.test(text.slice(0, colon)) ? [text.slice(0, colon), text.slice(colon + 2)] : [null, text];
}

/** One GET to this very server; resolves whatever the answer (or error). */
export function askSelf(hostname, port, path) {
  const host = hostname === '0.0.0.0' ? '127.0.0.1' : hostname;
  return new Promise((resolve) => {
    const asked = httpRequest({ host, port, path }, (answer) => {
      answer.resume();
      answer.on('end', resolve);
      answer.on('error', resolve);
    });
    asked.on('error', resolve);
    asked.end();
  });
}

/** Once the app is loaded: exits 1 with one line per problem when this instance must not serve. */
export async function refuseToServeIfUnfit() {
  // instrumentation.ts may still be running its checks (the database's) when the first answer is out.
  for (let waited = 0; !globalThis.portalRuntime && waited < 30_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  const runtime = globalThis.portalRuntime;
  if (!runtime) logger.warn({ event: 'server.checks_missing', message: 'the app did not report its start-up checks' });
  if (!runtime || runtime.problems.length === 0) return runtime;
  for (const problem of runtime.problems) logCannotStart(...splitProblem(problem));
  process.exit(1);
}

/** Listens, or says plainly why not (port taken, not allowed) and exits 1 after stopping the background work. */
export function listen(server, port, hostname, onListening) {
  server.once('error', async (error) => {
    const where = `${hostname}:${port}`;
    if (error.code === 'EADDRINUSE') logCannotStart('PORT', `port ${port} is already in use on ${where} (another server is running there): stop it or set PORT`);
    else if (error.code === 'EACCES') logCannotStart('PORT', `not allowed to listen on ${where}: set PORT above 1023 or grant the right`);
    else logCannotStart(null, error.message);
    await globalThis.portalRuntime?.stopBackground().catch(() => {});
    await globalThis.portalRuntime?.close().catch(() => {});
    process.exit(1);
  });
  server.listen(port, hostname, onListening);
}

/**
 * SIGTERM/SIGINT: stop accepting connections; let requests in flight finish (answering them with
 * `Connection: close`, and closing idle keep-alive sockets) for at most DRAIN_MS, then close what
 * is left; meanwhile the mail loop and the status round finish their batch and give back their
 * leases (mail sends still running at DRAIN_MS are cut off and given back); then the database is
 * closed and the process exits 0. A second signal exits at once.
 */
export function installGracefulShutdown(server, { drainMs = DRAIN_MS } = {}) {
  let shuttingDown = false;
  // First in line, before the answer's head can be written: the client must not reuse the socket.
  const closeAfterAnswer = (request, response) => {
    if (shuttingDown) response.setHeader('Connection', 'close');
  };
  server.prependListener('request', closeAfterAnswer);
  server.prependListener('checkContinue', closeAfterAnswer);
  const shutdown = async (signal) => {
    if (shuttingDown) {
      logger.warn({ event: 'server.stopping_now', signal });
      process.exit(1);
    }
    shuttingDown = true;
    const started = Date.now();
    logger.info({ event: 'server.stopping', signal, drainMs });
    const runtime = globalThis.portalRuntime;
    const drained = new Promise((resolve) => server.close(() => resolve()));
    // Idle keep-alive sockets would hold server.close() open; busy ones close after their answer.
    server.closeIdleConnections();
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    // The drain time bounds the background work too: a mail send still waiting on its server then
    // is cut off (its message goes back to the outbox for another instance or the next start).
    const drainOver = new AbortController();
    const cutOff = setTimeout(() => {
      logger.warn({ event: 'server.drain_cut_off', drainMs });
      server.closeAllConnections();
      drainOver.abort();
    }, drainMs);
    // The mail loop and the status round stop now (their current batch ends, leases go back) ...
    const background = settle(runtime?.stopBackground(drainOver.signal));
    await drained;
    clearInterval(sweep);
    await background;
    clearTimeout(cutOff);
    // ... the database closes only once no request can use it.
    await settle(runtime?.close());
    logger.info({ event: 'server.stopped', durationMs: Date.now() - started });
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

async function settle(work) {
  try {
    await work;
  } catch (error) {
    logger.error({ event: 'server.shutdown_step_failed', ...errorFields(error) });
  }
}
