import { ADMIN_ROLES, type Access } from '@/lib/auth/access';

/** The gate of every console page, action and route; finer rules are in lib/admin/permissions.ts. */
export const ADMIN_ACCESS = { principal: 'agency', roles: ADMIN_ROLES } as const satisfies Access;
