import type { Role, VendorRole } from '@/lib/generated/sqlite/enums';
import { recordAudit } from '@/lib/audit/record';
import { db, type Tx } from '@/lib/db/client';
import { lockRow } from '@/lib/db/lock-row';
import { hasPasskey, mustHavePasskey } from '@/lib/mfa/passkey-policy';
import { hasSecondFactor, mustHaveSecondFactor } from '@/lib/mfa/policy';

// PRODUCT.md: 12 h absolute for everyone; 30 min idle for admins and vendor staff.
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;
export const SESSION_IDLE_MS = 30 * 60_000;
// lastSeenAt is written at most this often, so a busy page does not write on every request.
const TOUCH_EVERY_MS = 60_000;
// When a tab left alone signs itself out (decision 067): two minutes before the server's limit. A request made within a
// minute of the last write of lastSeenAt is not on record, so the server's limit may come up to a minute before the
// tab's count; the tab also looks every 15 s and counts a page from when it has loaded. Going first, it signs out before
// a form it sends could be refused as signed out and lose what was typed (reviews r44f F2, r44g F2).
export const BROWSER_IDLE_MS = SESSION_IDLE_MS - 2 * TOUCH_EVERY_MS;
// A password-only session waiting for its second factor is for typing one code, not for keeping.
export const SECOND_FACTOR_PENDING_MS = 10 * 60_000;

export type AgencyActor = {
  kind: 'agency';
  sessionId: string;
  userId: string;
  agencyId: string;
  agencyCode: string;
  agencyName: string;
  /** The agency's IANA zone: the console shows its times there (lib/format/date.ts). */
  agencyTimeZone: string;
  role: Role;
  loginName: string;
  displayName: string;
  mustChangePassword: boolean;
  /** An admin of an agency requiring passkeys for admins, without one: only enrolment is reachable. */
  mustEnrolPasskey?: boolean;
} & SecondFactorState &
  SessionActivity;

/** Where the session stands with the second factor; lib/auth/access.ts decides what follows. */
export type SecondFactorState = {
  /**
   * The session version this request was let in at. A change of factors moves it, the acting
   * session's too: another tab's change made meanwhile is told by it (holdOwnFactors). Absent on
   * actors made by hand in tests.
   */
  resolvedAtVersion?: number;
  /** Opened by the password; the factor at /login/verify is still due. */
  secondFactorPending: boolean;
  /** Must have a second factor and has none: only enrolment is reachable. */
  mustEnrolSecondFactor: boolean;
  /**
   * The browser presenting the session holds the account's known-device token (decision 062): the signed-in
   * forms' tries at its password or factor count on the owner's streak, not strangers' (decision 065). Read per
   * request (guards.ts, getActor); absent, so strangers', on actors made by hand in tests.
   */
  fromKnownBrowser?: boolean;
};

/** How the request that resolved the session stood with the idle limit. */
export type SessionActivity = {
  /**
   * How long the session had been idle, by the server's count, when a request another site sent resolved it: such a
   * request is no activity (resolveSession), and the tab counts from where the server does (IdleSignOut). 0 when the
   * request was the person's own, which starts the count again; absent on actors made by hand in tests.
   */
  idleForMs?: number;
};

export type VendorActor = {
  kind: 'vendor';
  sessionId: string;
  vendorAccountId: string;
  role: VendorRole;
  email: string;
  displayName: string;
} & SecondFactorState &
  SessionActivity;

export type Actor = AgencyActor | VendorActor;

/** PRODUCT.md: admins' and vendor staff's sessions end after 30 min idle; staff's do not. An actor, or an account signing in. */
export function isIdleLimited(account: { kind: string; role: string }): boolean {
  return account.kind === 'vendor' || account.role !== 'STAFF';
}

/**
 * Turns a session id from the cookie into the acting principal, or null when the session
 * has ended, outlived its limits, or predates a change of the principal's session version.
 * `countsAsActivity`: false for a request another site sent (guards.ts, getActor), which is
 * answered but leaves the idle limit counting from the person's own last request: a sibling
 * subdomain's `<img>` kept an admin's session open for its 12 hours (review r55b F2).
 */
