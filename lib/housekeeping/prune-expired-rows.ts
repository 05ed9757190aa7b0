import { randomUUID } from 'node:crypto';
import type { Db } from '@/lib/db/client';
import { isUniqueClash } from '@/lib/db/unique-clash';
import { SECOND_FACTOR_PENDING_MS, SESSION_ABSOLUTE_MS } from '@/lib/auth/session';
import { pruneSignInVelocity } from '@/lib/auth/sign-in-velocity';
import { RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import { deleteInBatches } from '@/lib/housekeeping/delete-in-batches';

export const SENT_MAIL_KEPT_MS = 30 * 24 * 60 * 60_000;
/** A reset link's row, dead or alive, for as long as its mail: far past the longest a link lives (POLICY_BOUNDS). */
export const RESET_LINK_KEPT_MS = SENT_MAIL_KEPT_MS;
/** An authenticator-app enrolment nobody finished in a day is abandoned (its sealed secret goes too). */
const UNFINISHED_ENROLMENT_MS = 24 * 60 * 60_000;
/** A form's key outlives any resend of it (a double click, a browser's retry) by far. */
const SENT_FORM_KEPT_MS = 24 * 60 * 60_000;
const HOUSEKEEPING_EVERY_MS = 10 * 60_000;
export const ENDED_SESSION_KEPT_MS = 60 * 60_000;
const HOUSEKEEPING_LEASE_MS = 5 * 60_000;
const JOB = 'housekeeping';

export type PruneReport = {
  rateLimitBuckets: number;
  sessions: number;
  sentMail: number;
  resetTokens: number;
  unfinishedEnrolments: number;
  passkeyChallenges: number;
  signInVelocity: number;
  sentForms: number;
  /** Some kind still has rows due: run again at the next round. */
  more: boolean;
};

/**
 * Removes what no rule reads any more. Never audit records: the chain is the history, and the
 * database refuses to delete them anyway.
 */
export async function pruneExpiredRows(database: Db, now = new Date()): Promise<PruneReport> {
  let more = false;
  const tally = (outcome: { removed: number; more: boolean }) => {
    more ||= outcome.more;
    return outcome.removed;
  };

  // A window that has run its course counts for nothing; each rule has its own length.
  let rateLimitBuckets = 0;
  for (const rule of Object.values(RATE_LIMITS)) {
    const where = { key: { startsWith: `${rule.name}:` }, windowStart: { lte: new Date(now.getTime() - rule.windowMs) } };
    rateLimitBuckets += tally(
      await deleteInBatches(
        async (take) => (await database.rateLimitBucket.findMany({ where, select: { key: true }, take })).map((row) => row.key),
        (keys) => database.rateLimitBucket.deleteMany({ where: { ...where, key: { in: keys } } }),
      ),
    );
  }

  // Sessions ended an hour ago, and those past the longest life any session has (the gate refuses both).
  // An ended one is kept that hour: the sign-in page reads it to say a code step ran out (guards.ts,
  // codeStepRanOut); pruned at once, a round between the code and the next page made it say nothing.
  // A code step never finished ends with its ten minutes, unmarked, and is kept that hour after them: it
  // outlived them by the whole session's life, which a password without its factor filled (review r54b F1).
  const sessionWhere = {
    OR: [
      { endedAt: { lt: new Date(now.getTime() - ENDED_SESSION_KEPT_MS) } },
      { secondFactorPending: true, createdAt: { lt: new Date(now.getTime() - SECOND_FACTOR_PENDING_MS - ENDED_SESSION_KEPT_MS) } },
      { createdAt: { lt: new Date(now.getTime() - SESSION_ABSOLUTE_MS) } },
    ],
  };
  const sessions = tally(
    await deleteInBatches(
      async (take) => (await database.authSession.findMany({ where: sessionWhere, select: { id: true }, take })).map((row) => row.id),
      (ids) => database.authSession.deleteMany({ where: { ...sessionWhere, id: { in: ids } } }),
    ),
  );

  // A withdrawn alert (never sent) is kept as long, counted from its queueing: it was withdrawn within hours. So is
  // dead bulk mail (a confirmation a mail server refused for an address a stranger typed, an alert, a copy of a
  // help request): a month on, no requeue should send it, and it stayed for ever (review r55d I1). Dead mail for
  // one person (a reset link, a lock notice) is kept for operators to requeue.
  const mailKeptSince = new Date(now.getTime() - SENT_MAIL_KEPT_MS);
  const mailWhere = {
    OR: [
      { status: 'SENT' as const, sentAt: { lt: mailKeptSince } },
      { status: 'WITHDRAWN' as const, createdAt: { lt: mailKeptSince } },
      { status: 'DEAD' as const, bulk: true, createdAt: { lt: mailKeptSince } },
    ],
  };
  const sentMail = tally(
    await deleteInBatches(
      async (take) => (await database.outboxMessage.findMany({ where: mailWhere, select: { id: true }, take })).map((row) => row.id),
      (ids) => database.outboxMessage.deleteMany({ where: { ...mailWhere, id: { in: ids } } }),
    ),
  );

  // A used or expired link opens nothing (its page reads both as "not valid"); only hashes are stored. Each is
  // kept as long as its mail is, so the admin console can still say what became of the last link mailed and
  // whether it went out (getUserForAdmin; review r53e F1): no link lives that long, so one this old is dead.
  const tokenWhere = { createdAt: { lt: new Date(now.getTime() - RESET_LINK_KEPT_MS) } };
  const resetTokens = tally(
    await deleteInBatches(
      async (take) => (await database.passwordResetToken.findMany({ where: tokenWhere, select: { id: true }, take })).map((row) => row.id),
      (ids) => database.passwordResetToken.deleteMany({ where: { ...tokenWhere, id: { in: ids } } }),
    ),
  );

  const enrolmentWhere = { confirmedAt: null, createdAt: { lt: new Date(now.getTime() - UNFINISHED_ENROLMENT_MS) } };
  const unfinishedEnrolments = tally(
    await deleteInBatches(
      async (take) => (await database.mfaFactor.findMany({ where: enrolmentWhere, select: { id: true }, take })).map((row) => row.id),
      (ids) => database.mfaFactor.deleteMany({ where: { ...enrolmentWhere, id: { in: ids } } }),
    ),
  );

  // A challenge past its expiry is refused when used (consumeChallenge); nobody answered these.
  const challengeWhere = { expiresAt: { lte: now } };
  const passkeyChallenges = tally(
    await deleteInBatches(
      async (take) => (await database.webAuthnChallenge.findMany({ where: challengeWhere, select: { id: true }, take })).map((row) => row.id),
      (ids) => database.webAuthnChallenge.deleteMany({ where: { ...challengeWhere, id: { in: ids } } }),
    ),
  );

  const signInVelocity = tally(await pruneSignInVelocity(database, now));

  const formWhere = { createdAt: { lt: new Date(now.getTime() - SENT_FORM_KEPT_MS) } };
  const sentForms = tally(
    await deleteInBatches(
      async (take) => (await database.sentForm.findMany({ where: formWhere, select: { key: true }, take })).map((row) => row.key),
      (keys) => database.sentForm.deleteMany({ where: { ...formWhere, key: { in: keys } } }),
    ),
  );

  return { rateLimitBuckets, sessions, sentMail, resetTokens, unfinishedEnrolments, passkeyChallenges, signInVelocity, sentForms, more };
}

/**
 * The round's housekeeping: at most one instance at a time (a lease claimed by a conditional
 * write), every 10 minutes across all instances, or at the next round while a backlog remains.
 * Returns null when another instance holds it or it is not due.
 */
export async function runHousekeeping(database: Db, now = new Date()): Promise<PruneReport | null> {
  try {
    await database.periodicJob.create({ data: { name: JOB, nextRunAt: new Date(0) } });
  } catch (error) {
    // Every later run, and the losers of the very first: the row is there.
    if (!isUniqueClash(error)) throw error;
  }
  const token = randomUUID();
  const claimed = await database.periodicJob.updateMany({
    where: { name: JOB, nextRunAt: { lte: now }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
    data: { leaseToken: token, leaseUntil: new Date(now.getTime() + HOUSEKEEPING_LEASE_MS) },
  });
  if (claimed.count === 0) return null;
  let report: PruneReport | null = null;
  try {
    report = await pruneExpiredRows(database, now);
  } finally {
    // Given back at once; only a finished run moves the next run 10 minutes on.
    const finished = report !== null && !report.more;
    await database.periodicJob.updateMany({
      where: { name: JOB, leaseToken: token },
      data: { leaseToken: null, leaseUntil: null, ...(finished ? { nextRunAt: new Date(now.getTime() + HOUSEKEEPING_EVERY_MS) } : {}) },
    });
  }
  return report;
}
