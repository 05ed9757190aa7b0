import { z } from 'zod';
import type { Role, VendorRole } from '@/lib/generated/sqlite/enums';
import { recordAudit } from '@/lib/audit/record';
import { auditThrottledAddress } from '@/lib/audit/record-throttled';
import { claimTemporaryPassword, TEMPORARY_PASSWORD_REFUSED_FOR, type TemporaryPasswordRefusal } from '@/lib/auth/claim-temporary-password';
import { addressLimitRefusesSession, attemptSubjectOf, clearFailures, laneOfSession, lockAccountUntil, markSettled, reserveAttempt, settleReservedAttempt, settleRightSecret, settleWrongSecret, type Reservation } from '@/lib/auth/password-attempt';
import { openSession, resolveSession, SENT_AGAIN_WITHIN_MS, type Actor } from '@/lib/auth/session';
import type { KnownAccount } from '@/lib/auth/known-device';
import { forgetVelocityFailures, recordVelocityFailure, velocityKey } from '@/lib/auth/sign-in-velocity';
import { db, type Tx } from '@/lib/db/client';
import { callbackUrlField } from '@/lib/http/safe-redirect';
import { enqueueMail } from '@/lib/mail/outbox';
import { endFourEyesLinkOnSignIn } from '@/lib/super-admin/end-link-on-sign-in';
import { secondFactorChangedMail } from '@/lib/mail/templates/second-factor-changed';
import { sentBefore, STILL_UNDER_WAY, withKeyHeld } from '@/lib/http/sent-once';
import { accountContact, auditSubject, formOwnerOf, lockFactorOwner, ownerOf } from '@/lib/mfa/account';
import { isAppCode, matchSecondFactor, spendFactor, type SecondFactorProof } from '@/lib/mfa/consume-second-factor';
import { appCodesRefused } from '@/lib/mfa/passkey-policy';
import { PASSKEY_SUSPENDED } from '@/lib/mfa/suspend-passkey';
import { webAuthnResponseField } from '@/lib/mfa/webauthn';
import { accountBudgetSubject } from '@/lib/mfa/wrong-codes';
import { countSignIn } from '@/lib/observability/metrics.mjs';
import { checkRateLimit, consumeRateLimit, RATE_LIMITS, refundRateLimit } from '@/lib/rate-limit/rate-limit';
import { normalizeKey } from '@/lib/validation/identifiers';

const WRONG_CODES_PER_ACCOUNT = RATE_LIMITS.wrongCodesPerAccount;

export const verifySecondFactorSchema = z.object({
  code: z.string().trim().min(1, 'Enter the code from your app, or a recovery code').max(40, 'That code is too long'),
  // Where the sign-in was going (lib/auth/sign-in-form.ts decides whether it may).
  callbackUrl: callbackUrlField,
});

export const verifyPasskeySecondFactorSchema = z.object({ passkey: webAuthnResponseField, callbackUrl: callbackUrlField });

export type VerifyOutcome =
  | { ok: true; sessionId: string; account: KnownAccount }
  | { ok: false; reason: 'WRONG_CODE' | 'PASSKEY_REFUSED' | 'PASSKEY_SUSPENDED' | 'LOCKED' | 'NOT_PENDING' | 'PASSKEY_REQUIRED' | 'THROTTLED' | 'STILL_UNDER_WAY' | TemporaryPasswordRefusal };

/** A browser that has signed in as the account before (`actor.fromKnownBrowser`, decision 062) passes the address's limit here too, and counts on its own streak (065). */
export async function verifySignInSecondFactor(actor: Actor, input: z.infer<typeof verifySecondFactorSchema>, ip: string): Promise<VerifyOutcome> {
  return verifySignIn(actor, { code: input.code }, ip);
}

export async function verifySignInPasskey(actor: Actor, input: z.infer<typeof verifyPasskeySecondFactorSchema>, ip: string): Promise<VerifyOutcome> {
  return verifySignIn(actor, { passkey: input.passkey }, ip);
}

/**
 * The second step of a sign-in. The attempt is reserved on the account's one failure counter
 * (lib/auth/password-attempt.ts) before the code or signature is checked, like a password.
 * Success ends the pending session and opens a new full one (a new id), so the pending
 * session's cookie can never be replayed as a full session; once locked, the pending session ends too.
 */
