import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { TEMPORARY_PASSWORD_SELECT, temporaryPasswordOpen } from '@/lib/auth/claim-temporary-password';
import { isLocked, LANE_COLUMNS, LANES_SELECT, laneLockState, lockAfterFailure, STREAK_RESET_MS, UNLOCKED, type Lane, type LanesState, type LockDecision, type LockoutPolicy } from '@/lib/auth/lockout';
import { recordAudit, type AuditInput } from '@/lib/audit/record';
import type { Actor } from '@/lib/auth/session';
import { db, type Db, type Tx } from '@/lib/db/client';
import { CLOCK_SKEW_TOLERATED_MS } from '@/lib/db/database-clock';
import { currentRequestContext } from '@/lib/http/request-context';
import { failedBeforeWriting, isDatabaseUnavailable } from '@/lib/http/unexpected-error';
import { enqueueMail } from '@/lib/mail/outbox';
import { accountLockedMail, type AccountLock, type LockSetBy } from '@/lib/mail/templates/account-locked';
import { accountContact } from '@/lib/mfa/account';
import { hasSecondFactor } from '@/lib/mfa/policy';
import { forgetAccountBudgets } from '@/lib/mfa/wrong-codes';
import { VENDOR_POLICY } from '@/lib/policy/agency-policy';
import { errorFields, logger } from '@/lib/observability/logger.mjs';
import { isStopping } from '@/lib/runtime/stop-signal';
import { countAccountLock } from '@/lib/observability/metrics.mjs';
import { consumeRateLimit, RATE_LIMITS, refundRateLimit, type RateLimitRule } from '@/lib/rate-limit/rate-limit';

// The one per-account failure counter and lock. Every pathway that checks a secret of the account
// (sign-in, the current password of a change, a second-factor code, a passkey's signature) reserves
// its attempt here before it checks, and clears the streak here when the secret was right, so
// guesses spread over several forms and factors meet the same lock. Each account has two such
// streaks (lockout.ts, lanes): one for browsers that have signed in as it before, one for anyone else.

export type PrincipalKind = 'user' | 'vendor';

/**
 * Whose attempt this is, and on which of its streaks it counts (`anyone` unless the browser is known
 * to the account: laneOf). `id` null (no such account, or one locked or not allowed to sign in) does
 * the same work against no row.
 */
export type AttemptSubject = { kind: PrincipalKind; id: string | null; policy: LockoutPolicy; lane?: Lane };

/**
 * `account`: whose streak it counted on, and `streakStart` when that streak began. `firstLockOfStreak`:
 * this attempt set the streak's first lock (the owner is told of it, and of a hard lock, not of every
 * lock after).
 */
export type Reservation = { unsettledId: string } & (
  | { counted: true; failureCount: number; lock: LockDecision; account: { kind: PrincipalKind; id: string }; lane: Lane; streakStart: Date; firstLockOfStreak: boolean }
  | { counted: false }
);

/**
 * What an attempt's record says if the request never settles it (its process died, the database went
 * away): the failure of its pathway, written by the status round (settleAttemptsLeftToTheRound).
 */
export type IfUnsettled = { failure: AuditInput; pathway: AttemptPathway };

/**
 * The pathways that count a try at a secret of the account: the metrics' `pathway` label, and what a
 * lock proves of whoever set it (lockSetBy), which every new pathway must answer.
 */
export const ATTEMPT_PATHWAYS = ['sign-in', 'passkey sign-in', 'second factor', 'signed-in second factor', 'current password', 'change-password'] as const;
export type AttemptPathway = (typeof ATTEMPT_PATHWAYS)[number];

/** Tries of the step that settles a counted attempt, and the pause before each new one. */
const SETTLE_TRIES = 4;
const SETTLE_PAUSE_MS = 250;

/**
 * Runs the step that settles a reserved attempt (its audit record and, for a right secret, the
 * refund and the session) again while the database is locked or unreachable: the reservation is
 * already written, and a lock between the two must not leave a counted attempt, or a lock, without
 * its record. Only failures that wrote nothing are tried again (failedBeforeWriting).
 */
export async function settleReservedAttempt<T>(step: () => Promise<T>): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await step();
    } catch (error) {
      if (tried >= SETTLE_TRIES || !failedBeforeWriting(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, SETTLE_PAUSE_MS * tried));
    }
  }
}

