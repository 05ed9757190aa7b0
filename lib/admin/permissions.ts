import type { AgencyActor } from '@/lib/auth/session';
import type { Role } from '@/lib/generated/sqlite/enums';
import { Refused } from '@/lib/result';

// The one table of what an agency administrator may do. Use cases enforce it on the
// server; pages ask the same function only to decide which buttons to show.
const ADMINS: readonly Role[] = ['PROVIDER_ADMIN', 'SUPER_ADMIN'];
const SUPER_ADMINS: readonly Role[] = ['SUPER_ADMIN'];

export const ADMIN_CAPABILITIES = {
  'users:read': ADMINS,
  'users:reset-password': ADMINS,
  'users:send-reset-link': ADMINS,
  'users:unlock': ADMINS,
  // Unlocks the accounts a spray locked in the last hour (500 a press); each under the rules of 'users:unlock',
  // which refuse only one's own account (the console's banner counts on it).
  'users:bulk-unlock': ADMINS,
  'users:clear-second-factors': ADMINS,
  'users:set-status': ADMINS,
  'users:change-role': SUPER_ADMINS,
  'policy:edit': SUPER_ADMINS,
  'audit:read': ADMINS,
  'help-requests:handle': ADMINS,
} as const satisfies Record<string, readonly Role[]>;

export type AdminCapability = keyof typeof ADMIN_CAPABILITIES;

/** Capabilities that act on another person's account: never on one's own ("ask another admin"). */
const ON_ANOTHER_ACCOUNT = new Set<AdminCapability>([
  'users:reset-password',
  'users:send-reset-link',
  'users:unlock',
  'users:clear-second-factors',
  'users:set-status',
  'users:change-role',
  // Requests made in one's own name: whoever holds an admin's session must not clear a plea that the
  // account was taken over from the other admins' inbox (review r33d F2).
  'help-requests:handle',
]);
// Clearing second factors hands the account to whoever knows the password: a reset in all but name.
const RESETS = new Set<AdminCapability>(['users:reset-password', 'users:send-reset-link', 'users:clear-second-factors']);
// Disabling an administrator takes their admin powers away, and enabling one gives them back, as a
// role change does: on an admin account, super admins only.
const ON_ADMINS_BY_SUPER_ADMINS = new Set<AdminCapability>(['users:set-status']);

export type AdminTarget = { id: string; agencyId: string; role: Role };
export type AgencyRules = { onlySuperAdminsResetAdmins: boolean };

export type AdminDecision =
  | { allowed: true }
  | { allowed: false; reason: 'role' | 'other-agency' | 'self' | 'admins-reset-by-super-admins' | 'admins-by-super-admins'; message: string };

export function canAdmin(
  actor: AgencyActor,
  capability: AdminCapability,
  target?: AdminTarget,
  rules?: AgencyRules,
): AdminDecision {
  // The kind too: a vendor actor passed in past the gate has no agency to scope a query by.
  if (actor.kind !== 'agency' || !(ADMIN_CAPABILITIES[capability] as readonly Role[]).includes(actor.role)) {
    return { allowed: false, reason: 'role', message: 'Only a super administrator can do that.' };
  }
  if (!target) return { allowed: true };
  if (target.agencyId !== actor.agencyId) {
    return { allowed: false, reason: 'other-agency', message: 'No such user in your agency.' };
  }
  if (ON_ANOTHER_ACCOUNT.has(capability) && target.id === actor.userId) {
    return {
      allowed: false,
      reason: 'self',
      message: 'You cannot do this to your own account. Ask another administrator of your agency.',
    };
  }
  if (ON_ADMINS_BY_SUPER_ADMINS.has(capability) && target.role !== 'STAFF' && actor.role !== 'SUPER_ADMIN') {
    return {
      allowed: false,
      reason: 'admins-by-super-admins',
      message: 'Only a super administrator can disable or enable an administrator’s account.',
    };
  }
  if (RESETS.has(capability) && target.role !== 'STAFF' && rules?.onlySuperAdminsResetAdmins && actor.role !== 'SUPER_ADMIN') {
    return {
      allowed: false,
      reason: 'admins-reset-by-super-admins',
      message: "Your agency's policy lets only super administrators reset an administrator's password.",
    };
  }
  return { allowed: true };
}

/**
 * For use cases that only read (no target, nothing to audit per row): throws `Refused` unless the
 * actor's role has the capability. Writes answer refusals as audited results instead.
 */
export function requireAdminCapability(actor: AgencyActor, capability: AdminCapability): void {
  if (!canAdmin(actor, capability).allowed) throw new Refused(capability);
}
