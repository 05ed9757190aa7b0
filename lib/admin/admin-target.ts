import { floodSampler } from '@/lib/audit/flood-sampler';
import { recordAuditAlone } from '@/lib/audit/record';
import { ACTOR_CHANGED_MESSAGE, holdActor, type AgencyActor } from '@/lib/auth/session';
import { db, type Tx } from '@/lib/db/client';
import { lockRow } from '@/lib/db/lock-row';
import { canAdmin, type AdminCapability } from '@/lib/admin/permissions';
import type { Role, UserStatus } from '@/lib/generated/sqlite/enums';
import { consumeRateLimit, RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import { Refused, type Result } from '@/lib/result';

export const TARGET_SELECT = {
  id: true,
  agencyId: true,
  role: true,
  status: true,
  loginName: true,
  displayName: true,
  email: true,
  sessionVersion: true,
} as const;

/**
 * Loads a user the actor may act on. The agency is part of the query, so a foreign id
 * finds nothing; every refusal is audited and answered in plain words.
 */
export async function loadAdminTarget(actor: AgencyActor, capability: AdminCapability, userId: string, ip: string) {
  const target = await db().user.findFirst({
    where: { id: userId, agencyId: actor.agencyId },
    select: { ...TARGET_SELECT, agency: { select: { onlySuperAdminsResetAdmins: true, name: true, timeZone: true } } },
  });
  const decision = target
    ? canAdmin(actor, capability, target, target.agency)
    : ({ allowed: false, reason: 'other-agency', message: 'No such user in your agency.' } as const);
  if (!decision.allowed) {
    await auditAdminRefusal(actor, capability, userId, decision.reason, ip, target?.agencyId ?? (await agencyOfAnyUser(userId)));
    return { ok: false as const, message: decision.message };
  }
  return { ok: true as const, target: target! };
}

/**
 * Runs `act` in one transaction with the target as it was loaded: its row held (PostgreSQL), the same
 * role and status, and the capability still allowed under the agency's policy as it is now. Otherwise
 * nothing runs, the refusal is audited as `target-changed`, and the admin is told to reload: a request
 * in flight must not land on an account promoted meanwhile, past the policy and without the receipts
 * an admin account gets. The acting admin is held to the same: their session still open, their
 * account still active, in the same role and version, or nothing runs (`actor-changed`). A reset sent
 * by an admin being disabled or demoted at that moment (its argon2 hashing comes first, and takes a
 * while) handed them a working password after the disable was recorded.
 */
export async function actOnTargetAsLoaded<T>(
  actor: AgencyActor,
  capability: AdminCapability,
  target: AdminTargetRow,
  ip: string,
  act: (tx: Tx) => Promise<T>,
  options: { reset?: ResetWay; claim?: (tx: Tx) => Promise<void> } = {},
): Promise<Result<T>> {
  const done = await db()
    .$transaction(async (tx) => {
      // First, as a policy save does: the action takes turns with a save, and reads the policy it left
      // (who may reset whom, how long a temporary password or link lives; review r33e L2).
      await lockAgency(tx, actor.agencyId);
      // The form's key before anything is counted: a copy of a form that was done fails here and
      // counts no turn of the limit (the fifth link's double click was told none was sent; review r39a F2).
      // A refusal below is thrown, so that it takes the claim back with it (review r39b F2).
      await options.claim?.(tx);
      if (!(await holdActor(tx, actor, target.id))) throw new NotActed('actor-changed');
      if (!(await targetStillAsLoaded(tx, actor, capability, target))) throw new NotActed('target-changed');
      if (options.reset) {
        // Counted in the reset's own transaction: a reset that fails (rolled back) gives its turn back.
        const limit = await consumeRateLimit(tx, RATE_LIMITS.adminResetsPerAccount, `${options.reset}:${target.id}`);
        if (limit.limited) throw new NotActed({ tooManyResets: limit.retryAfterSeconds });
      }
      return { ok: true as const, value: await act(tx) };
    })
    .catch((error: unknown) => {
      if (error instanceof NotActed) return error.why;
      throw error;
    });
  if (typeof done === 'object' && 'ok' in done) return done;
  if (typeof done === 'object') {
    await auditAdminRefusal(actor, capability, target.id, 'too-many-resets', ip, target.agencyId);
    return { ok: false, message: tooManyResetsMessage(options.reset!, done.tooManyResets) };
  }
  await auditAdminRefusal(actor, capability, target.id, done, ip, target.agencyId);
  return { ok: false, message: done === 'actor-changed' ? ACTOR_CHANGED_MESSAGE : TARGET_CHANGED_MESSAGE };
}

/** Why actOnTargetAsLoaded's transaction did not act: thrown, so that nothing it wrote stays. */
class NotActed extends Error {
  constructor(readonly why: 'actor-changed' | 'target-changed' | { tooManyResets: number }) {
    super('not acted');
  }
}

/**
 * The resets that mail the account (and, for an admin's account, every super admin), each limited per
 * account by RATE_LIMITS.adminResetsPerAccount: every click used to mail a new link and new receipts.
 */
export type ResetWay = 'link' | 'temporary-password' | 'second-factors';

const RESETS_SENT: Record<ResetWay, string> = {
  link: 'reset links were sent to this account',
  'temporary-password': 'temporary passwords were given for this account',
  'second-factors': 'times this account’s second factors were cleared',
};

/** A refused reset changed nothing; the admin is told when the next one will go. */
function tooManyResetsMessage(way: ResetWay, retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  const { limit } = RATE_LIMITS.adminResetsPerAccount;
  const instead = way === 'link' ? ' If the mails are not arriving, give them a temporary password instead.' : '';
  return `${limit} ${RESETS_SENT[way]} in the last hour, the most allowed. Nothing was changed or sent. Try again in ${minutes === 1 ? '1 minute' : `${minutes} minutes`}.${instead}`;
}

async function targetStillAsLoaded(tx: Tx, actor: AgencyActor, capability: AdminCapability, target: AdminTargetRow): Promise<boolean> {
  const current = await tx.user.findUnique({
    where: { id: target.id },
    select: { role: true, status: true, agency: { select: { onlySuperAdminsResetAdmins: true } } },
  });
  return (
    current !== null &&
    current.role === target.role &&
    current.status === target.status &&
    canAdmin(actor, capability, target, current.agency).allowed
  );
}

type AdminTargetRow = { id: string; agencyId: string; role: Role; status: UserStatus };

/**
 * A way in handed to a disabled account would open once it is enabled again (decision 005): no reset link,
 * temporary password or clearing of second factors (which sets one) is given to one (review r42e F1). Read
 * at load: a disable meanwhile moves the account's version, which the reset's write expects.
 */
export function refusalWhileDisabled(target: { status: UserStatus }, then: string): { ok: false; message: string } | null {
  return !isDisabled(target) ? null : { ok: false, message: `This account is disabled. Enable it first, then ${then}.` };
}

/** Whether the account is disabled: no way in is handed to it (refusalWhileDisabled), and its page offers none. */
export function isDisabled(target: { status: UserStatus }): boolean {
  return target.status !== 'ACTIVE';
}

/** What an admin is told when the account changed between their page and their request. */
export const TARGET_CHANGED_MESSAGE =
  'This account changed while you were looking at it (perhaps it was just reset, or its role changed). Reload the page and check before trying again.';

/** Which reads of a page for no user of the agency get a record: a flood of them (a link on another site, reloaded) is sampled. */
const foreignReadToRecord = floodSampler();

/**
 * An id a console page was opened with that names no user of the actor's agency: on the record as an
 * action's refusal is, so walking the pages is not the quiet way to try ids (review r42e F2). The id is
 * kept as far as an id can be long. A GET that anyone's link can send, so one admin's thousands are
 * sampled, each record counting them (review r43e F5), as the page guard's refusals are.
 */
export async function auditForeignTargetRead(actor: AgencyActor, userId: string, ip: string, sentByAnotherSite: boolean): Promise<void> {
  const readsThisMinute = foreignReadToRecord(`user:${actor.userId}`, { scope: actor.agencyId });
  if (readsThisMinute === null) return;
  const id = userId.slice(0, 64);
  await auditAdminRefusal(actor, 'users:read', id, 'other-agency', ip, await agencyOfAnyUser(id), sentByAnotherSite, { readsThisMinute });
}

/**
 * For the investigators only: which agency a refused id belongs to, if any. The actor gets the
 * same "no such user" either way, and the agency's own export leaves it out (list-agency-audit.ts).
 */
async function agencyOfAnyUser(userId: string): Promise<string | null> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { agencyId: true } });
  return user?.agencyId ?? null;
}

