import { createHash } from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '@/lib/audit/record';
import { auditThrottledAddress, sampledThrottle } from '@/lib/audit/record-throttled';
import { ACCOUNT_CHANGED_DURING_SIGN_IN, holdAccountAsChecked } from '@/lib/auth/account-as-checked';
import { claimTemporaryPassword, TEMPORARY_PASSWORD_REFUSED_FOR, TEMPORARY_PASSWORD_SELECT, temporaryPasswordOpen, temporaryPasswordRefusal } from '@/lib/auth/claim-temporary-password';
import { isLocked, laneLockState, LANES_SELECT, type LanesState } from '@/lib/auth/lockout';
import { laneOf, lockEndedMeanwhile, markSettled, rehashIfUnchanged, reserveAttempt, settleReservedAttempt, settleRightSecret, settleWrongSecret, type IfUnsettled, type PrincipalKind } from '@/lib/auth/password-attempt';
import { isIdleLimited, openSession, sessionJustOpenedHere } from '@/lib/auth/session';
import {
  claimCheck,
  forgetVelocityFailures,
  recordVelocityFailure,
  slowingWait,
  velocityKey,
  type VelocityKey,
} from '@/lib/auth/sign-in-velocity';
import { db, type Tx } from '@/lib/db/client';
import type { Role, VendorRole } from '@/lib/generated/sqlite/enums';
import type { KnownAccount } from '@/lib/auth/known-device';
import { hasSecondFactor } from '@/lib/mfa/policy';
import { accountBudgetSubject } from '@/lib/mfa/wrong-codes';
import { countSignIn } from '@/lib/observability/metrics.mjs';
import { hashPassword, needsRehash, verifyDummy, verifyPassword } from '@/lib/password/hash';
import { VENDOR_POLICY } from '@/lib/policy/agency-policy';
import { checkRateLimit, consumeRateLimit, RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import {
  loginNameSchema,
  normalizeKey,
  providerCodeSchema,
  signInPasswordSchema,
  vendorEmailSchema,
} from '@/lib/validation/identifiers';

/** What the sign-in forms may tell a person. Everything else is INVALID: no enumeration. */
export type SignInFailure = 'INVALID' | 'THROTTLED' | 'ACCOUNT_THROTTLED' | 'TEMPORARY_PASSWORD_EXPIRED' | 'TEMPORARY_PASSWORD_USED' | 'BAD_INPUT';
/**
 * THROTTLED may say when to try again (an address slowed in an agency); BAD_INPUT, which field is
 * wrong and why (only what was typed, nothing of any account). No other refusal says more than its reason.
 */
export type SignInResult =
  | { ok: true; sessionId: string; secondFactorPending: boolean; role: Role | VendorRole; account: KnownAccount }
  | { ok: false; reason: SignInFailure; retryAfterSeconds?: number; fieldErrors?: Record<string, string[]> };

export const agencySignInSchema = z.object({
  providerCode: providerCodeSchema,
  loginName: loginNameSchema,
  password: signInPasswordSchema,
});

export const vendorSignInSchema = z.object({
  email: vendorEmailSchema,
  password: signInPasswordSchema,
});

type Candidate = {
  kind: PrincipalKind;
  id: string;
  role: Role | VendorRole;
  active: boolean;
  passwordHash: string;
  lock: LanesState;
  sessionVersion: number;
  policy: { softLockThreshold: number; hardLockThreshold: number };
  mustChangePassword: boolean;
  /**
   * The password is an admin's temporary one, not yet used nor past its end: 16 random characters (79 bits),
   * which no number of guesses finds, so it is checked even while the account is locked (attemptSignIn).
   */
  temporaryPasswordOpen: boolean;
};

/** Whether the browser signing in has signed in as this account before (known-device.ts); none, when not given. */
export type KnowsAccount = (account: KnownAccount) => boolean;
/** A browser that has signed in as no account (a test, a script). */
export const NO_DEVICE: KnowsAccount = () => false;

/** Agency sign-ins are counted per agency and per address in it; vendor sign-ins have no agency. */
type Velocity = { key: VelocityKey } | null;

/** Attempts from one address queue on its rate-limit row (counted, given back), holding pool connections: allow more than the default 2 s to get one. */
const ADDRESS_TURN = { maxWait: 10_000, timeout: 15_000 };

/**
 * Input no account could have, refused before any is looked for, with each field's own message: a
 * name pasted with a zero-width space was told only that "codes and names" cannot hold such characters.
 */
function badInput(error: z.ZodError): SignInResult {
  const fieldErrors = Object.fromEntries(Object.entries(z.flattenError(error).fieldErrors).filter((entry): entry is [string, string[]] => !!entry[1]));
  return { ok: false, reason: 'BAD_INPUT', ...(Object.keys(fieldErrors).length > 0 ? { fieldErrors } : {}) };
}

/** An agency id no row has: an unknown provider code still costs the user lookup a known one costs. */
const NO_AGENCY = '~no-agency~';

/**
 * The browser a sign-in comes from, as far as a copy of its form goes (browser-session.ts, signingBrowserHere): `key`, the
 * digest of the key the sign-in page gave it, or null (a script, a test); `sessionHeld`, the session its cookie names.
 * The same form sent again from it is answered with the session its first copy opened; a browser that holds that
 * session's cookie already saw the first copy's answer, and signs in anew (a copy of its old cookie must open nothing).
 */
export type SigningBrowser = { key: string | null; sessionHeld: string | null };
/** A client that sent no key (a test, a script): every sign-in is one of its own. */
export const NO_BROWSER_KEY: SigningBrowser = { key: null, sessionHeld: null };

export async function signInAgencyUser(input: unknown, ip: string, knows = NO_DEVICE, browser = NO_BROWSER_KEY): Promise<SignInResult> {
  const parsed = agencySignInSchema.safeParse(input);
  if (!parsed.success) return counted('agency', { result: badInput(parsed.error), outcome: 'bad_input' });
  const { providerCode, loginName, password } = parsed.data;
  const codeKey = normalizeKey(providerCode);
  const loginKey = normalizeKey(loginName);

  const agency = await db().agency.findUnique({
    where: { codeKey },
    select: { id: true, softLockThreshold: true, hardLockThreshold: true },
  });
  const user = await db().user.findUnique({
    where: { agencyId_loginKey: { agencyId: agency?.id ?? NO_AGENCY, loginKey } },
    select: {
      id: true,
      role: true,
      status: true,
      passwordHash: true,
      ...LANES_SELECT,
      sessionVersion: true,
      ...TEMPORARY_PASSWORD_SELECT,
    },
  });
  const candidate: Candidate | null =
    agency && user
      ? {
          kind: 'user',
          id: user.id,
          role: user.role,
          active: user.status === 'ACTIVE',
          passwordHash: user.passwordHash,
          lock: user,
          sessionVersion: user.sessionVersion,
          policy: agency,
          mustChangePassword: user.mustChangePassword,
          temporaryPasswordOpen: temporaryPasswordOpen(user, new Date()),
        }
      : null;
  const velocity = { key: velocityKey(agency?.id ?? null, codeKey, loginKey, ip) };
  const typed = { agencyId: agency?.id ?? null, refusalScope: refusalScopeOf(codeKey) };
  return counted('agency', await attemptSignIn(candidate, password, ip, typed, velocity, { knows, ...browser }));
}

export async function signInVendorAccount(input: unknown, ip: string, knows = NO_DEVICE, browser = NO_BROWSER_KEY): Promise<SignInResult> {
  const parsed = vendorSignInSchema.safeParse(input);
  if (!parsed.success) return counted('vendor', { result: badInput(parsed.error), outcome: 'bad_input' });
  const account = await db().vendorAccount.findUnique({
    where: { emailKey: normalizeKey(parsed.data.email) },
    select: { id: true, role: true, active: true, passwordHash: true, ...LANES_SELECT, sessionVersion: true },
  });
  const candidate: Candidate | null = account
    ? { kind: 'vendor', ...account, lock: account, policy: VENDOR_POLICY, mustChangePassword: false, temporaryPasswordOpen: false }
    : null;
  return counted('vendor', await attemptSignIn(candidate, parsed.data.password, ip, { agencyId: null, refusalScope: 'vendor staff' }, null, { knows, ...browser }));
}

/**
 * Where a staff sign-in refused unchecked is sampled (record-throttled.ts): one of 256 scopes, picked by the typed
 * provider code alone. A real code and a made-up one in the same scope are sampled alike (review r55e F1), and made-up
 * codes cannot each open a scope of their own, which lifted the bound on records a minute (r55h M1).
 */
export function refusalScopeOf(codeKey: string): string {
  return `provider codes ${createHash('sha256').update(codeKey).digest('hex').slice(0, 2)}`;
}

/** How a password step ended, for the sign-in metric: finer than what the person is told (no enumeration there). */
type SignInOutcome =
  | 'success'
  | 'wrong_password'
  | 'unknown_account'
  | 'disabled'
  | 'locked'
  | 'throttled'
  | 'slowed'
  | 'temporary_password_expired'
  | 'temporary_password_used'
  | 'changed_meanwhile'
  | 'bad_input';
type Decided = { result: SignInResult; outcome: SignInOutcome };
const REFUSED_OUTCOME = {
  INVALID: 'changed_meanwhile',
  ACCOUNT_THROTTLED: 'throttled',
  TEMPORARY_PASSWORD_USED: 'temporary_password_used',
  TEMPORARY_PASSWORD_EXPIRED: 'temporary_password_expired',
} as const satisfies Record<string, SignInOutcome>;

/** Every sign-in's password step is counted here, once, by how it was decided. */
function counted(audience: 'agency' | 'vendor', { result, outcome }: Decided): SignInResult {
  countSignIn(audience, 'password', outcome);
  return result;
}

async function attemptSignIn(
  candidate: Candidate | null,
  password: string,
  ip: string,
  { agencyId, refusalScope }: { agencyId: string | null; refusalScope: string },
  velocity: Velocity,
  browser: { knows: KnowsAccount } & SigningBrowser,
): Promise<Decided> {
  // Refusals that check nothing are sampled by what was typed, the same for a real and a made-up code or e-mail (review r55e F1).
  const throttledRecord = { scope: refusalScope, action: 'SIGN_IN_THROTTLED', outcome: 'DENIED' } as const;
  const audit = {
    actorType: candidate?.kind === 'vendor' ? 'VENDOR' : candidate ? 'USER' : 'ANONYMOUS',
    actorId: candidate?.id ?? null,
    agencyId,
    targetType: candidate ? (candidate.kind === 'vendor' ? 'VendorAccount' : 'User') : null,
    targetId: candidate?.id ?? null,
    ip,
  } as const;
  const addressRule = RATE_LIMITS.signInFailuresPerAddress;
  // A browser that has signed in as this account before passes the address's limit and its slowing: a
  // colleague behind the same NAT as a spraying machine still signs in (known-device.ts). Its attempt is
  // counted all the same, and on the account's own streak for known devices: a stranger's lock does not stop it (decision 065).
  const knownDevice = candidate !== null && browser.knows({ kind: candidate.kind, id: candidate.id, version: candidate.sessionVersion });

  if (!knownDevice && (await checkRateLimit(db(), addressRule, ip)).limited) {
    await auditThrottledAddress({ ...audit, ...throttledRecord });
    return { result: { ok: false, reason: 'THROTTLED' }, outcome: 'throttled' };
  }

  // Every attempt past the slowing does the same work, whatever the account: one transaction that counts it
  // for the address, one that counts it for the account (against no row when there is no account it may
  // count on), one argon2id verify, two reads for whether a lock ended meanwhile (lockEndedMeanwhile), one
  // transaction that audits the failure and counts it for the agency and the address (the status round
  // alerts an agency whose count reached its threshold). A right password gives the counts back. So no refusal answers sooner than another
  // (README, "Equal work for every refusal").
  const lane = laneOf(knownDevice);
  const eligible = candidate !== null && candidate.active && !isLocked(laneLockState(candidate.lock, lane), new Date());
  const turn = await db().$transaction(async (tx) => {
    // First the address's own counter: its row lock makes parallel attempts from one address take turns
    // here (PostgreSQL; SQLite runs one writer at a time), so the limit and the slowing below hold for bursts.
    const { limited } = await consumeRateLimit(tx, addressRule, ip);
    const now = new Date();
    // An address failing on many accounts of this agency waits between checks (README, "Slowing a
    // spraying address"). The refusal checks no password; it keeps its count on the address's limit,
    // so a slowed address's refusals, and the rows each made-up name adds here, stop at that limit.
    const wait = velocity && (knownDevice || !limited) ? await slowingWait(tx, velocity.key, now) : 0;
    // A known device passes both; whether it had to decides what its success may clear (settle, below). Past the
    // address's limit it tries on a budget of the account's (review r54b F2).
    if (knownDevice) {
      const budget = limited ? await consumeRateLimit(tx, RATE_LIMITS.signInAttemptsPerKnownAccount, accountBudgetSubject(candidate, 'anyone')) : null;
      if (budget?.limited) return { throttled: 'account' as const, retryAfterSeconds: budget.retryAfterSeconds };
      return { throttled: null, passedSlowing: limited || wait > 0 };
    }
    if (limited) return { throttled: 'address' as const };
    if (velocity) {
      if (wait > 0) {
        await recordVelocityFailure(tx, velocity.key, now);
        const record = sampledThrottle({ ...audit, ...throttledRecord, details: { slowedSeconds: wait } });
        if (record) await recordAudit(tx, record);
        return { throttled: 'slowed' as const, wait };
      }
      await claimCheck(tx, velocity.key, now);
    }
    return { throttled: null, passedSlowing: false };
  }, ADDRESS_TURN);
  if (turn.throttled === 'address') {
    await auditThrottledAddress({ ...audit, ...throttledRecord });
    return { result: { ok: false, reason: 'THROTTLED' }, outcome: 'throttled' };
  }
  if (turn.throttled === 'slowed') return { result: { ok: false, reason: 'THROTTLED', retryAfterSeconds: turn.wait }, outcome: 'slowed' };
  if (turn.throttled === 'account') {
    await auditThrottledAddress({ ...audit, ...throttledRecord, details: { limit: 'known browser, per account' } });
    return { result: { ok: false, reason: 'ACCOUNT_THROTTLED', retryAfterSeconds: turn.retryAfterSeconds }, outcome: 'throttled' };
  }

  // The account's own count, in a transaction of its own so the address's row is held only for the steps above.
  const kind = candidate?.kind ?? (velocity ? 'user' : 'vendor');
  const subject = { kind, id: eligible ? candidate.id : null, policy: candidate?.policy ?? VENDOR_POLICY, lane };
  const failure = { ...audit, action: 'SIGN_IN_FAILURE', outcome: 'FAILURE' } as const;
  const ifUnsettled: IfUnsettled = { failure, pathway: 'sign-in' };
  let reservation = await db().$transaction((tx) => reserveAttempt(tx, subject, ifUnsettled));

  // Locked, an admin's temporary password is checked all the same, uncounted (the lock stands, and no guess at
  // 79 bits adds to it): the same work as the dummy verify, and strangers who keep the account locked no longer
  // keep its owner out of the sign-in the admin gave them (review r52d F1, r52f F1).
  const checkedThroughLock = !reservation.counted && candidate?.active === true && candidate.temporaryPasswordOpen;
  // One verify per attempt, whatever branch it takes: an active account's own hash even while locked (its answer
  // used only if the attempt counts after all, below), the dummy for none. A second verify for a lock that ended
  // meanwhile, which only a real account has, took one argon2 longer (review r53b F1).
  const rightPassword = candidate?.active === true ? await verifyPassword(candidate.passwordHash, password) : await verifyDummy(password);
  let verified = (reservation.counted || checkedThroughLock) && rightPassword;
  // Stopped by a lock that has ended meanwhile, mostly because the attempt that set it was this
  // person's, pressing Sign in twice after a few typos, with the right password: checked after all.
  if (!verified && (await lockEndedMeanwhile(reservation, kind, candidate?.active ? candidate.id : null, lane))) {
    const stopped = reservation;
    reservation = await db().$transaction(async (tx) => {
      await markSettled(tx, stopped);
      return reserveAttempt(tx, { ...subject, id: candidate!.id }, ifUnsettled);
    });
    verified = reservation.counted && rightPassword;
  }

  if (!verified) {
    const [reason, outcome] = !candidate
      ? (['unknown account', 'unknown_account'] as const)
      : !candidate.active
        ? (['account disabled', 'disabled'] as const)
        : reservation.counted
          ? (['wrong password', 'wrong_password'] as const)
          : (['account locked', 'locked'] as const);
    await settleWrongSecret(
      reservation,
      { ...failure, details: { reason } },
      'sign-in',
      async (tx) => velocity && (await recordVelocityFailure(tx, velocity.key)),
    );
    return { result: { ok: false, reason: 'INVALID' }, outcome };
  }

  const account = candidate!;
  // The right password: this attempt was no failure, for the address or the account. An account that
  // still owes its second factor gets back only this attempt: its streak, the agency's spray counts of
  // wrong codes, and its last sign-in wait for the factor to pass (typing a leaked password again
  // between wrong codes erased them). So does a sign-in refused for what the password could not change.
  const settle = async (tx: Tx, ends: { onlyThisAttempt: boolean; lastSignInAt?: Date }) => {
    await settleRightSecret(tx, reservation, account, { rule: addressRule, ip }, ends);
    // A known device let past a slowed address says nothing of that address's other attempts: the
    // spray's failure on this name stays counted, so its wait is neither shortened nor ended.
    if (velocity && !ends.onlyThisAttempt && !turn.passedSlowing) await forgetVelocityFailures(tx, velocity.key);
  };
  const refuse = async (tx: Tx, reason: string, onlyThisAttempt: boolean) => {
    await settle(tx, { onlyThisAttempt });
    await recordAudit(tx, { ...audit, action: 'SIGN_IN_FAILURE', outcome: 'FAILURE', details: { reason } });
  };

  const rehash = needsRehash(account.passwordHash) ? await hashPassword(password) : null;
  const session = await settleReservedAttempt(() =>
    db().$transaction(async (tx) => {
      // A disable, a reset or a new temporary password committed while the password was checked: the
      // account it was checked on is gone, and this sign-in writes no success after that change.
      if (!(await holdAccountAsChecked(tx, account))) {
        await refuse(tx, ACCOUNT_CHANGED_DURING_SIGN_IN, true);
        return { refused: 'INVALID' as const };
      }
      const now = new Date();
      // The password was one factor: an account with a second one gets a session that reaches only /login/verify.
      const secondFactorPending = await hasSecondFactor(account, tx);
      // A session this browser's password step opened moments ago, or the one its cookie names. A copy of the same
      // form sent before its answer came back (a double press without JavaScript) is answered with it: the browser
      // keeps only the later answer. A browser whose cookie names it saw that answer, and signs in anew: a new
      // session, that one ended (a copy of the old cookie must open nothing).
      const here = browser.key === null ? null : { key: browser.key, heldSession: browser.sessionHeld };
      const justOpened = here && (await sessionJustOpenedHere(tx, account, account.sessionVersion, secondFactorPending, here, now, isIdleLimited(account)));
      const sentAgain = justOpened !== null && justOpened !== browser.sessionHeld ? justOpened : null;
      // A temporary password is single use: it opens one sign-in, whose only way on is choosing a new
      // password. It is claimed by the step that proves the last factor (decision 058): here, unless a
      // code is still owed, which claims it when it passes; someone who overheard it but holds no factor
      // must not use it up. One used, or past its end, is refused here either way, read in this
      // transaction (a reset link sent meanwhile ends it; review r36d F3). A sign-in from the browser whose
      // session just claimed it claims nothing: the claim is that session's, which it is answered with or
      // replaces, and only an end since refuses it (review r45a F1).
      const refused = !account.mustChangePassword
        ? null
        : secondFactorPending || justOpened
          ? await temporaryPasswordRefusal(tx, account.id, now, { claimedByThisSignIn: justOpened !== null && !secondFactorPending })
          : await claimTemporaryPassword(tx, account.id);
      if (refused) {
        // A refusal gives back only its own attempt while a code is owed (review r36d F5).
        await refuse(tx, TEMPORARY_PASSWORD_REFUSED_FOR[refused], secondFactorPending);
        return { refused };
      }
      // A code step opened on the account's budget, on its lane: the password without the factor opens no
      // more than that (review r54b F1). A copy answered with the step it opened counts too: each is a verify and
      // a record, and a script chooses its own browser key (review r54d F1). The refusal is a right password's,
      // told only to whoever typed it.
      if (secondFactorPending) {
        const budget = await consumeRateLimit(tx, RATE_LIMITS.codeStepsPerAccount, accountBudgetSubject(account, lane));
        if (budget.limited) {
          await settle(tx, { onlyThisAttempt: true });
          const record = sampledThrottle({ ...audit, ...throttledRecord, details: { limit: 'code steps per account' } });
          if (record) await recordAudit(tx, record);
          return { refused: 'ACCOUNT_THROTTLED' as const, retryAfterSeconds: budget.retryAfterSeconds };
        }
      }
      // The session this browser's cookie names ends here, so a copy of the old cookie opens nothing. Only one still
      // open is carried on: a sign-out committed since it was read leaves the temporary password it claimed used
      // (review r45f F1); a pending session claimed nothing, and the next one is a sign-in like any other.
      const replacing = justOpened !== null && sentAgain === null;
      const replaced = replacing && (await tx.authSession.updateMany({ where: { id: justOpened, endedAt: null }, data: { endedAt: now } })).count === 1;
      if (replacing && !replaced && account.mustChangePassword && !secondFactorPending) {
        await refuse(tx, TEMPORARY_PASSWORD_REFUSED_FOR.TEMPORARY_PASSWORD_USED, false);
        return { refused: 'TEMPORARY_PASSWORD_USED' as const };
      }
      await settle(tx, { onlyThisAttempt: secondFactorPending, lastSignInAt: now });
      const rehashed = rehash !== null && (await rehashIfUnchanged(tx, account.kind, account.id, account.passwordHash, rehash));
      const sessionId = sentAgain ?? (await openSession(tx, account, account.sessionVersion, ip, secondFactorPending, browser.key));
      await recordAudit(tx, {
        ...audit,
        action: 'SIGN_IN_SUCCESS',
        outcome: 'SUCCESS',
        details: {
          temporaryPassword: account.mustChangePassword,
          passwordRehashed: rehashed,
          secondFactorPending,
          ...(sentAgain && { sameSessionAsCopySentBefore: true }),
          ...(replaced && { replacesSessionJustOpenedHere: true }),
        },
      });
      return { sessionId, secondFactorPending };
    }, ADDRESS_TURN),
  );
  if (session.refused) {
    const wait = 'retryAfterSeconds' in session ? { retryAfterSeconds: session.retryAfterSeconds } : {};
    return { result: { ok: false, reason: session.refused, ...wait }, outcome: REFUSED_OUTCOME[session.refused] };
  }
  return {
    result: { ok: true, ...session, role: account.role, account: { kind: account.kind, id: account.id, version: account.sessionVersion } },
    outcome: 'success',
  };
}