/**
 * Settles a reserved attempt whose secret was wrong: its failure on the audit chain. The lock the
 * attempt set, if any, is left to the status round (its record, the owner's mail): only a real
 * account's lock makes that work, and an answer that waited for it came 2-3 ms later for a real
 * account than for a made-up one (review r30a). The same statements either way: the attempt's row
 * is deleted, or marked for the round. `first` writes what must come before the chain in every
 * transaction's lock order (a session, the address's rows).
 */
export async function settleWrongSecret(
  reservation: Reservation | null,
  failure: AuditInput,
  pathway: AttemptPathway,
  first?: (tx: Tx) => Promise<unknown>,
): Promise<void> {
  await settleReservedAttempt(() =>
    db().$transaction(async (tx) => {
      await first?.(tx);
      const ours = reservation === null || (setsLock(reservation) ? await leaveLockToTheRound(tx, reservation) : await markSettled(tx, reservation));
      // A request so late that the round already wrote this attempt's record does not write a second.
      if (ours) await recordAudit(tx, recordOfTry(failure, reservation));
    }),
  );
}

/**
 * A try's failure record says whether its try counted on the account's streak, and as which failure: the lock
 * mail reads the streak's counted tries by it (whatTheStreakProves). Written here and by reserveAttempt only.
 */
const COUNTED_TRY = 'consecutiveFailures';

function recordOfTry(failure: AuditInput, reservation: Reservation | null): AuditInput {
  return reservation?.counted ? { ...failure, details: { ...failure.details, [COUNTED_TRY]: reservation.failureCount } } : failure;
}

/** Whether the attempt counted and, with it, set a lock (temporary or hard) on its streak. */
function setsLock(reservation: Reservation): reservation is Extract<Reservation, { counted: true }> {
  return reservation.counted && (reservation.lock.hardLock || reservation.lock.lockedUntil !== null);
}

/**
 * The failure's record is being written; the lock's is the status round's (settleAttemptsLeftToTheRound).
 * Its outcome is known now, so an attempt the lock stopped no longer waits for it (lockEndedMeanwhile).
 * False when the round already took the attempt as abandoned and wrote both.
 */
async function leaveLockToTheRound(tx: Tx, reservation: Reservation): Promise<boolean> {
  // Once: a try of the settle again after one that did commit must not write the failure twice (review r31d L2).
  const { count } = await tx.unsettledAttempt.updateMany({ where: { id: reservation.unsettledId, failureRecordedAt: null }, data: { failureRecordedAt: new Date(), setsLockOf: null } });
  return count === 1;
}

/** The lockout thresholds that apply to an account: its agency's, or the vendor defaults. */
export async function lockoutPolicyOf(kind: PrincipalKind, id: string): Promise<LockoutPolicy> {
  if (kind === 'vendor') return VENDOR_POLICY;
  const user = await db().user.findUniqueOrThrow({
    where: { id },
    select: { agency: { select: { softLockThreshold: true, hardLockThreshold: true } } },
  });
  return user.agency;
}

/** The subject of an attempt on an existing account (a second factor, a passkey), on the given lane. */
export async function attemptSubjectOf(kind: PrincipalKind, id: string, lane: Lane = 'anyone'): Promise<AttemptSubject> {
  return { kind, id, policy: await lockoutPolicyOf(kind, id), lane };
}

/** The lane of an attempt: `knownDevice` when the browser holds the account's known-device token. */
export function laneOf(knownDevice: boolean): Lane {
  return knownDevice ? 'knownDevice' : 'anyone';
}

/**
 * The lane of a signed-in form's try at the account's password or factor: the browser presenting the session's
 * (decision 065, session 46). Strangers who lock their lane do not lock its owner out of their own forms; a thief
 * holding the session cookie alone, without the browser's known-device token, tries on strangers' lane.
 */
export function laneOfSession(actor: Actor): Lane {
  return laneOf(actor.fromKnownBrowser === true);
}

/**
 * Counts a signed-in form's try at the account's password or factor on its address's share of the limit failed
 * sign-ins share (PRODUCT.md, "Under attack"; refunded when the secret is right), and says whether that limit
 * refuses it. The browser presenting the session passes it when it has signed in as the account before, as at
 * sign-in (decision 062): behind a spraying machine's address, the owner is not stopped at their own forms.
 */
