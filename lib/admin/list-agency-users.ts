import { z } from 'zod';
import type { AgencyActor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { normalizeKey } from '@/lib/validation/identifiers';

export const USERS_PAGE_SIZE = 25;

export const userListQuerySchema = z.object({
  q: z.string().max(100).optional().catch(undefined),
  filter: z.enum(['all', 'locked', 'must-change', 'disabled', 'admins']).catch('all').default('all'),
  sort: z.enum(['last-sign-in', 'name']).catch('last-sign-in').default('last-sign-in'),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

export type UserListQuery = z.infer<typeof userListQuerySchema>;

/** Prefix match as an index range on a normalized key (works alike on SQLite and PostgreSQL). */
function startsWith(prefix: string) {
  return { gte: prefix, lt: `${prefix}\uffff` };
}

/** One page of the actor's own agency's users; the agency is always part of the query. */
export async function listAgencyUsers(actor: AgencyActor, query: UserListQuery, now = new Date()) {
  const key = query.q ? normalizeKey(query.q) : '';
  const filters = {
    all: {},
    locked: { OR: [{ hardLockedAt: { not: null } }, { lockedUntil: { gt: now } }] },
    'must-change': { mustChangePassword: true },
    disabled: { status: 'DISABLED' as const },
    admins: { role: { in: ['PROVIDER_ADMIN' as const, 'SUPER_ADMIN' as const] } },
  }[query.filter];
  const rows = await db().user.findMany({
    where: {
      agencyId: actor.agencyId,
      ...filters,
      ...(key ? { AND: [{ OR: [{ loginKey: startsWith(key) }, { nameKey: startsWith(key) }] }] } : {}),
    },
    // Both orders follow an index exactly, so a 100,000-user agency never sorts in memory. (Where
    // the never-signed-in land differs by database: last on SQLite, first on PostgreSQL; forcing
    // one place would cost the index on the other.)
    orderBy: query.sort === 'name' ? [{ nameKey: 'asc' }, { id: 'asc' }] : [{ lastSignInAt: 'desc' }, { id: 'desc' }],
    skip: (query.page - 1) * USERS_PAGE_SIZE,
    take: USERS_PAGE_SIZE + 1,
    select: {
      id: true,
      loginName: true,
      displayName: true,
      role: true,
      status: true,
      mustChangePassword: true,
      lockedUntil: true,
      hardLockedAt: true,
      lastSignInAt: true,
    },
  });
  return {
    users: rows.slice(0, USERS_PAGE_SIZE).map((user) => ({
      ...user,
      locked: user.hardLockedAt !== null || (user.lockedUntil !== null && user.lockedUntil > now),
    })),
    hasNextPage: rows.length > USERS_PAGE_SIZE,
  };
}

/** Active super admins of the agency: the console nags while there is only one. */
export function countActiveSuperAdmins(agencyId: string) {
  return db().user.count({ where: { agencyId, role: 'SUPER_ADMIN', status: 'ACTIVE' } });
}
