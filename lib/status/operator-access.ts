import type { Access } from '@/lib/auth/access';

/** Who reaches the status operations page and its actions: operators only (verifiers get a 404). */
export const OPERATOR_ACCESS = { principal: 'vendor', roles: ['OPERATOR'] } as const satisfies Access;