export async function addressLimitRefusesSession(actor: Actor, ip: string): Promise<boolean> {
  return (await consumeRateLimit(db(), RATE_LIMITS.signInFailuresPerAddress, ip)).limited && !actor.fromKnownBrowser;
}

/** What a signed-in form is told when addressLimitRefusesSession refuses it. */
export const TOO_MANY_FROM_NETWORK = 'Too many failed attempts from your network. Wait 15 minutes and try again.';

/** An id no row has: refusals run the reservation's statements against it, so they cost what a real one costs. */
const NO_ACCOUNT = '~no-account~';

/** The columns the lockout uses, which users and vendor accounts share. */
type LockoutTable = Pick<Tx['user'], 'updateMany' | 'findUnique'>;

function lockoutTable(tx: Tx, kind: PrincipalKind): LockoutTable {
  // Both models carry the same lockout columns; only those are touched through this view.
  return kind === 'user' ? tx.user : (tx.vendorAccount as unknown as LockoutTable);
}

/**
 * Counts one attempt (and sets the lock when it reaches a threshold) before the password is checked, so
 * a burst of parallel guesses gets at most `threshold` verifications. Not counted: attempts while locked.
 * Always the same five statements, whether or not the subject is a real, unlocked account, on either
 * lane; the fifth leaves the attempt's record for the status round to write should nothing settle it
 * (markSettled), counted or not.
 */
export async function reserveAttempt(tx: Tx, subject: AttemptSubject, ifUnsettled: IfUnsettled, now = new Date()): Promise<Reservation> {
  const table = lockoutTable(tx, subject.kind);
  const lane = subject.lane ?? 'anyone';
  const c = LANE_COLUMNS[lane];
  const id = subject.id ?? NO_ACCOUNT;
  await table.updateMany({
    where: { id, [c.last]: { lt: new Date(now.getTime() - STREAK_RESET_MS) } },
    data: { [c.count]: 0, [c.first]: null },
  });
  // One conditional increment: concurrent attempts each see their own count
  // (row lock on PostgreSQL, write lock on SQLite).
  const increment = await table.updateMany({
    where: { id, [c.hardLockedAt]: null, OR: [{ [c.lockedUntil]: null }, { [c.lockedUntil]: { lte: now } }] },
    data: { [c.count]: { increment: 1 }, [c.last]: now },
  });
  const counted = increment.count === 1;
  const row = (await table.findUnique({
    where: { id: counted ? id : NO_ACCOUNT },
    select: { [c.count]: true, [c.first]: true },
  })) as Record<string, unknown> | null;
  const failureCount = (row?.[c.count] as number | undefined) ?? 0;
  const streakStart = (row?.[c.first] as Date | null | undefined) ?? now;
  const lock = lockAfterFailure(failureCount, streakStart, now, subject.policy);
  await table.updateMany({
    where: { id: counted ? id : NO_ACCOUNT },
    data: { [c.first]: streakStart, [c.lockedUntil]: lock.lockedUntil, ...(lock.hardLock ? { [c.hardLockedAt]: now } : {}) },
  });
  const unsettledId = randomUUID();
  const reservation: Reservation = counted
    ? {
        unsettledId,
        counted,
        failureCount,
        lock,
        account: { kind: subject.kind, id },
        lane,
        streakStart,
        firstLockOfStreak: lock.lockedUntil !== null && failureCount === subject.policy.softLockThreshold,
      }
    : { unsettledId, counted };
  const { failure, pathway } = ifUnsettled;
  const details = { ...failure.details, reason: 'attempt not completed', reservedAt: now.toISOString(), ...(counted ? { [COUNTED_TRY]: failureCount } : {}) };
  await tx.unsettledAttempt.create({
    data: {
      id: unsettledId,
      reservedAt: now,
      pathway,
      failure: JSON.stringify({ ...failure, details, requestId: failure.requestId ?? (await currentRequestContext())?.requestId ?? null }),
      reservation: counted ? JSON.stringify(reservation) : null,
      setsLockOf: setsLock(reservation) ? streakKey(subject.kind, id, lane) : null,
    },
  });
  return reservation;
}

