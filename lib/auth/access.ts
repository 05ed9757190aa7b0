import type { Role, VendorRole } from '@/lib/generated/sqlite/enums';
import type { Actor } from '@/lib/auth/session';

/** Who may reach a page, server action or route handler. */
export type Access =
  | { principal: 'agency'; roles?: readonly Role[]; duringForcedPasswordChange?: boolean }
  | { principal: 'vendor'; roles?: readonly VendorRole[] };

export const ADMIN_ROLES = ['PROVIDER_ADMIN', 'SUPER_ADMIN'] as const satisfies readonly Role[];

export type AccessDecision = 'allowed' | 'signed-out' | 'password-change-required' | 'forbidden';

/**
 * The single gate every entry point goes through. A session opened with a temporary
 * password is refused everywhere except where `duringForcedPasswordChange` is set.
 */
export function decideAccess(actor: Actor | null, access: Access): AccessDecision {
  if (!actor) return 'signed-out';
  if (actor.kind !== access.principal) return 'forbidden';
  if (actor.kind === 'agency' && access.principal === 'agency') {
    if (actor.mustChangePassword && !access.duringForcedPasswordChange) return 'password-change-required';
    if (access.roles && !access.roles.includes(actor.role)) return 'forbidden';
    return 'allowed';
  }
  if (actor.kind === 'vendor' && access.principal === 'vendor') {
    if (access.roles && !access.roles.includes(actor.role)) return 'forbidden';
    return 'allowed';
  }
  return 'forbidden';
}