export async function resolveSession(sessionId: string, now = new Date(), { countsAsActivity = true } = {}): Promise<Actor | null> {
  let session = await db().authSession.findUnique({ where: { id: sessionId } });
  if (!session || session.endedAt) return null;

  let actor = await loadActor(session);
  if (!actor) {
    // The session's own change (its password changed, a factor added, in another tab) may commit between the reads of
    // the session and of its account, moving both to a new version: read again, the session goes on with it rather
    // than being ended as one that predates a change (review r46c F2).
    const again = await db().authSession.findUnique({ where: { id: sessionId } });
    if (again && !again.endedAt && again.sessionVersion !== session.sessionVersion) [session, actor] = [again, await loadActor(again)];
  }
  if (!actor || hasOutlivedItsLimits(session, actor, now)) {
    await endSession(sessionId);
    return null;
  }
  if (!countsAsActivity) return { ...actor, idleForMs: now.getTime() - session.lastSeenAt.getTime() };
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db().authSession.update({ where: { id: sessionId }, data: { lastSeenAt: now } });
  }
  return { ...actor, idleForMs: 0 };
}

type SessionTimes = { createdAt: Date; lastSeenAt: Date; secondFactorPending: boolean };

/** PRODUCT.md's limits: 12 h from sign-in (10 min while the second factor is due), 30 min idle for admins and vendor staff. */
function hasOutlivedItsLimits(session: SessionTimes, actor: Actor, now: Date): boolean {
  const age = now.getTime() - session.createdAt.getTime();
  return (
    age > (session.secondFactorPending ? SECOND_FACTOR_PENDING_MS : SESSION_ABSOLUTE_MS) ||
    (isIdleLimited(actor) && now.getTime() - session.lastSeenAt.getTime() > SESSION_IDLE_MS)
  );
}

/**
 * Whether an actor is still who `resolveSession` let in, read again in a write's own transaction: the
 * same session, open and within its limits, and the account active, in the same role and session
 * version. A request in flight while its author is disabled, demoted or signed out must change nothing.
 */
export async function actorStillAsResolved(tx: Tx, actor: Actor, now = new Date()): Promise<boolean> {
  const session = await tx.authSession.findUnique({
    where: { id: actor.sessionId },
    select: { userId: true, vendorAccountId: true, endedAt: true, sessionVersion: true, createdAt: true, lastSeenAt: true, secondFactorPending: true },
  });
  if (!session || session.endedAt || hasOutlivedItsLimits(session, actor, now)) return false;
  if (actor.kind === 'agency') {
    const self = await tx.user.findUnique({ where: { id: actor.userId }, select: { role: true, status: true, sessionVersion: true } });
    return session.userId === actor.userId && self?.status === 'ACTIVE' && self.role === actor.role && self.sessionVersion === session.sessionVersion;
  }
  const self = await tx.vendorAccount.findUnique({ where: { id: actor.vendorAccountId }, select: { role: true, active: true, sessionVersion: true } });
  return session.vendorAccountId === actor.vendorAccountId && self?.active === true && self.role === actor.role && self.sessionVersion === session.sessionVersion;
}

/**
 * Holds the actor's own row, and for an admin the target user's when there is one, in the order of their
 * ids so two admins acting on each other take turns (PostgreSQL); then asks whether the actor is still who
 * the gate let in, so a disable, demotion or sign-out committed meanwhile is read settled. False when they
 * changed: a privileged write in flight must then land on nothing (an admin's reset, a verifier's step, an
 * operator's change). Vendor staff never act on an agency user's row, so they hold only their own.
 */
export async function holdActor(tx: Tx, actor: AgencyActor, targetUserId?: string): Promise<boolean>;
export async function holdActor(tx: Tx, actor: VendorActor): Promise<boolean>;
export async function holdActor(tx: Tx, actor: Actor, targetUserId?: string): Promise<boolean> {
  if (actor.kind === 'agency') {
    for (const id of [actor.userId, ...(targetUserId ? [targetUserId] : [])].sort()) await lockRow(tx, 'User', id);
  } else {
    await lockRow(tx, 'VendorAccount', actor.vendorAccountId);
  }
  return actorStillAsResolved(tx, actor);
}