function streakKey(kind: PrincipalKind, id: string, lane: Lane): string {
  return `${kind}:${id}:${lane}`;
}

/** How long a refused attempt waits for the one that set its streak's lock, and how old that one may be. */
const LOCK_SETTER_WAIT_MS = 2_000;
const LOCK_SETTER_MAX_AGE_MS = 30_000;

/**
 * After the check of an attempt that did not count because its streak was locked: whether that lock
 * has ended since, so the attempt may be reserved and checked after all. Mostly the lock was set by
 * another attempt of the same person checked at the same moment, whose password was right (Sign in
 * pressed twice after a few typos, review r26c N3): while that attempt is unsettled this waits for
 * it, up to LOCK_SETTER_WAIT_MS. `account` is the real account the attempt named, null for none; the
 * same two reads for every refusal, against no row when there is no account to ask about.
 */
export async function lockEndedMeanwhile(reservation: Reservation, kind: PrincipalKind, account: string | null, lane: Lane): Promise<boolean> {
  const id = reservation.counted || account === null ? NO_ACCOUNT : account;
  const setter = { setsLockOf: streakKey(kind, id, lane), reservedAt: { gt: new Date(Date.now() - LOCK_SETTER_MAX_AGE_MS) } };
  const giveUpAt = Date.now() + LOCK_SETTER_WAIT_MS;
  let pause = 10;
  while ((await db().unsettledAttempt.count({ where: setter })) > 0 && Date.now() < giveUpAt) {
    await sleep(pause);
    pause = Math.min(pause * 2, 200);
  }
  const row = (await lockoutTable(db(), kind).findUnique({ where: { id }, select: LANES_SELECT })) as LanesState | null;
  return row !== null && !isLocked(laneLockState(row, lane), new Date());
}

/**
 * The attempt is settled: called in the transaction that writes its record (settleWrongSecret, or
 * the right secret's own), so the status round never writes a second one. False when the round
 * already took it as abandoned (ABANDONED_AFTER_MS) and wrote its record.
 */
export async function markSettled(tx: Tx, reservation: Reservation): Promise<boolean> {
  const { count } = await tx.unsettledAttempt.deleteMany({ where: { id: reservation.unsettledId } });
  return count === 1;
}

/**
 * A right secret settles its attempt: the address gets its count back, and the account's streak ends
 * (with the sign-in's time, if it completes one). `onlyThisAttempt`: the sign-in is not complete (a code
 * is still owed) or was refused for what the secret could not change (an account changed meanwhile, a
 * temporary password used up), and only this attempt is given back (giveBackAttempt).
 */
export async function settleRightSecret(
  tx: Tx,
  reservation: Reservation,
  account: { kind: PrincipalKind; id: string },
  address: { rule: RateLimitRule; ip: string },
  ends: { onlyThisAttempt: boolean; lastSignInAt?: Date },
): Promise<void> {
  await markSettled(tx, reservation);
  if (ends.onlyThisAttempt) await giveBackAttempt(tx, account.kind, account.id, reservation);
  else await clearFailures(tx, account.kind, account.id, ends.lastSignInAt ? { lastSignInAt: ends.lastSignInAt } : {});
  await refundRateLimit(tx, address.rule, address.ip);
}

/**
 * The right password ends the streak, including the lock its own reservation set, on both lanes; and the
 * budgets of wrong codes, whose spending is a lock too (lib/mfa/wrong-codes.ts): one lane's spent budget
 * left behind a cleared lock refused that lane's right code, with the console saying nothing was locked
 * (review r49d F5).
 */
export async function clearFailures(
  tx: Tx,
  kind: PrincipalKind,
  id: string,
  extra: { lastSignInAt?: Date } = {},
  forget: { knownBrowserTries?: boolean } = {},
): Promise<void> {
  await lockoutTable(tx, kind).updateMany({ where: { id }, data: { ...UNLOCKED, ...extra } });
  await forgetAccountBudgets(tx, { kind, id }, forget);
}

/** Locks the account's `lane` until `until` (that lane's budget of wrong codes spent), unless it is locked longer already. */
export async function lockAccountUntil(tx: Tx, kind: PrincipalKind, id: string, until: Date, lane: Lane): Promise<void> {
  const c = LANE_COLUMNS[lane];
  await lockoutTable(tx, kind).updateMany({ where: { id, [c.hardLockedAt]: null, OR: [{ [c.lockedUntil]: null }, { [c.lockedUntil]: { lt: until } }] }, data: { [c.lockedUntil]: until } });
}

