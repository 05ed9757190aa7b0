import type { Db, Tx } from '@/lib/db/client';
import { normalizeKey } from '@/lib/validation/identifiers';

// A word starts at a letter or digit that does not follow another (marks belong to their letter).
const WORD_START = /(?<![\p{L}\p{M}\p{N}])[\p{L}\p{N}]/gu;

/**
 * What the console's search matches as a prefix: each normalized key from every word start to its
 * end. "jordan smith" gives "jordan smith" and "smith", so "smi" and "jordan sm" both find it, as one
 * index range each. The whole key is a term too, so a search typed from its very start still matches.
 */
export function searchTermsOf(...keys: string[]): string[] {
  const terms = new Set<string>();
  for (const key of keys) {
    if (key) terms.add(key);
    for (const match of key.matchAll(WORD_START)) terms.add(key.slice(match.index));
  }
  return [...terms];
}

/** The same rule as the term rows, for lists already in memory (a filter's few matches). */
export function matchesSearch(key: string, user: { nameKey: string; loginKey: string }): boolean {
  return searchTermsOf(user.nameKey, user.loginKey).some((term) => term.startsWith(key));
}

export function searchTermRows(user: { id: string; agencyId: string; displayName: string; loginName: string }) {
  const nameKey = normalizeKey(user.displayName);
  return searchTermsOf(nameKey, normalizeKey(user.loginName)).map((term) => ({
    agencyId: user.agencyId,
    term,
    nameKey,
    userId: user.id,
  }));
}

/**
 * Rewrites the user's terms; call it in the transaction that writes the name or login name, so the
 * search never disagrees with the row.
 */
export async function writeSearchTerms(tx: Tx | Db, user: { id: string; agencyId: string; displayName: string; loginName: string }) {
  await tx.userSearchTerm.deleteMany({ where: { userId: user.id } });
  await tx.userSearchTerm.createMany({ data: searchTermRows(user) });
}

/**
 * Fills the terms of every existing user, once, after the migration that created the table (users
 * made before it have none). Batches by id, each batch in one transaction; safe to run again.
 */
export async function backfillUserSearchTerms(database: Db, batchSize = 1000): Promise<number> {
  let after = '';
  let done = 0;
  for (;;) {
    const users = await database.user.findMany({
      where: { id: { gt: after } },
      orderBy: { id: 'asc' },
      take: batchSize,
      select: { id: true, agencyId: true, displayName: true, loginName: true },
    });
    if (users.length === 0) return done;
    await database.$transaction(async (tx) => {
      await tx.userSearchTerm.deleteMany({ where: { userId: { in: users.map((user) => user.id) } } });
      await tx.userSearchTerm.createMany({ data: users.flatMap(searchTermRows) });
    });
    done += users.length;
    after = users[users.length - 1]!.id;
  }
}

/** Run by the migrate steps: the backfill belongs to the migration that adds the table. */
export function needsSearchTermBackfill(appliedMigrations: string[]): boolean {
  return appliedMigrations.some((name) => name.endsWith('_user_search_terms'));
}