async function verifySignIn(actor: Actor, proof: SecondFactorProof, ip: string): Promise<VerifyOutcome> {
  // One code step per pending session at a time, held before anything is counted: a copy of the same
  // press (a double click without JavaScript, a POST sent again) waits for the first, and once that one
  // signed in it is answered as a step no longer pending, counting nothing. It found the code spent and
  // was counted as a wrong one, on the account's lock and the agency's spray counts (review r41i F1).
  const held = await withKeyHeld(CODE_STEP_FORM, actor.sessionId, formOwnerOf(actor), NOT_PENDING, (claim) => checkSecondFactor(actor, proof, ip, claim));
  // STILL_UNDER_WAY (the first still at it after 15 s, or a press the database left holding the step: its hold lapses
  // within two minutes) is said on the step, not answered as a step done, which sent the browser back to the same page
  // without a word (review r54e F2). STALE_RENDERING (no other account holds a session's id). Nothing counted either way.
  const outcome: VerifyOutcome = held === STILL_UNDER_WAY ? { ok: false, reason: 'STILL_UNDER_WAY' } : 'message' in held ? NOT_PENDING : held;
  countSignIn(ownerOf(actor).kind === 'vendor' ? 'vendor' : 'agency', 'second_factor', outcome.ok ? 'success' : outcome.reason.toLowerCase());
  return outcome;
}

/**
 * Who signed in, when `sessionId` names a pending session whose code step was done: a copy of that press,
 * come once the first had ended it. Null otherwise (no such session, still pending, its step at work).
 */
export async function codeStepDoneBy(sessionId: string): Promise<{ kind: 'agency' | 'vendor'; role: Role | VendorRole } | null> {
  const session = await db().authSession.findUnique({ where: { id: sessionId }, select: { secondFactorPending: true, userId: true, vendorAccountId: true } });
  if (!session?.secondFactorPending) return null;
  const { userId, vendorAccountId } = session;
  if (userId && (await sentBefore(CODE_STEP_FORM, sessionId, `user:${userId}`))) {
    const user = await db().user.findUnique({ where: { id: userId }, select: { role: true } });
    return user && { kind: 'agency', role: user.role };
  }
  if (vendorAccountId && (await sentBefore(CODE_STEP_FORM, sessionId, `vendor:${vendorAccountId}`))) {
    const account = await db().vendorAccount.findUnique({ where: { id: vendorAccountId }, select: { role: true } });
    return account && { kind: 'vendor', role: account.role };
  }
  return null;
}

/**
 * The full session a code step opened moments ago in this browser, for a copy of its press: a double press without
 * JavaScript whose first answer, and the cookie in it, the browser dropped. Answered only so far, it was sent to the
 * sign-in page with its code used up and its temporary password claimed (review r55c F1). Only while the cookie still
 * names the pending session that step ended, the browser's key (`browserKey`, its digest) is the one the password step
 * came with, the step was done within SENT_AGAIN_WITHIN_MS, and the session it opened is still open: the same browser
 * seconds later, as the password step's copies (decision 058, session 45 addendum). The key opens nothing alone.
 */
export async function sessionCodeStepOpenedHere(pendingSessionId: string, browserKey: string | null, now = new Date()): Promise<{ sessionId: string; account: KnownAccount } | null> {
  if (browserKey === null) return null;
  const pending = await db().authSession.findUnique({
    where: { id: pendingSessionId },
    select: { secondFactorPending: true, browserKey: true, endedAt: true, codeStepOpened: true },
  });
  if (!pending?.secondFactorPending || pending.codeStepOpened === null || pending.browserKey !== browserKey) return null;
  if (pending.endedAt === null || now.getTime() - pending.endedAt.getTime() > SENT_AGAIN_WITHIN_MS) return null;
  const opened = await resolveSession(pending.codeStepOpened, now);
  if (!opened || opened.secondFactorPending || opened.resolvedAtVersion === undefined) return null;
  const account = opened.kind === 'agency' ? { kind: 'user' as const, id: opened.userId } : { kind: 'vendor' as const, id: opened.vendorAccountId };
  return { sessionId: opened.sessionId, account: { ...account, version: opened.resolvedAtVersion } };
}

/** The key withKeyHeld holds for a pending session's code step, and what a copy of a step that signed in is answered. */
const CODE_STEP_FORM = 'sign-in-code-step';
const NOT_PENDING = { ok: false, reason: 'NOT_PENDING' } as const;