/**
 * The right password of an account that still owes its second factor: only this attempt's own
 * reservation (and any lock it set) is given back, on its lane. The streak stands until the factor
 * passes, so wrong codes between right passwords add up to the same locks as wrong passwords do.
 */
export async function giveBackAttempt(tx: Tx, kind: PrincipalKind, id: string, reservation: Reservation): Promise<void> {
  if (!reservation.counted) return;
  const table = lockoutTable(tx, kind);
  const c = LANE_COLUMNS[reservation.lane];
  if (reservation.lock.hardLock || reservation.lock.lockedUntil !== null) await table.updateMany({ where: { id }, data: { [c.lockedUntil]: null, [c.hardLockedAt]: null } });
  // Never below zero: the streak may have been cleared meanwhile (the factor passed in another tab, an unlock).
  await table.updateMany({ where: { id, [c.count]: { gt: 0 } }, data: { [c.count]: { decrement: 1 } } });
  // A streak this attempt alone made leaves no trace.
  await table.updateMany({ where: { id, [c.count]: 0 }, data: { [c.first]: null, [c.last]: null } });
}

/**
 * Stores a stronger hash of the password just verified, only while the account still has the hash
 * it was verified against: a reset or a change that landed meanwhile is never undone by the old password.
 * Whether it stored it (a copy of the same sign-in finds the first copy's rehash already there).
 */
export async function rehashIfUnchanged(tx: Tx, kind: PrincipalKind, id: string, verified: string, stronger: string): Promise<boolean> {
  return (await lockoutTable(tx, kind).updateMany({ where: { id, passwordHash: verified }, data: { passwordHash: stronger } })).count === 1;
}

/**
 * Audits the lock a counted failure set, if any, as of `lockedAt`: the same words whichever pathway
 * counted it. The streak's first lock and a hard lock are also mailed to the account's owner while
 * that lock still stands (the round writes this after the request): a hard lock until it is ended,
 * the first lock while its streak goes on; not once an admin's unlock or reset, or the owner's own
 * sign-in, has ended it, which would tell of a lock nobody faces any more.
 */
async function auditLockSetBy(tx: Tx, reservation: Reservation, audit: Omit<AuditInput, 'action' | 'outcome' | 'details'>, pathway: AttemptPathway, lockedAt: Date): Promise<void> {
  if (!setsLock(reservation)) return;
  countAccountLock(reservation.lock.hardLock ? 'hard' : 'temporary', pathway);
  await recordAudit(tx, {
    ...audit,
    actorType: 'SYSTEM',
    actorId: null,
    action: reservation.lock.hardLock ? 'ACCOUNT_HARD_LOCKED' : 'ACCOUNT_LOCKED',
    outcome: 'SUCCESS',
    details: {
      consecutiveFailures: reservation.failureCount,
      lockedAt: lockedAt.toISOString(),
      lockedUntil: reservation.lock.lockedUntil?.toISOString() ?? null,
      pathway,
      ...(reservation.lane === 'knownDevice' ? { lane: 'known device' } : {}),
    },
  });
  if (!reservation.lock.hardLock && !reservation.firstLockOfStreak) return;
  const c = LANE_COLUMNS[reservation.lane];
  const row = (await lockoutTable(tx, reservation.account.kind).findUnique({ where: { id: reservation.account.id }, select: { ...LANES_SELECT, [c.first]: true } })) as
    | (LanesState & Record<string, unknown>)
    | null;
  const streakStart = reservation.streakStart.getTime();
  const stands = reservation.lock.hardLock ? row?.[c.hardLockedAt] != null : Number.isNaN(streakStart) || (row?.[c.first] as Date | null | undefined)?.getTime() === streakStart;
  if (!row || !stands) return;
  const lock = {
    until: reservation.lock.hardLock ? null : reservation.lock.lockedUntil,
    failures: reservation.failureCount,
    fromAddress: audit.ip ?? null,
    fromKnownBrowser: reservation.lane === 'knownDevice',
    // Whether the account's other lane is locked as well: then no browser opens it, and the mail must not say one does.
    otherBrowsersLocked: isLocked(laneLockState(row, reservation.lane === 'knownDevice' ? 'anyone' : 'knownDevice'), new Date()),
    setBy: await whatTheStreakProves(tx, reservation, pathway),
    ...(await temporaryPasswordThroughLock(tx, reservation.account)),
  };
  await mailLockToOwner(tx, reservation.account, lock);
}