/** The record's agency is the actor's; `targetAgencyId` (in details) the target's, when it exists. */
export async function auditAdminRefusal(
  actor: AgencyActor,
  capability: string,
  targetId: string | null,
  reason: string,
  ip: string,
  targetAgencyId: string | null = null,
  // A link on another site may have sent the admin's browser here: the record says so, as the page guard's does (review r42f F1).
  sentByAnotherSite = false,
  more: Record<string, unknown> = {},
) {
  // A vendor actor handed in past the gate has no place in an agency's log: the kit audits it instead.
  if (actor.kind !== 'agency') throw new Refused(capability);
  await recordAuditAlone(db(), {
    actorType: 'USER',
    actorId: actor.userId,
    agencyId: actor.agencyId,
    action: 'ADMIN_ACTION_DENIED',
    targetType: targetId ? 'User' : null,
    targetId,
    ip,
    outcome: 'DENIED',
    details: { capability, reason, ...(targetAgencyId && { targetAgencyId }), ...(sentByAnotherSite && { sentByAnotherSite }), ...more },
  });
}

/**
 * Serializes changes that must keep an agency invariant (always one active super admin) on
 * PostgreSQL with a row lock on the agency; SQLite transactions already run one at a time.
 */
export async function lockAgency(tx: Tx, agencyId: string): Promise<void> {
  await lockRow(tx, 'Agency', agencyId);
}

/** Active super admins left if `excludingUserId` lost the role or was disabled. */
export async function otherActiveSuperAdmins(tx: Tx, agencyId: string, excludingUserId: string): Promise<number> {
  return tx.user.count({
    where: { agencyId, role: 'SUPER_ADMIN', status: 'ACTIVE', id: { not: excludingUserId } },
  });
}