/** What someone is told when their own account or session changed while their request was on its way. */
export const ACTOR_CHANGED_MESSAGE = 'Your own account changed while this was being done (perhaps your role or your sign-in), so nothing was changed. Reload the page.';

async function loadActor(session: {
  id: string;
  userId: string | null;
  vendorAccountId: string | null;
  sessionVersion: number;
  secondFactorPending: boolean;
}): Promise<Actor | null> {
  if (session.userId) {
    const user = await db().user.findUnique({
      where: { id: session.userId },
      select: {
        id: true,
        agencyId: true,
        role: true,
        status: true,
        loginName: true,
        displayName: true,
        mustChangePassword: true,
        sessionVersion: true,
        agency: { select: { code: true, name: true, timeZone: true, requireSecondFactorForAllStaff: true, requirePasskeyForAdmins: true } },
      },
    });
    if (!user || user.status !== 'ACTIVE' || user.sessionVersion !== session.sessionVersion) return null;
    // A session still owing its factor at sign-in is not asked to enrol one.
    const due = session.secondFactorPending ? { secondFactor: false, passkey: false } : await enrolmentDue(user);
    return {
      kind: 'agency',
      sessionId: session.id,
      userId: user.id,
      agencyId: user.agencyId,
      agencyCode: user.agency.code,
      agencyName: user.agency.name,
      agencyTimeZone: user.agency.timeZone,
      role: user.role,
      loginName: user.loginName,
      displayName: user.displayName,
      mustChangePassword: user.mustChangePassword,
      resolvedAtVersion: session.sessionVersion,
      secondFactorPending: session.secondFactorPending,
      mustEnrolSecondFactor: due.secondFactor,
      mustEnrolPasskey: due.passkey,
    };
  }
  if (session.vendorAccountId) {
    const account = await db().vendorAccount.findUnique({
      where: { id: session.vendorAccountId },
      select: { id: true, role: true, email: true, displayName: true, active: true, sessionVersion: true },
    });
    if (!account || !account.active || account.sessionVersion !== session.sessionVersion) return null;
    return {
      kind: 'vendor',
      sessionId: session.id,
      vendorAccountId: account.id,
      role: account.role,
      email: account.email,
      displayName: account.displayName,
      resolvedAtVersion: session.sessionVersion,
      secondFactorPending: session.secondFactorPending,
      mustEnrolSecondFactor: !session.secondFactorPending && !(await hasSecondFactor({ kind: 'vendor', id: account.id })),
    };
  }
  return null;
}

/**
 * What an agency user must add before anything else (lib/auth/access.ts: 'enrolment-required'), by their role, their
 * agency's rules and their factors as they stand: a second factor the agency requires, a passkey it requires of admins.
 */
export async function enrolmentDue(user: {
  id: string;
  role: Role;
  agency: { requireSecondFactorForAllStaff: boolean; requirePasskeyForAdmins: boolean };
}): Promise<{ secondFactor: boolean; passkey: boolean }> {
  const owner = { kind: 'user', id: user.id } as const;
  return {
    secondFactor: mustHaveSecondFactor({ kind: 'agency', role: user.role, ...user.agency }) && !(await hasSecondFactor(owner)),
    passkey: mustHavePasskey(user.role, user.agency) && !(await hasPasskey(owner)),
  };
}

export async function endSession(sessionId: string): Promise<void> {
  await db().authSession.updateMany({ where: { id: sessionId, endedAt: null }, data: { endedAt: new Date() } });
}

/**
 * Ends a session its owner signed out of, on the audit record beside its sign-in (a shared computer:
 * who left, and when). A session that had already ended (ran out, was revoked, signed out in another
 * tab) records nothing: nothing happened. `bySignInHere`: ended because another sign-in took this
 * browser, recorded as such (review r51g F4); one still at its code step is left to endSession, as the
 * code step's own session is when its sign-in completes.
 */
