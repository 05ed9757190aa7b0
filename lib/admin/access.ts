import { ADMIN_CAPABILITIES } from '@/lib/admin/permissions';
import { ADMIN_ROLES, type Access } from '@/lib/auth/access';

/** The gate of every console page, action and route; finer rules are in lib/admin/permissions.ts. */
export const ADMIN_ACCESS = { principal: 'agency', roles: ADMIN_ROLES } as const satisfies Access;

/** The one console page, and its form, that a role of the console may not open: the policy's. */
export const POLICY_ACCESS = { principal: 'agency', roles: ADMIN_CAPABILITIES['policy:edit'] } as const satisfies Access;
