import type { Access } from '@/lib/auth/access';
import { recordAudit, type AuditOutcome } from '@/lib/audit/record';
import type { ActionState } from '@/lib/auth/guards';
import { ACTOR_CHANGED_MESSAGE, holdActor, type VendorActor } from '@/lib/auth/session';
import { db, type Tx } from '@/lib/db/client';
import { lockRow } from '@/lib/db/lock-row';
import { Refused } from '@/lib/result';
import type { Prisma } from '@/lib/generated/sqlite/client';
import type { Transition } from './state-machine';
import { EXPIRED_MESSAGE, takeTransition, transitionStillOpen, type TransitionOptions } from './take-transition';

type AuditDetails = Record<string, string | number | boolean | null>;

/**
 * The gate (defineAction / requirePageActor) already refuses everyone but verifiers; the use cases
 * check again, so that no future caller can forget it.
 */
export function assertVerifier(actor: VendorActor): void {
  if (actor.kind !== 'vendor' || actor.role !== 'VERIFIER') throw new Refused('super-admin-queue');
}

/** One audit record about a request, with the acting vendor account. Never a token or a hash. */
export async function recordRequestAudit(
  tx: Tx,
  input: {
    actor: VendorActor;
    request: { id: string; agencyId: string | null; reference: string };
    action: string;
    outcome?: AuditOutcome;
    ip: string;
    details?: AuditDetails;
  },
): Promise<void> {
  await recordAudit(tx, {
    actorType: 'VENDOR',
    actorId: input.actor.vendorAccountId,
    agencyId: input.request.agencyId,
    action: input.action,
    targetType: 'SuperAdminResetRequest',
    targetId: input.request.id,
    ip: input.ip,
    outcome: input.outcome ?? 'SUCCESS',
    details: { reference: input.request.reference, ...input.details },
  });
}

export const MOVED_ON =
  'This request has changed since you opened it, or this step is not allowed for you now. Reload the page to see where it stands.';

/** Who reaches the queue's pages, actions and routes: verifiers only (operators get a 404). */
export const VERIFIER_ACCESS = { principal: 'vendor', roles: ['VERIFIER'] } as const satisfies Access;

/** What a step needs of a request to take its transition and audit it. */
const STEP_FIELDS = { id: true, reference: true, agencyId: true } as const;

/** What a verifier's step is: who takes which transition on which request, audited as `action`. */
export type VerifierStep = {
  actor: VendorActor;
  request: { id: string; reference: string; agencyId: string | null };
  ip: string;
  action: string;
  transition: Exclude<Transition, 'expire'>;
  options?: TransitionOptions;
  /**
   * What the verifier is told, and (when it differs) what the audit record says. Said only while the
   * step is still theirs to take, unless `asRead` (four eyes: the refusal is about who they are there).
   */
  refusal?: { message: string; audited?: string; asRead?: true } | null;
  details?: AuditDetails;
};

type WhenTaken = (tx: Tx) => Promise<{ message: string; details?: AuditDetails }>;

/**
 * A verifier's step on a request, in one transaction: the transition's conditional UPDATE, then
 * what the step does once taken (its mail, its link), then its audit record, taken or refused.
 * A refusal known before the write (a checklist not done, no address to write to) is audited and
 * answered without trying the transition.
 */
export async function takeVerifierStep(step: VerifierStep, whenTaken: WhenTaken): Promise<ActionState> {
  return withAccountHeld(step, null, (tx) => takeHeldStep(tx, step, whenTaken));
}

/** What a step reads of the account its request names, to decide on and to write to. */
const HELD_ACCOUNT = {
  id: true,
  email: true,
  phone: true,
  displayName: true,
  status: true,
  role: true,
  agency: { select: { resetLinkHours: true, timeZone: true } },
} as const;

export type HeldAccount = Prisma.UserGetPayload<{ select: typeof HELD_ACCOUNT }>;

/**
 * One transaction for a step that acts on the account its request names (mails it, issues its link):
 * the verifier's row first, as every step takes it, then the account's row (PostgreSQL), read as it
 * is now and handed to `act`, which decides on that read alone. An account disabled, demoted or given
 * new contact details by an agency admin meanwhile either commits first, and is seen, or waits for
 * this step: no link goes to an account as it was a moment ago (review r37b F2).
 */