export async function signOutSession(sessionId: string, ip: string, { bySignInHere = false } = {}): Promise<void> {
  await db().$transaction(async (tx) => {
    const ended = await tx.authSession.updateMany({
      where: { id: sessionId, endedAt: null, ...(bySignInHere ? { secondFactorPending: false } : {}) },
      data: { endedAt: new Date() },
    });
    if (ended.count === 0) return;
    const { userId, vendorAccountId } = await tx.authSession.findUniqueOrThrow({ where: { id: sessionId }, select: { userId: true, vendorAccountId: true } });
    const who = userId
      ? ({ actorType: 'USER', actorId: userId, targetType: 'User', targetId: userId, agencyId: (await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { agencyId: true } })).agencyId } as const)
      : ({ actorType: 'VENDOR', actorId: vendorAccountId, targetType: 'VendorAccount', targetId: vendorAccountId, agencyId: null } as const);
    await recordAudit(tx, { ...who, ip, action: 'SIGNED_OUT', outcome: 'SUCCESS', ...(bySignInHere ? { details: { endedBy: 'another sign-in on this browser' } } : {}) });
  });
}

type SessionOwner = { kind: 'user' | 'vendor'; id: string };

const ownedBy = (owner: SessionOwner) => (owner.kind === 'user' ? { userId: owner.id } : { vendorAccountId: owner.id });

/**
 * The one place a session row is written; every sign-in pathway opens its session here, inside its own
 * transaction. `secondFactorPending`: a password sign-in of an account with a second factor, born
 * reaching only /login/verify, so no moment exists in which the row is a full session. `browserKey`: the
 * digest of the sign-in page's key the password step came with (browser-key.mjs), for sessionJustOpenedHere.
 */
export async function openSession(
  tx: Tx,
  owner: SessionOwner,
  sessionVersion: number,
  ip: string,
  secondFactorPending = false,
  browserKey: string | null = null,
): Promise<string> {
  const session = await tx.authSession.create({
    data: {
      userId: owner.kind === 'user' ? owner.id : null,
      vendorAccountId: owner.kind === 'vendor' ? owner.id : null,
      sessionVersion,
      ip,
      secondFactorPending,
      browserKey,
    },
    select: { id: true },
  });
  return session.id;
}

/**
 * How long after a password step opened a session the same form sent again from the same browser is answered
 * with that session: a double press, or a POST the browser sent again, arrives within seconds, queued behind
 * its first copy at worst (the address's turn waits at most 10 s, its transaction runs at most 15 s).
 */
export const SENT_AGAIN_WITHIN_MS = 60_000;

/**
 * The session a password step from this browser (`browser.key`, its key's digest) opened for this account moments
 * ago, still live, at the account's session version, and of the kind this step opens: a copy of the same sign-in form
 * is answered with it, not with a second session no cookie would name, nor refused because its first copy used
 * the temporary password; a browser holding its cookie gets a new session replacing it (sign-in.ts; decision
 * 058, session 45 addendum). Never a session past its second factor for a password alone. Read in the
 * transaction that holds the account's row, so a copy waits for its first to commit. The session the browser's
 * cookie names (`browser.heldSession`) counts at any age within a session's limits: someone who went Back from the
 * password change to the sign-in page minutes later and typed the temporary password again still holds the
 * session it opened, and is not told the password was used (review r53a F1).
 */
export async function sessionJustOpenedHere(
  tx: Tx,
  owner: SessionOwner,
  sessionVersion: number,
  secondFactorPending: boolean,
  browser: { key: string; heldSession: string | null },
  now: Date,
  idleLimited: boolean,
): Promise<string | null> {
  const since = (ms: number) => new Date(now.getTime() - ms);
  // The held one within the limits resolveSession holds it to (hasOutlivedItsLimits): one past them is over.
  const withinLimits = {
    createdAt: { gt: since(secondFactorPending ? SECOND_FACTOR_PENDING_MS : SESSION_ABSOLUTE_MS) },
    ...(idleLimited ? { lastSeenAt: { gt: since(SESSION_IDLE_MS) } } : {}),
  };
  const openedHere = [{ createdAt: { gt: since(SENT_AGAIN_WITHIN_MS) } }, ...(browser.heldSession ? [{ id: browser.heldSession, ...withinLimits }] : [])];
  const session = await tx.authSession.findFirst({
    where: { ...ownedBy(owner), browserKey: browser.key, sessionVersion, secondFactorPending, endedAt: null, OR: openedHere },
    orderBy: { createdAt: 'desc' },
    select: { id: true },
  });
  return session?.id ?? null;
}
