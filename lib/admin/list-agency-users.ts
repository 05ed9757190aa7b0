import { z } from 'zod';
import { requireAdminCapability } from '@/lib/admin/permissions';
import { ADMIN_ROLES } from '@/lib/auth/access';
import { accountLock, isLocked, LANES_SELECT, lockedConditions } from '@/lib/auth/lockout';
import type { AgencyActor } from '@/lib/auth/session';
import { config } from '@/lib/config';
import { db } from '@/lib/db/client';
import { databaseKind } from '@/lib/db/kind';
import type { Prisma, Role } from '@/lib/generated/sqlite/client';
import { normalizeKey } from '@/lib/validation/identifiers';
import { prefixRange, searchTextSchema } from '@/lib/validation/search-text';
import { matchesSearch } from './user-search-terms';

export const USERS_PAGE_SIZE = 25;

export const userListQuerySchema = z.object({
  q: searchTextSchema,
  filter: z.enum(['all', 'locked', 'must-change', 'disabled', 'admins']).catch('all').default('all'),
  sort: z.enum(['last-sign-in', 'name']).catch('last-sign-in').default('last-sign-in'),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

export type UserListQuery = z.infer<typeof userListQuerySchema>;

const LIST_SELECT = {
  id: true,
  agencyId: true,
  loginName: true,
  displayName: true,
  loginKey: true,
  nameKey: true,
  role: true,
  status: true,
  mustChangePassword: true,
  ...LANES_SELECT,
  lastSignInAt: true,
} as const;

type UserWhere = Prisma.UserWhereInput;
export type ListRow = Prisma.UserGetPayload<{ select: typeof LIST_SELECT }>;

export type Filter = Exclude<UserListQuery['filter'], 'all'>;

/**
 * What each filter picks, as one or more parts, each answered by one index on (agencyId, column):
 * locked is either kind of lock in either lane, read as four parts.
 */
export function filterParts(filter: Filter, now: Date): UserWhere[] {
  switch (filter) {
    case 'locked':
      return lockedConditions(now);
    case 'must-change':
      return [{ mustChangePassword: true }];
    case 'disabled':
      return [{ status: 'DISABLED' }];
    case 'admins':
      return [{ role: { in: [...ADMIN_ROLES] } }];
  }
}

/** filterParts for a row already read (a test holds the two to the same users). */
export function filterPicks(filter: Filter, now: Date): (user: ListRow) => boolean {
  switch (filter) {
    case 'locked':
      return (user) => isLocked(accountLock(user), now);
    case 'must-change':
      return (user) => user.mustChangePassword;
    case 'disabled':
      return (user) => user.status === 'DISABLED';
    case 'admins':
      return (user) => (ADMIN_ROLES as readonly Role[]).includes(user.role);
  }
}

type SignInKeys = { id: string; lastSignInAt: Date | null };
type NameKeys = { id: string; nameKey: string };

// The order of lists sorted here: latest sign-in first (never signed in last), or by name.
const byLastSignIn = (a: SignInKeys, b: SignInKeys) =>
  (b.lastSignInAt?.getTime() ?? -Infinity) - (a.lastSignInAt?.getTime() ?? -Infinity) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
const byName = (a: NameKeys, b: NameKeys) =>
  a.nameKey < b.nameKey ? -1 : a.nameKey > b.nameKey ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

// Up to this many users a filter picks are read whole and sorted here; beyond, they are common
// enough that walking the sort index checking the filter finds a page soon (a spray that locked
// 100,000 accounts made the locked filter read and sort them all: 3.9 s, review r31e).
export const FEW_FILTERED = 2000;

// When a filter and its search both pick many, the page is read off the top this many users of the
// sort order when they hold it (see filteredPage).
export const TOP_READ = 1000;

/**
 * A filter usually picks a few users out of many. Asked for them in sort order with a LIMIT, a
 * database walks the agency's sort index until it has a page, all 100,000 users when the agency has
 * three locked ones (SQLite without statistics does exactly that). So the smaller side is read whole
 * and sorted here: a rare search's users by id (FEW_MATCHES), else the filter's few users, each part
 * through its own index alone (no ORDER BY, no search terms a planner could prefer).
 * Only when both are many is the sort index walked, and then matches are common enough to fill a
 * page soon: the top TOP_READ users in sort order are read and checked here, and the database is
 * asked to walk only when they do not hold the page. (PostgreSQL's statistics lag behind a spray
 * that has just locked an agency; still planning for a few locked users, it read all 20,000 to
 * sort them for one page: 68 ms.)
 */
async function filteredPage(agencyId: string, filter: Filter, key: string, query: UserListQuery, skip: number, now: Date) {
  const parts = filterParts(filter, now);
  const order = query.sort === 'name' ? byName : byLastSignIn;
  const page = (users: ListRow[]) => users.sort(order).slice(skip, skip + USERS_PAGE_SIZE + 1);
  if (key) {
    const hits = await db().userSearchTerm.findMany({ where: { agencyId, term: prefixRange(key) }, select: { userId: true }, take: FEW_MATCHES + 1 });
    if (hits.length <= FEW_MATCHES) {
      const ids = [...new Set(hits.map((hit) => hit.userId))];
      return page(ofAgency(agencyId, await db().user.findMany({ where: { id: { in: ids }, OR: parts }, select: LIST_SELECT })));
    }
  }
  const picks = filterPicks(filter, now);
  const matches = (user: ListRow) => picks(user) && (!key || matchesSearch(key, user));
  const counts = await Promise.all(parts.map((part) => db().user.count({ where: { agencyId, ...part }, take: FEW_FILTERED + 1 })));
  if (counts.reduce((sum, count) => sum + count, 0) > FEW_FILTERED) {
    // A page past the top is walked for at once.
    if (skip + USERS_PAGE_SIZE < TOP_READ) {
      const top = await sortedPage({ agencyId }, query, 0, TOP_READ);
      const found = top.filter(matches);
      // Held whole, or the top was all the agency has.
      if (found.length > skip + USERS_PAGE_SIZE || top.length < TOP_READ) return found.slice(skip, skip + USERS_PAGE_SIZE + 1);
    }
    return sortedPage({ agencyId, OR: parts, ...(key ? { searchTerms: { some: { term: prefixRange(key) } } } : {}) }, query, skip);
  }
  const found = await Promise.all(parts.map((part) => db().user.findMany({ where: { agencyId, ...part }, select: LIST_SELECT })));
  return page([...new Map(found.flat().map((user) => [user.id, user])).values()].filter(matches));
}

// Up to this many term hits (a user has a few terms), a search's users are asked for by id; beyond it
// they are common enough that walking the sign-in index checking terms finds a page of them soon.
// (The ids, with the other parameters, stay within one SQLite statement's 999 through Prisma.)
export const FEW_MATCHES = 900;

// Sorted by name, up to this many term hits are paged by the database off the term rows alone
// (each carries its user's nameKey). Walking the name index instead passes every user who sorts
// before the first match: all names before "jo…" for "jo", every other "ana …" before "ana smith".
export const NAME_SORTED_MATCHES = 20_000;

/**
 * A search by any word: a prefix range on the agency's search terms (user-search-terms.ts).
 * - By name: the database pages the matching term rows by their nameKey, unless there are so many
 *   that walking the name index finds a page sooner.
 * - By last sign-in: a rare word's ("okafor") few users are asked for by id in sign-in order; a
 *   common word's ("a") are found by walking the sign-in index.
 * A walk checks each user against its own terms and stops after one page.
 */
async function searchedPage(agencyId: string, key: string, query: UserListQuery, skip: number): Promise<ListRow[]> {
  const range = prefixRange(key);
  const terms = { agencyId, term: range };
  if (query.sort === 'name') {
    if ((await db().userSearchTerm.count({ where: terms, take: NAME_SORTED_MATCHES + 1 })) <= NAME_SORTED_MATCHES) {
      const page = await db().userSearchTerm.groupBy({
        by: ['nameKey', 'userId'],
        where: terms,
        orderBy: [{ nameKey: 'asc' }, { userId: 'asc' }],
        skip,
        take: USERS_PAGE_SIZE + 1,
      });
      return usersInOrder(agencyId, page.map((row) => row.userId));
    }
  } else {
    const hits = await db().userSearchTerm.findMany({ where: terms, select: { userId: true }, take: FEW_MATCHES + 1 });
    if (hits.length <= FEW_MATCHES) {
      // One read in sign-in order: SQLite walks the agency's sign-in index, which holds the id, and
      // reads only the page's rows (reading ~500 users by id first, then sorting, took 150 ms cold at
      // 1,000,000 users); PostgreSQL chooses by its statistics.
      return sortedPage({ agencyId, id: { in: [...new Set(hits.map((hit) => hit.userId))] } }, query, skip);
    }
  }
  // No agencyId in the inner condition, on purpose: Prisma writes a correlated EXISTS, and with
  // only the user id to go on the database probes each walked user's few terms by the userId
  // index, instead of rescanning the agency's whole range of terms for every user it walks.
  return sortedPage({ agencyId, searchTerms: { some: { term: range } } }, query, skip);
}

/** The rows of one page of users, read by id, in the page's order. */
async function usersInOrder(agencyId: string, pageIds: string[]): Promise<ListRow[]> {
  const users = ofAgency(agencyId, await db().user.findMany({ where: { id: { in: pageIds } }, select: LIST_SELECT }));
  const byId = new Map(users.map((user) => [user.id, user]));
  return pageIds.flatMap((id) => byId.get(id) ?? []);
}

/**
 * Of users read by id, the agency's own. The agency is checked on the rows, not in the WHERE: given
 * `agencyId = ? AND id IN (…)` and no ORDER BY that an index answers, SQLite (no statistics) walks
 * one of the agency's indexes instead of the primary key, 100,000 users for 500 ids (50 ms against
 * 2 ms at 1,000,000 users). (In sign-in order the walk is what we want: see searchedPage.)
 */
export function ofAgency<T extends { agencyId: string }>(agencyId: string, users: T[]): T[] {
  return users.filter((user) => user.agencyId === agencyId);
}

/**
 * Latest sign-in first, never signed in last (as byLastSignIn). SQLite's DESC puts NULL last as it
 * is, and Prisma writes an explicit NULLS LAST there as a CASE that no index follows; PostgreSQL's
 * DESC puts NULL first, so it is said, and the index is built for it (user_never_signed_in_last).
 */
function latestSignInFirst() {
  return databaseKind(config().DATABASE_URL) === 'postgresql' ? ({ sort: 'desc', nulls: 'last' } as const) : ('desc' as const);
}

function sortedPage(where: UserWhere, query: UserListQuery, skip: number, take = USERS_PAGE_SIZE + 1): Promise<ListRow[]> {
  return db().user.findMany({
    where,
    // Both orders follow an index exactly, so a 100,000-user agency never sorts in memory.
    orderBy:
      query.sort === 'name'
        ? [{ nameKey: 'asc' }, { id: 'asc' }]
        : [{ lastSignInAt: latestSignInFirst() }, { id: 'desc' }],
    skip,
    take,
    select: LIST_SELECT,
  });
}

/** One page of the actor's own agency's users; the agency is always part of the query. */
export async function listAgencyUsers(actor: AgencyActor, query: UserListQuery, now = new Date()) {
  requireAdminCapability(actor, 'users:read');
  const key = query.q ? normalizeKey(query.q) : '';
  const skip = (query.page - 1) * USERS_PAGE_SIZE;
  const rows: ListRow[] =
    query.filter !== 'all'
      ? await filteredPage(actor.agencyId, query.filter, key, query, skip, now)
      : key
        ? await searchedPage(actor.agencyId, key, query, skip)
        : await sortedPage({ agencyId: actor.agencyId }, query, skip);
  return {
    users: rows.slice(0, USERS_PAGE_SIZE).map((user) => ({
      ...user,
      locked: isLocked(accountLock(user), now),
    })),
    hasNextPage: rows.length > USERS_PAGE_SIZE,
  };
}

/** Active super admins of the agency: the console nags while there is only one. */
export function countActiveSuperAdmins(agencyId: string) {
  return db().user.count({ where: { agencyId, role: 'SUPER_ADMIN', status: 'ACTIVE' } });
}