/** What the try that set a lock proves of whoever made it, by the pathway that counted it. */
export function lockSetBy(pathway: AttemptPathway): LockSetBy {
  switch (pathway) {
    case 'sign-in':
    case 'passkey sign-in':
      return 'guesses';
    case 'second factor':
      return 'codes after the password';
    // A secret of a session signed in as the account: its guesses are someone inside it.
    case 'signed-in second factor':
    case 'current password':
    case 'change-password':
      return 'a signed-in session';
  }
}

/** What each counted failure's record (outcome FAILURE) proves of whoever made it, as lockSetBy says of its pathway. */
const FAILURE_PROVES: Record<string, LockSetBy> = {
  SIGN_IN_FAILURE: 'guesses',
  SIGN_IN_SECOND_FACTOR_FAILURE: 'codes after the password',
  SECOND_FACTOR_FAILURE: 'a signed-in session',
  CURRENT_PASSWORD_FAILURE: 'a signed-in session',
  PASSWORD_CHANGE_FAILURE: 'a signed-in session',
};
const PROOF_STRENGTH: readonly LockSetBy[] = ['guesses', 'codes after the password', 'a signed-in session'];

/**
 * What the failures of the lock's streak prove, the most any of them does: wrong passwords and wrong codes
 * count on one streak, and whoever knows the password may make the try that sets the lock a wrong password,
 * which alone would tell the owner "nobody signed in; your password still works" (review r43e F1). Read from
 * the records of the tries the streak counted (recordOfTry marks them; a try refused unchecked
 * while locked, the owner's right password among them, proves nothing: review r43f F1), since the streak's
 * start (on either of the account's lanes: each is true of the account). Not only up to the lock: a record is
 * written after its try was counted, so codes counted just before the locking password may be written just
 * after it (review r43g F1); a try counted after the lock, on the other lane, is true of the account too.
 */
async function whatTheStreakProves(tx: Tx, reservation: Extract<Reservation, { counted: true }>, pathway: AttemptPathway): Promise<LockSetBy> {
  // The streak's start is one instance's clock, a record's time another's: a try recorded by an instance
  // running behind must not fall out (review r55f F1). Erring early only ever says more is known.
  const since = new Date(reservation.streakStart.getTime() - CLOCK_SKEW_TOLERATED_MS);
  const failures = Number.isNaN(since.getTime())
    ? []
    : await tx.auditEvent.findMany({
        where: {
          targetId: reservation.account.id,
          outcome: 'FAILURE',
          action: { in: Object.keys(FAILURE_PROVES) },
          details: { contains: `"${COUNTED_TRY}"` },
          createdAt: { gte: since },
        },
        select: { action: true },
        distinct: ['action'],
      });
  const proofs = [lockSetBy(pathway), ...failures.map((failure) => FAILURE_PROVES[failure.action]!)];
  return proofs.reduce((most, proof) => (PROOF_STRENGTH.indexOf(proof) > PROOF_STRENGTH.indexOf(most) ? proof : most));
}

/** The pathway a stored attempt names; one no version of the portal wrote is read as a stranger's guesses. */
function storedPathway(pathway: string): AttemptPathway {
  return (ATTEMPT_PATHWAYS as readonly string[]).includes(pathway) ? (pathway as AttemptPathway) : 'sign-in';
}

/**
 * Whether an admin's temporary password still opens the account through the lock (decision 065 addendum), and
 * whether a second factor's step, which the lock holds, comes after it. The admin's reset ended every browser the
 * account knew, so the mail must not send the owner to one (review r53b F2), unless a whole sign-in at the
 * account's present session version (a passkey's, which uses no password) made one known again: a session of it
 * is read, not a clock (review r53d F2, r53e F4).
 */
