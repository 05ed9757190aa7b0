// The one logger: JSON lines on stdout (pino), each line written while serving a request carrying
// that request's id, and each line of a background round its round's id. server.mjs loads this module itself and Next.js bundles its own copy for the
// app's code, so the logger and the request scope live on globalThis: both copies share them.
import { AsyncLocalStorage } from 'node:async_hooks';
import { format, stripVTControlCharacters } from 'node:util';
import pino from 'pino';

const HOLDER = Symbol.for('portal.observability.logger');

/** @typedef {{ requestId: string; databaseUnavailable?: boolean }} RequestScope */
/** @typedef {RequestScope | { roundId: string }} WorkScope */

// Field names that hold a secret in an event or one level down: never written, even if a future
// caller passes one by mistake. `code` (a second-factor code) only at the top:
// `error.code` is an error's kind (P1001, ECONNREFUSED), which the person on call needs.
const SECRET_FIELDS = ['password', 'newPassword', 'currentPassword', 'token', 'secret', 'body', 'html', 'text', 'cookie', 'authorization'];
const REDACTED_PATHS = ['code', ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`])];

function isDevelopment() {
  return process.argv.includes('--dev') || process.env.NODE_ENV === 'development';
}

/** pino's ISO time, formatted once per millisecond: under load many lines share one. */
function isoTimeOncePerMillisecond() {
  let last = -1;
  let text = '';
  return () => {
    const now = Date.now();
    if (now !== last) {
      last = now;
      text = `,"time":"${new Date(now).toISOString()}"`;
    }
    return text;
  };
}

function createLogger() {
  /** @type {AsyncLocalStorage<WorkScope>} */
  const scope = new AsyncLocalStorage();
  const options = {
    level: process.env.LOG_LEVEL || 'info',
    timestamp: isoTimeOncePerMillisecond(),
    // The caller's own fields win: the access line names its request explicitly.
    mixin: () => {
      const store = scope.getStore();
      if (!store) return {};
      return 'roundId' in store ? { roundId: store.roundId } : { requestId: store.requestId };
    },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  // Readable lines for a person at a terminal, and only there: production always writes JSON.
  // pino-pretty is a development dependency, absent from a production install, so it is required
  // only here (through getBuiltinModule: Next.js also compiles this file for the edge runtime,
  // which has no node:module).
  const destination = isDevelopment()
    ? process.getBuiltinModule('node:module').createRequire(import.meta.url)('pino-pretty')({
        sync: true,
        singleLine: true,
        translateTime: 'SYS:HH:MM:ss.l',
        messageFormat: '{event}',
        ignore: 'pid,hostname,event',
      })
    : linesJoinedPerTurn();
  // The access line (lib/observability/access-log.mjs) has fixed fields, its path already redacted
  // and its request named: no redaction pass or request scope on the one line every request writes.
  const access = pino({ level: options.level, timestamp: options.timestamp }, destination);
  return { logger: pino(options, destination), access, scope };
}

/**
 * stdout, written synchronously (as pino's default) but once per turn of the event loop: the lines
 * of one turn go out in one write at its end. One write per line cost more than sending /help from
 * memory. Not pino's asynchronous mode: its writes wait on libuv's thread pool, behind argon2 verifies
 * in a sign-in rush, and one still waiting there when the process exits is lost.
 */
function linesJoinedPerTurn() {
  const stdout = pino.destination({ fd: 1, sync: true });
  /** @type {string[]} */
  let pending = [];
  const flush = () => {
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    stdout.write(text);
  };
  // A process that exits (process.exit, a fatal error) writes what this turn logged first.
  process.on('exit', flush);
  return {
    /** @param {string} line */
    write(line) {
      if (pending.push(line) === 1) setImmediate(flush);
    },
  };
}

/** @type {{ logger: import('pino').Logger; access: import('pino').Logger; scope: AsyncLocalStorage<WorkScope> }} */
const shared = (globalThis[HOLDER] ??= createLogger());

export const logger = shared.logger;
/** Only for the access line: the same stream and level as `logger`, without its redaction. */
export const accessLogger = shared.access;

// What Next.js prints, with a stack, about a request a client got wrong: a form post that is no
// action, an action id no build of ours has (a forged form, or one left open across a deploy). Anyone
// may send one: a warning of one line, as every client mistake is, never a stack or an error.
const CLIENT_MISTAKES = [/^Error: Invalid Server Actions? request/, /^Error: Failed to find Server Action /, /^Error: The Server Reference ID did not match/];

const CONSOLE_LEVELS = { debug: 'debug', log: 'info', info: 'info', warn: 'warn', error: 'error' };

/**
 * Makes what Next.js and libraries print with console.* JSON lines too (event `console`), so every
 * line on stdout parses. Called by server.mjs only: scripts that print for people keep their console.
 */
export function routeConsoleToLog() {
  for (const [method, level] of Object.entries(CONSOLE_LEVELS)) {
    console[method] = (...args) => {
      const message = stripVTControlCharacters(format(...args));
      if (CLIENT_MISTAKES.some((mistake) => mistake.test(message))) shared.logger.warn({ event: 'console', message: message.split('\n')[0] });
      else shared.logger[level]({ event: 'console', message });
    };
  }
}

/**
 * Runs the handling of one request so that every line it logs, however deep, names the request.
 * Given the request's scope rather than its id, the caller keeps it and can read what the app marked
 * on it (server.mjs: markDatabaseUnavailable).
 * @param {string | RequestScope} request
 */
export function runInRequestScope(request, run) {
  return shared.scope.run(typeof request === 'string' ? { requestId: request } : request, run);
}

/**
 * Marks the request being served as one that met an unavailable database (lib/db/client.ts). It is
 * marked as the query fails, before Next.js writes an answer: a page that then fails is answered
 * 503 with words that read without JavaScript (lib/runtime/database-unavailable-page.mjs).
 */
export function markDatabaseUnavailable() {
  const store = shared.scope.getStore();
  if (store && 'requestId' in store) store.databaseUnavailable = true;
}

/**
 * Runs one round of background work (the 30 s status round) so that every line it logs names the
 * round, by an id of its own: an error no request caused still says which work wrote it.
 */
export function runInRoundScope(run) {
  return shared.scope.run({ roundId: crypto.randomUUID() }, run);
}

/** Starts work that outlives any request (timers, loops) without a request's id on its lines. */
export function runOutsideRequests(run) {
  return shared.scope.exit(run);
}

/**
 * The error fields of a log line: kind, code, message and stack, never the error's other
 * properties (a driver error may carry a query's values). Under `error`, not pino's `err`,
 * whose serializer copies every property.
 */
export function errorFields(error) {
  if (!(error instanceof Error)) return { error: { message: String(error) } };
  const { code } = /** @type {{ code?: unknown }} */ (error);
  return { error: { type: error.name, ...(code !== undefined && { code }), message: error.message, stack: error.stack } };
}
