import type { Prisma } from '@/lib/generated/sqlite/client';
import type { ResetRequestState } from '@/lib/generated/sqlite/enums';

/**
 * Who may take a transition from a given state:
 * - `any-verifier`: any account with the VERIFIER role;
 * - `claimer`: the verifier who claimed the request (and works its checklist);
 * - `not-claimer`: a verifier taking over a request someone else claimed;
 * - `not-verifier`: a verifier other than the one who verified it (four eyes);
 * - `link-holder`, `canary-link`, `system`: no vendor account at all.
 */
export type Who = 'any-verifier' | 'claimer' | 'not-claimer' | 'not-verifier' | 'link-holder' | 'canary-link' | 'system';

export const OPEN_STATES = ['SUBMITTED', 'IN_REVIEW', 'NEEDS_INFO', 'VERIFIED', 'APPROVED'] as const satisfies readonly ResetRequestState[];
export const CLOSED_STATES = ['COMPLETED', 'REJECTED', 'EXPIRED', 'CANCELLED'] as const satisfies readonly ResetRequestState[];

const openFrom = (who: Who) => Object.fromEntries(OPEN_STATES.map((state) => [state, who])) as Partial<Record<ResetRequestState, Who>>;

/**
 * PRODUCT.md's state machine, as data: SUBMITTED → IN_REVIEW → VERIFIED → APPROVED → COMPLETED,
 * or REJECTED, NEEDS_INFO, EXPIRED (after 7 days, or once an approval's link died unused), and CANCELLED
 * from the "this wasn't me" link. The use cases
 * build their conditional UPDATE from this table, and the pages ask it which buttons to show.
 */
export const TRANSITIONS = {
  claim: { to: 'IN_REVIEW', from: { SUBMITTED: 'any-verifier', NEEDS_INFO: 'any-verifier', IN_REVIEW: 'not-claimer' } },
  recordCallback: { to: 'IN_REVIEW', from: { IN_REVIEW: 'claimer' } },
  requestMoreInfo: { to: 'NEEDS_INFO', from: { IN_REVIEW: 'claimer' } },
  verify: { to: 'VERIFIED', from: { IN_REVIEW: 'claimer' } },
  approve: { to: 'APPROVED', from: { VERIFIED: 'not-verifier' } },
  // Approval found the account's e-mail or phone changed since filing: the claimer verifies again.
  returnToReview: { to: 'IN_REVIEW', from: { VERIFIED: 'system' } },
  reject: {
    to: 'REJECTED',
    from: { SUBMITTED: 'any-verifier', IN_REVIEW: 'claimer', NEEDS_INFO: 'any-verifier', VERIFIED: 'any-verifier' },
  },
  complete: { to: 'COMPLETED', from: { APPROVED: 'link-holder' } },
  cancel: { to: 'CANCELLED', from: openFrom('canary-link') },
  expire: { to: 'EXPIRED', from: openFrom('system') },
  // The approval's link died unused (its hours passed, or something revoked it): nothing more can
  // come of the request, so it closes and frees the account for a new one (lapse-approval.ts).
  lapse: { to: 'EXPIRED', from: { APPROVED: 'system' } },
} as const satisfies Record<string, { to: ResetRequestState; from: Partial<Record<ResetRequestState, Who>> }>;

export type Transition = keyof typeof TRANSITIONS;
export type VerifierTransition = 'claim' | 'recordCallback' | 'requestMoreInfo' | 'verify' | 'approve' | 'reject';
export const VERIFIER_TRANSITIONS: readonly VerifierTransition[] = ['claim', 'recordCallback', 'requestMoreInfo', 'verify', 'approve', 'reject'];

export type RequestPosition = { state: ResetRequestState; claimedById: string | null; verifiedById: string | null };

function fromStates(transition: Transition): [ResetRequestState, Who][] {
  return Object.entries(TRANSITIONS[transition].from) as [ResetRequestState, Who][];
}

function whoAllows(who: Who, request: RequestPosition, verifierId: string): boolean {
  switch (who) {
    case 'any-verifier':
      return true;
    case 'claimer':
      return request.claimedById === verifierId;
    case 'not-claimer':
      return request.claimedById !== verifierId;
    case 'not-verifier':
      return request.verifiedById !== null && request.verifiedById !== verifierId;
    default:
      return false;
  }
}

/** Whether this verifier may take this transition now: what the page uses to show buttons. */
export function canTransition(transition: VerifierTransition, request: RequestPosition, verifierId: string): boolean {
  const who = (TRANSITIONS[transition].from as Partial<Record<ResetRequestState, Who>>)[request.state];
  return who !== undefined && whoAllows(who, request, verifierId);
}

export function availableTransitions(request: RequestPosition, verifierId: string): VerifierTransition[] {
  return VERIFIER_TRANSITIONS.filter((transition) => canTransition(transition, request, verifierId));
}

export function isOpen(state: ResetRequestState): boolean {
  return (OPEN_STATES as readonly ResetRequestState[]).includes(state);
}

/**
 * The `where` of the conditional UPDATE that takes a transition: the row changes only if, at that
 * instant, it is in a state the table allows, the actor is who the table requires, and the request
 * has not passed its expiry (expiring is the one transition that wants the opposite). Two verifiers
 * racing therefore produce exactly one winner on both databases (the loser's update matches 0 rows),
 * and no step, approval above all, can act on a request whose 7 days are over, whether or not
 * anything has marked it EXPIRED yet.
 */
export function transitionWhere(
  transition: Transition,
  requestId: string,
  actorId: string | null,
  now: Date = new Date(),
): Prisma.SuperAdminResetRequestWhereInput {
  const alternatives: Prisma.SuperAdminResetRequestWhereInput[] = fromStates(transition).map(([state, who]) => {
    switch (who) {
      case 'claimer':
        return { state, claimedById: actorId ?? '' };
      case 'not-claimer':
        return { state, NOT: { claimedById: actorId ?? '' } };
      case 'not-verifier':
        return { state, verifiedById: { not: null }, NOT: { verifiedById: actorId ?? '' } };
      default:
        return { state };
    }
  });
  return { id: requestId, OR: alternatives, expiresAt: transition === 'expire' ? { lte: now } : { gt: now } };
}

/**
 * The `data` of that UPDATE: the target state, and, when the transition closes the request, the
 * release of the account's one open slot (`openKey`), so the next submission opens a new request.
 */
export function transitionData(
  transition: Transition,
  data: Omit<Prisma.SuperAdminResetRequestUpdateManyMutationInput, 'state' | 'openKey'> = {},
): Prisma.SuperAdminResetRequestUpdateManyMutationInput {
  const to: ResetRequestState = TRANSITIONS[transition].to;
  return { ...data, state: to, ...(isOpen(to) ? {} : { openKey: null }) };
}
