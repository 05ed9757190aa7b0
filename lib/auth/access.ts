import type { Role, VendorRole } from '@/lib/generated/sqlite/enums';
import type { Actor } from '@/lib/auth/session';

/** Who may reach a page, server action or route handler. */
export type Access =
  | { principal: 'agency'; roles?: readonly Role[]; duringForcedPasswordChange?: boolean } & SecondFactorSteps
  | { principal: 'vendor'; roles?: readonly VendorRole[] } & SecondFactorSteps;

/** The only entry points a session may reach while the second factor is due or missing. */
type SecondFactorSteps = { duringSecondFactor?: boolean; duringEnrolment?: boolean };

export const ADMIN_ROLES = ['PROVIDER_ADMIN', 'SUPER_ADMIN'] as const satisfies readonly Role[];

export type AccessDecision =
  | 'allowed'
  | 'signed-out'
  | 'second-factor-required'
  | 'password-change-required'
  | 'enrolment-required'
  | 'forbidden';

/** Where a page sends a session that has a step left to do; actions and routes refuse instead. */
export function isNextStepDecision(decision: AccessDecision): decision is keyof (typeof NEXT_STEP_PATH)['agency'] {
  return decision === 'second-factor-required' || decision === 'password-change-required' || decision === 'enrolment-required';
}

export const NEXT_STEP_PATH = {
  agency: { 'second-factor-required': '/login/verify', 'password-change-required': '/change-password', 'enrolment-required': '/account/security' },
  vendor: { 'second-factor-required': '/vendor/login/verify', 'password-change-required': '/vendor', 'enrolment-required': '/vendor/security' },
} as const;

/**
 * The single gate every entry point goes through. In order: a session still owing its second
 * factor reaches only the verification step; one opened with a temporary password only the
 * password change; an account that must have a second factor and has none (or an admin whose
 * agency requires a passkey and who has none) only enrolment.
 */
export function decideAccess(actor: Actor | null, access: Access): AccessDecision {
  if (!actor) return 'signed-out';
  if (actor.kind !== access.principal) return 'forbidden';
  if (actor.secondFactorPending) return access.duringSecondFactor ? 'allowed' : 'second-factor-required';
  if (actor.kind === 'agency' && access.principal === 'agency') {
    if (actor.mustChangePassword && !access.duringForcedPasswordChange) return 'password-change-required';
    const mustEnrol = actor.mustEnrolSecondFactor || actor.mustEnrolPasskey === true;
    // The password change comes before enrolment only when it is forced (a temporary password).
    if (mustEnrol && !access.duringEnrolment && !(access.duringForcedPasswordChange && actor.mustChangePassword)) return 'enrolment-required';
    return holdsRole(access, actor.role) ? 'allowed' : 'forbidden';
  }
  if (actor.kind === 'vendor' && access.principal === 'vendor') {
    if (actor.mustEnrolSecondFactor && !access.duringEnrolment) return 'enrolment-required';
    return holdsRole(access, actor.role) ? 'allowed' : 'forbidden';
  }
  return 'forbidden';
}

/** Whether `role` is one `access` lets in (every role, when it names none). The principal is checked apart. */
export function holdsRole(access: Access, role: Role | VendorRole): boolean {
  return !access.roles || (access.roles as readonly string[]).includes(role);
}