export async function withAccountHeld(
  step: Pick<VerifierStep, 'actor' | 'request' | 'ip' | 'action' | 'details'>,
  userId: string | null,
  act: (tx: Tx, account: HeldAccount | null) => Promise<ActionState>,
): Promise<ActionState> {
  return db().$transaction(async (tx) => {
    if (!(await holdActor(tx, step.actor))) return refuseChangedVerifier(tx, step);
    if (!userId) return act(tx, null);
    await lockRow(tx, 'User', userId);
    return act(tx, await tx.user.findUnique({ where: { id: userId }, select: HELD_ACCOUNT }));
  });
}

/** takeVerifierStep's work, in a transaction that already holds the verifier's row (withAccountHeld). */
export async function takeHeldStep(tx: Tx, step: VerifierStep, whenTaken: WhenTaken): Promise<ActionState> {
  const { actor, request, ip, action, refusal } = step;
  if (!refusal) {
    const outcome = await takeTransition(tx, step.transition, request, actor.vendorAccountId, step.options);
    if (outcome !== 'taken') return refuseMovedOn(tx, step, outcome);
    const done = await whenTaken(tx);
    await recordRequestAudit(tx, { actor, request, ip, action, details: { ...step.details, ...done.details } });
    return { ok: true, message: done.message };
  }
  const outcome = refusal.asRead ? 'open' : await transitionStillOpen(tx, step.transition, request, actor.vendorAccountId);
  if (outcome !== 'open') return refuseMovedOn(tx, step, outcome);
  await recordRequestAudit(tx, { actor, request, ip, action, outcome: 'DENIED', details: { ...step.details, refused: refusal.audited ?? refusal.message } });
  return { ok: false, message: refusal.message };
}

/**
 * The step is refused, and audited, because the request moved on: another verifier's step, or its
 * expiry. The page drawn again no longer holds the step's form, nor its answer (`gone`).
 */
async function refuseMovedOn(
  tx: Tx,
  step: { actor: VendorActor; request: { id: string; reference: string; agencyId: string | null }; ip: string; action: string; details?: AuditDetails },
  outcome: 'expired' | 'refused',
): Promise<ActionState> {
  const refused = outcome === 'expired' ? 'expired' : 'state or verifier did not allow it';
  await recordRequestAudit(tx, { ...step, outcome: 'DENIED', details: { ...step.details, refused } });
  return { ok: false, message: outcome === 'expired' ? EXPIRED_MESSAGE : MOVED_ON, gone: true };
}

/** The step is refused, and audited, because the verifier changed meanwhile. */
export async function refuseChangedVerifier(
  tx: Tx,
  step: { actor: VendorActor; request: { id: string; reference: string; agencyId: string | null }; ip: string; action: string; details?: AuditDetails },
): Promise<ActionState> {
  await recordRequestAudit(tx, { ...step, outcome: 'DENIED', details: { ...step.details, refused: 'actor-changed' } });
  return { ok: false, message: ACTOR_CHANGED_MESSAGE };
}

export const NO_SUCH_REQUEST: ActionState = { ok: false, message: 'There is no such request.' };

/** The request a verifier's step acts on (checked to be a verifier first), with what the step reads besides; null when there is none. */
export async function findRequestForStep<S extends Prisma.SuperAdminResetRequestSelect>(
  actor: VendorActor,
  requestId: string,
  select: S,
): Promise<Prisma.SuperAdminResetRequestGetPayload<{ select: typeof STEP_FIELDS & S }> | null> {
  assertVerifier(actor);
  // The spread of a generic select is beyond Prisma's inference; the payload type above is what it returns.
  const fields: Prisma.SuperAdminResetRequestSelect = { ...select, ...STEP_FIELDS };
  return (await db().superAdminResetRequest.findUnique({ where: { id: requestId }, select: fields })) as Prisma.SuperAdminResetRequestGetPayload<{
    select: typeof STEP_FIELDS & S;
  }> | null;
}
