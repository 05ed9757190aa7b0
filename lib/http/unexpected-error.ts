import { randomBytes } from 'node:crypto';
import { errorFields, logger } from '@/lib/observability/logger.mjs';

// Codes and messages that mean "the database cannot be reached or is busy", from Prisma,
// better-sqlite3, pg and Node's sockets. Such a failure changed nothing and is worth retrying.
const UNAVAILABLE_CODES = new Set([
  'P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028',
  'SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_CANTOPEN', 'SQLITE_IOERR', 'SQLITE_READONLY',
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN',
  '57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08006',
]);
const UNAVAILABLE_MESSAGE =
  /database is locked|database is busy|can't reach database|connection (terminated|refused|timeout|ended)|timeout exceeded when trying to connect|query read timeout|^timeout expired$|too many (clients|connections)|the database system is (starting up|shutting down|in recovery mode|not (yet )?accepting connections)|unable to open database/i;

// Of those, the ones that leave a transaction unbegun or rolled back for certain: the database was
// locked or busy, or could not be reached or give a connection at all. Not a connection lost mid-way,
// which may have been lost during COMMIT, after the work was done.
const NOTHING_WRITTEN_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'P1008', 'P1001', 'P2024', '53300', '57P03', 'ECONNREFUSED']);
const NOTHING_WRITTEN_MESSAGE = /database is (locked|busy)|the database system is (starting up|not (yet )?accepting connections)/i;

// Prisma passes some PostgreSQL errors on as P2039, the server's own code only in its message
// ("Database error. Code: `57P03`. Message: `the database system is starting up`").
const PRISMA_DATABASE_ERROR = 'P2039';
const CODE_IN_MESSAGE = /\bCode: `([0-9A-Z]{5})`/;

/** Whether the error, or one of its causes, has one of the codes, the name or a message matching. */
function inCauseChain(error: unknown, codes: Set<string>, message: RegExp, name?: string): boolean {
  for (let current = error, depth = 0; current && depth < 6; depth++) {
    const fields = current as { code?: unknown; message?: unknown; name?: unknown; cause?: unknown };
    if (typeof fields.code === 'string' && codes.has(fields.code)) return true;
    if (name !== undefined && fields.name === name) return true;
    if (typeof fields.message === 'string' && message.test(fields.message)) return true;
    if (fields.code === PRISMA_DATABASE_ERROR && typeof fields.message === 'string' && codes.has(CODE_IN_MESSAGE.exec(fields.message)?.[1] ?? '')) return true;
    current = fields.cause;
  }
  return false;
}

/** Whether an error means the database is down, locked or overloaded (503), not a bug (500). */
export function isDatabaseUnavailable(error: unknown): boolean {
  return inCauseChain(error, UNAVAILABLE_CODES, UNAVAILABLE_MESSAGE, 'PrismaClientInitializationError');
}

/** Whether the database refused the work before writing any of it: trying the transaction again is safe. */
export function failedBeforeWriting(error: unknown): boolean {
  return inCauseChain(error, NOTHING_WRITTEN_CODES, NOTHING_WRITTEN_MESSAGE);
}

export type Apology = { status: 500 | 503; reference: string; message: string };

/**
 * Logs an unexpected failure with its reference and returns the plain words a person sees:
 * never framework or database text. The reference is the request id, so support can find
 * the log line and the audit records of the same request.
 */
export function apologize(where: string, error: unknown, requestId: string | null): Apology {
  const reference = requestId ?? randomBytes(6).toString('hex');
  const unavailable = isDatabaseUnavailable(error);
  logger.error({ event: 'request.unexpected_error', where, reference, databaseUnavailable: unavailable, ...errorFields(error) });
  return unavailable
    ? {
        status: 503,
        reference,
        message: `The service is busy or unavailable just now, and nothing was saved. Try again in a few minutes. (Reference ${reference})`,
      }
    : {
        status: 500,
        reference,
        message: `Something went wrong on our side and this was not completed. Try again; if it keeps happening, tell support the reference ${reference}.`,
      };
}