async function checkSecondFactor(actor: Actor, proof: SecondFactorProof, ip: string, claim: (tx: Tx) => Promise<void>): Promise<VerifyOutcome> {
  if (!actor.secondFactorPending) return { ok: false, reason: 'NOT_PENDING' };
  const owner = ownerOf(actor);
  const audit = auditSubject(actor, ip);
  const lane = laneOfSession(actor);
  const budgetKey = accountBudgetSubject(owner, lane);
  // Not a guess at anything: the app code is simply not enough for this account.
  if ('code' in proof && isAppCode(proof.code) && (await appCodesRefused(actor))) return { ok: false, reason: 'PASSKEY_REQUIRED' };

  // The budget of wrong codes spent is a lock until its hour is over, like one from wrong passwords: the
  // console shows it and lists it, and whatever ends a lock (an unlock, a reset) ends it (wrong-codes.ts).
  // Each lane has its own, and locks only itself (review r49c F1): strangers with the password who spend
  // theirs do not keep the owner's usual browser from its right code.
  const lockIfBudgetSpent = async (tx: Tx) => {
    const budget = await checkRateLimit(tx, WRONG_CODES_PER_ACCOUNT, budgetKey);
    if (budget.limited) await lockAccountUntil(tx, owner.kind, owner.id, new Date(Date.now() + budget.retryAfterSeconds * 1000), lane);
    return budget.limited;
  };
  const endPending = async (details: { reason: string }, reservation?: Reservation) => {
    await db().$transaction(async (tx) => {
      // The account before its sessions, as every change that ends them takes them (PostgreSQL deadlocks otherwise).
      await lockIfBudgetSpent(tx);
      await tx.authSession.updateMany({ where: { id: actor.sessionId, endedAt: null }, data: { endedAt: new Date() } });
      if (reservation) await markSettled(tx, reservation);
      await recordAudit(tx, { ...audit, action: 'SIGN_IN_SECOND_FACTOR_FAILURE', outcome: 'DENIED', details });
    });
    return { ok: false, reason: 'LOCKED' } as const;
  };
  // A wrong code is a failed sign-in like a wrong password: it counts for the client's address, on the
  // limit password failures share, and for the agency's spray counts (PRODUCT.md, "Under attack"), so an
  // address holding many leaked passwords cannot guess codes on all those accounts unseen. A browser that
  // has signed in as this account before passes that limit, as at the password step (decision 062): behind
  // a spraying machine's address, an admin who got past the password is not stopped at the code. It is
  // counted all the same, on its lane's budget of wrong codes; its attempt counts on the account's streak
  // for known devices, which a stranger's lock does not stop (decision 065).
  const addressRule = RATE_LIMITS.signInFailuresPerAddress;
  if (await addressLimitRefusesSession(actor, ip)) {
    await auditThrottledAddress({ ...audit, ip, action: 'SIGN_IN_THROTTLED', outcome: 'DENIED', details: { factor: 'second factor' } });
    return { ok: false, reason: 'THROTTLED' };
  }
  const velocity = actor.kind === 'agency' ? velocityKey(actor.agencyId, normalizeKey(actor.agencyCode), normalizeKey(actor.loginName), ip) : null;
  const subject = await attemptSubjectOf(owner.kind, owner.id, lane);
  const failure = { ...audit, action: 'SIGN_IN_SECOND_FACTOR_FAILURE', outcome: 'FAILURE' } as const;
  // The budget counts the attempts the account's lock lets through, before the check (given back when
  // the code is right), in the transaction that reserves them: guesses sent in parallel meet it one at
  // a time, and those the lock refuses spend none of it (review r32c: a burst of 30 over three
  // instances filled it with refused guesses and locked the account for the hour after 5 checks).
  const reservation = await db()
    .$transaction(async (tx) => {
      const reserved = await reserveAttempt(tx, subject, { failure, pathway: 'second factor' });
      // Thrown, so that the reservation goes with it: this attempt checks nothing and counts nowhere.
      if (reserved.counted && (await consumeRateLimit(tx, WRONG_CODES_PER_ACCOUNT, budgetKey)).limited) throw new BudgetSpent();
      return reserved;
    })
    .catch((error: unknown) => {
      if (error instanceof BudgetSpent) return error;
      throw error;
    });
  if (reservation instanceof BudgetSpent) return endPending({ reason: 'too many wrong codes' });
  if (!reservation.counted) return endPending({ reason: 'account locked' }, reservation);

  const refuseWrongProof = async (): Promise<VerifyOutcome> => {
    let nowLocked = reservation.lock.hardLock || reservation.lock.lockedUntil !== null;
    await settleWrongSecret(
      reservation,
      {
        ...failure,
        details: { reason: 'passkey' in proof ? 'passkey refused' : 'wrong code' },
      },
      'second factor',
      async (tx) => {
        // The account, then the session, before the audit chain, as every other change takes them (PostgreSQL deadlocks otherwise).
        if (await lockIfBudgetSpent(tx)) nowLocked = true;
        if (nowLocked) await tx.authSession.updateMany({ where: { id: actor.sessionId, endedAt: null }, data: { endedAt: new Date() } });
        if (velocity) await recordVelocityFailure(tx, velocity);
      },
    );
    return { ok: false, reason: nowLocked ? 'LOCKED' : 'passkey' in proof ? 'PASSKEY_REFUSED' : 'WRONG_CODE' };
  };
  // A suspended passkey whose key signed rightly is no guess: its attempt, its share of the budget and the address's
  // count go back, and the pending session stays for another factor (decision 046, session 55 addendum).
  const refuseSuspendedPasskey = async (): Promise<VerifyOutcome> => {
    await settleReservedAttempt(() =>
      db().$transaction(async (tx) => {
        await settleRightSecret(tx, reservation, owner, { rule: addressRule, ip }, { onlyThisAttempt: true });
        await refundRateLimit(tx, WRONG_CODES_PER_ACCOUNT, budgetKey);
        await recordAudit(tx, { ...failure, details: { reason: PASSKEY_SUSPENDED } });
      }),
    );
    return { ok: false, reason: 'PASSKEY_SUSPENDED' };
  };
  const used = await matchSecondFactor(owner, proof, actor.sessionId);
  if (!used.ok) return used.passkeySuspended ? refuseSuspendedPasskey() : refuseWrongProof();

  const contact = used.kind === 'RECOVERY_CODE' ? await accountContact(owner) : null;
  const now = new Date();
  const settled = await settleReservedAttempt(() => db().$transaction(async (tx) => {
    // The account before its sessions, the order of every change that ends them all (a reset, a
    // disable, cleared factors): this waits for such a change instead of deadlocking with it.
    await lockFactorOwner(tx, owner);
    // The code is used up here, with its record: a database lost before this commits leaves it unspent (review r54e F1).
    // Another press of the same code spent it first: nothing written, and this one is a wrong code (below).
    if (!(await spendFactor(tx, used))) return null;
    await markSettled(tx, reservation);
    const old = await tx.authSession.updateMany({ where: { id: actor.sessionId, endedAt: null, secondFactorPending: true }, data: { endedAt: now } });
    // A recovery code spent on a sign-in refused from here on is told to its owner too: it is gone, and
    // someone holding it (with the temporary password) may have tried (review r36d F6).
    const tellOfSpentCode = async () => {
      if (contact) await enqueueMail(tx, secondFactorChangedMail(contact, 'recovery code used in a sign-in that did not go through', now));
    };
    if (old.count === 0) {
      // Ended meanwhile (a reset, a disable, cleared factors): the factor was used up for nothing, and that is on the record.
      await recordAudit(tx, { ...audit, action: 'SIGN_IN_SECOND_FACTOR_FAILURE', outcome: 'DENIED', details: { reason: 'session ended meanwhile', factor: used.kind } });
      await tellOfSpentCode();
      return { ok: false, reason: 'NOT_PENDING' } as const;
    }
    // This step ended the pending session, signed in or refused below: a copy of it is answered so.
    await claim(tx);
    // The code was right: its counts on the address and the agency's spray counts go back (clearFailures forgets the budgets).
    const giveBackRightCode = async () => {
      await refundRateLimit(tx, addressRule, ip);
      if (velocity) await forgetVelocityFailures(tx, velocity);
    };
    // A pending session opened with a temporary password claims it only now, when every factor is proved
    // (decision 058): of several opened with it, one completes; the others end, refused as at the password
    // step, their right code settled as a right one.
    // One past its end (its time, or a reset link sent since) is refused too, before the sign-in ends a
    // four-eyes link or opens anything (review r36d F3).
    const refused = actor.kind === 'agency' && actor.mustChangePassword ? await claimTemporaryPassword(tx, actor.userId) : null;
    if (refused) {
      await clearFailures(tx, owner.kind, owner.id, {});
      await giveBackRightCode();
      await recordAudit(tx, { ...audit, action: 'SIGN_IN_FAILURE', outcome: 'FAILURE', details: { reason: TEMPORARY_PASSWORD_REFUSED_FOR[refused], factor: used.kind } });
      await tellOfSpentCode();
      return { ok: false, reason: refused } as const;
    }
    const previous = await tx.authSession.findUniqueOrThrow({ where: { id: actor.sessionId }, select: { sessionVersion: true } });
    const sessionId = await openSession(tx, owner, previous.sessionVersion, ip);
    await tx.authSession.update({ where: { id: actor.sessionId }, data: { codeStepOpened: sessionId } });
    await clearFailures(tx, owner.kind, owner.id, { lastSignInAt: now });
    const fourEyesLinkRevoked = owner.kind === 'user' && (await endFourEyesLinkOnSignIn(tx, owner.id, now, ip));
    await giveBackRightCode();
    await recordAudit(tx, {
      ...audit,
      action: 'SIGN_IN_SECOND_FACTOR_SUCCESS',
      outcome: 'SUCCESS',
      details: { factor: used.kind, factorId: used.factorId, ...(fourEyesLinkRevoked && { fourEyesLinkRevoked }) },
    });
    if (contact) await enqueueMail(tx, secondFactorChangedMail(contact, 'recovery code used to sign in', now));
    return { ok: true, sessionId, account: { kind: owner.kind, id: owner.id, version: previous.sessionVersion } } as const;
  }));
  return settled ?? refuseWrongProof();
}

/** The account's budget of wrong codes is spent: the attempt's reservation is rolled back. */
class BudgetSpent extends Error {}