async function temporaryPasswordThroughLock(tx: Tx, account: { kind: PrincipalKind; id: string }): Promise<Pick<AccountLock, 'temporaryPasswordOpen' | 'secondFactor'>> {
  const user = account.kind === 'user' ? await tx.user.findUnique({ where: { id: account.id }, select: { ...TEMPORARY_PASSWORD_SELECT, sessionVersion: true } }) : null;
  if (!user || !temporaryPasswordOpen(user, new Date())) return { temporaryPasswordOpen: false, secondFactor: false };
  const signedInSince = await tx.authSession.count({ where: { userId: account.id, sessionVersion: user.sessionVersion, secondFactorPending: false } });
  if (signedInSince > 0) return { temporaryPasswordOpen: false, secondFactor: false };
  return { temporaryPasswordOpen: true, secondFactor: await hasSecondFactor(account, tx) };
}

async function mailLockToOwner(tx: Tx, account: { kind: PrincipalKind; id: string }, lock: AccountLock): Promise<void> {
  const owner = await accountContact(account, tx);
  if (owner) await enqueueMail(tx, accountLockedMail(owner, lock, account.kind === 'vendor' ? 'vendor' : 'agency'));
}

/**
 * How long an attempt may stay unsettled before the status round takes it for abandoned: far past
 * any request's life (argon2 and the admission queue take seconds), so it never settles one that a
 * request is still working on.
 */
export const ABANDONED_AFTER_MS = 5 * 60_000;

/**
 * Writes what requests left to the status round: the lock a wrong secret set (its record and mail;
 * the request wrote the failure's), and the attempts nobody settled (decision 065): their failure,
 * as "attempt not completed", and the lock their reservation set. The count stays: an attempt whose
 * outcome is unknown is not given back, or crashing a request would be a free guess. Each is claimed
 * by deleting it in the transaction that writes its record, so of two instances only one writes it.
 */
export async function settleAttemptsLeftToTheRound(database: Db, now = new Date()): Promise<number> {
  const kept: string[] = [];
  let settled = 0;
  // The locks the requests left first (they are due now), then the abandoned; in batches, so that a
  // spray that locks many accounts at once is written within a round, up to a bound per round.
  for (const due of [{ failureRecordedAt: { not: null } }, { failureRecordedAt: null, reservedAt: { lt: new Date(now.getTime() - ABANDONED_AFTER_MS) } }]) {
    for (let batch = 0; batch < SETTLE_BATCHES_PER_ROUND && !isStopping(); batch++) {
      const left = await database.unsettledAttempt.findMany({ where: { ...due, id: { notIn: kept } }, orderBy: { reservedAt: 'asc' }, take: SETTLE_BATCH });
      for (const attempt of left) {
        try {
          const written = await database.$transaction(async (tx) => {
            // Claimed as read: a late request may have written the failure since (failureRecordedAt set).
            const claim = { id: attempt.id, failureRecordedAt: attempt.failureRecordedAt };
            if ((await tx.unsettledAttempt.deleteMany({ where: claim })).count === 0) return false;
            const failure = JSON.parse(attempt.failure) as AuditInput;
            if (!attempt.failureRecordedAt) await recordAudit(tx, failure);
            if (attempt.reservation) await auditLockSetBy(tx, revivedReservation(attempt.reservation), failure, storedPathway(attempt.pathway), attempt.reservedAt);
            return true;
          });
          if (written) settled++;
        } catch (error) {
          // Kept for the next round; one that cannot be written holds up none of the others.
          kept.push(attempt.id);
          logger.error({ event: 'auth.unsettled_attempt_failed', unsettledId: attempt.id, ...errorFields(error) });
          if (isDatabaseUnavailable(error)) return settled;
        }
      }
      if (left.length < SETTLE_BATCH) break;
    }
  }
  return settled;
}

const SETTLE_BATCH = 100;
const SETTLE_BATCHES_PER_ROUND = 10;

function revivedReservation(json: string): Reservation {
  const reservation = JSON.parse(json) as Reservation;
  if (reservation.counted) {
    if (reservation.lock.lockedUntil) reservation.lock.lockedUntil = new Date(reservation.lock.lockedUntil);
    // A row an older version wrote names no streak start: its lock is taken to stand.
    reservation.streakStart = new Date(reservation.streakStart ?? Number.NaN);
  }
  return reservation;
}
