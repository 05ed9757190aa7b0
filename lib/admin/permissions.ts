import { AGENCY_ROLES } from '@/lib/auth/role-labels';
import type { AgencyActor } from '@/lib/auth/session';
import type { Role } from '@/lib/generated/sqlite/enums';
import { loosenedSettings, type AgencyPolicy } from '@/lib/policy/agency-policy';
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

/**
 * The uses a session alone must not make: each gives whoever holds the session a way in or admin power that
 * outlasts it, or weakens every account's sign-in. Their confirming submit asks for the acting admin's own
 * second factor, one held before this session opened (checkFreshSecondFactor, decision 061), so a borrowed
 * screen or a stolen cookie cannot make them (reviews r43d F1, r55g F1). Lowering a role or tightening the
 * policy gives no one anything, and asks for none.
 */
export const FRESH_FACTOR_WHEN = {
  // Hands the account to whoever holds the temporary password it shows.
  'users:clear-second-factors': () => true,
  // Every raise is into an admin role, a provider admin's too: one resets staff passwords and clears their
  // factors, so an account of the intruder's made one holds the agency's staff accounts after the session ends.
  'users:change-role': ({ from, to }: { from: Role; to: Role }) => ADMINS.includes(to) && AGENCY_ROLES.indexOf(to) > AGENCY_ROLES.indexOf(from),
  // The policy's own table says which way each setting loosens (lib/policy/agency-policy.ts).
  'policy:edit': ({ before, after }: { before: AgencyPolicy; after: AgencyPolicy }) => loosenedSettings(before, after).length > 0,
} satisfies Partial<Record<AdminCapability, (change: never) => boolean>>;

export type FreshFactorCapability = keyof typeof FRESH_FACTOR_WHEN;

/** Whether this use of `capability` is confirmed with the acting admin's own fresh factor (FRESH_FACTOR_WHEN). */
export function needsFreshFactor<C extends FreshFactorCapability>(capability: C, change: Parameters<(typeof FRESH_FACTOR_WHEN)[C]>[0]): boolean {
  return (FRESH_FACTOR_WHEN[capability] as (change: unknown) => boolean)(change);
}

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
