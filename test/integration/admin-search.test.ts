import { describe, expect, it } from 'vitest';
import { namesForAudit } from '@/lib/admin/list-agency-audit';
import { FEW_FILTERED, FEW_MATCHES, filterParts, filterPicks, listAgencyUsers, NAME_SORTED_MATCHES, TOP_READ, userListQuerySchema, USERS_PAGE_SIZE } from '@/lib/admin/list-agency-users';
import { backfillUserSearchTerms, searchTermRows } from '@/lib/admin/user-search-terms';
import { resolveSession, type AgencyActor } from '@/lib/auth/session';
import { signInAgencyUser } from '@/lib/auth/sign-in';
import { db, type Db, type SentQuery } from '@/lib/db/client';
import { databaseKind } from '@/lib/db/kind';
import { createAgency, createUser } from '@/prisma/factories';
import { statementsOf } from '@/test/support/statements-of';

const PASSWORD = 'granite willow ocean falcon';

async function adminOf(agency: { id: string; code: string }): Promise<AgencyActor> {
  const admin = await createUser(db(), agency.id, PASSWORD, { role: 'PROVIDER_ADMIN', displayName: 'Pat Admin', loginName: 'pat.admin' });
  const result = await signInAgencyUser({ providerCode: agency.code, loginName: admin.loginName, password: PASSWORD }, '192.0.2.30');
  if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
  return (await resolveSession(result.sessionId)) as AgencyActor;
}

/** Many users at once, without hashing a password each, with their terms written as the app writes them. */
async function bulkUsers(
  agencyId: string,
  count: number,
  name: (i: number) => [displayName: string, loginName: string],
  lastSignInAt: (i: number) => Date | null = () => null,
) {
  const rows = Array.from({ length: count }, (_, i) => {
    const [displayName, loginName] = name(i);
    return {
      id: `${agencyId}-${loginName}`,
      agencyId,
      displayName,
      nameKey: displayName.toLowerCase(),
      loginName,
      loginKey: loginName,
      passwordHash: 'not used to sign in',
      lastSignInAt: lastSignInAt(i),
    };
  });
  await db().user.createMany({ data: rows });
  await db().userSearchTerm.createMany({ data: rows.flatMap(searchTermRows) });
  return rows;
}

/**
 * The plan the database makes for a statement as sent. PostgreSQL is told to avoid scanning the table
 * and sorting, so with a test's handful of rows its choice does not hang on its statistics: it still
 * sorts when no index gives the order.
 */
async function planOf(probe: Db, { sql, params }: SentQuery): Promise<string> {
  const values = (JSON.parse(params) as unknown[]).map((value) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value));
  if (databaseKind(process.env.DATABASE_URL!) === 'sqlite') {
    const rows = await probe.$queryRawUnsafe<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${sql}`, ...values);
    return rows.map((row) => row.detail).join('\n');
  }
  return probe.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
    await tx.$executeRawUnsafe('SET LOCAL enable_sort = off');
    const rows = await tx.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${sql}`, ...values);
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  });
}

// Thousands of users per test, and a backfill that reads the whole shared database: on a busy machine late in
// a full run (the final run of session 43, with reviewers' servers beside it) two took over the default 30 s.
describe('console search by any word', { timeout: 120_000 }, () => {
  it('[PROVIDER_ADMIN] lists a whole agency, by latest sign-in or by name, straight off an index: nothing sorted', async () => {
    const agency = await createAgency(db());
    const actor = await adminOf(agency);
    for (const sort of ['last-sign-in', 'name']) {
      const { probe, sent } = await statementsOf(() => listAgencyUsers(actor, userListQuerySchema.parse({ sort, page: '2' })));
      try {
        const lists = sent.filter((query) => /FROM "(main|public)"\."User"/.test(query.sql.replaceAll('`', '"')) && /ORDER BY/.test(query.sql));
        expect(lists, sort).toHaveLength(1);
        const plan = await planOf(probe, lists[0]!);
        expect(plan, `${sort}:\n${lists[0]!.sql}\n${plan}`).not.toMatch(/TEMP B-TREE FOR ORDER BY|Sort/);
      } finally {
        await probe.$disconnect();
      }
    }
  });

  it('[PROVIDER_ADMIN] finds a user by a word in the middle of the name or login, as a prefix, in any case and Unicode form', async () => {
    const agency = await createAgency(db());
    const actor = await adminOf(agency);
    const jordan = await createUser(db(), agency.id, PASSWORD, { displayName: 'Jordan Smith', loginName: 'jsmith' });
    const jose = await createUser(db(), agency.id, PASSWORD, { displayName: 'José Núñez-García', loginName: 'j.nunez' });
    const other = await createUser(db(), agency.id, PASSWORD, { displayName: 'Blacksmith Jones', loginName: 'bjones' });
    const found = async (q: string) => (await listAgencyUsers(actor, userListQuerySchema.parse({ q }))).users.map((user) => user.id).sort();

    expect(await found('Smith')).toEqual([jordan.id]); // a word's start only: not "Blacksmith"
    expect(await found('smi')).toEqual([jordan.id]);
    expect(await found('  ＳＭＩＴＨ ')).toEqual([jordan.id]); // fullwidth, padded
    expect(await found('jordan sm')).toEqual([jordan.id]);
    expect(await found('jsm')).toEqual([jordan.id]);
    expect(await found('GARCÍA')).toEqual([jose.id]);
    expect(await found('nu\u0301n\u0303ez')).toEqual([jose.id]); // decomposed accents compose under NFKC
    expect(await found('nunez')).toEqual([jose.id]); // the login name's second word
    expect(await found('jones')).toEqual([other.id]);
    expect(await found('mith')).toEqual([]);
    expect(await found('%')).toEqual([]);
    expect(await found('_')).toEqual([]);
    expect(await found('smith jordan')).toEqual([]);
  });

  it('[PROVIDER_ADMIN] finds a name whose next character lies beyond U+FFFF, on every path; a search with a NUL or other controls finds what it names, never a 500 (review r40a F1, F2)', async () => {
    const agency = await createAgency(db());
    const actor = await adminOf(agency);
    const jordan = await createUser(db(), agency.id, PASSWORD, { displayName: 'Jordan 田𠮷 Smith', loginName: 'jtian' });
    await createUser(db(), agency.id, PASSWORD, { displayName: 'Tian 由 Ito', loginName: 'tito' }); // 由 is 田 + 1: past the range
    for (const filter of ['all', 'must-change']) {
      if (filter === 'must-change') await db().user.update({ where: { id: jordan.id }, data: { mustChangePassword: true } });
      for (const sort of ['last-sign-in', 'name']) {
        const found = async (q: string) => (await listAgencyUsers(actor, userListQuerySchema.parse({ q, sort, filter }))).users.map((user) => user.id);
        for (const q of ['田', 'jordan 田', '田𠮷', '田𠮷 s', 'jor\u0000dan', '\u0000田', 'j\u0007tian\u001f', 'jordan\t田', 'jordan  田𠮷\nsmith']) expect(await found(q), `${q} ${sort} ${filter}`).toEqual([jordan.id]);
      }
    }
  });

  it('[PROVIDER_ADMIN] never finds another agency’s user, whatever the word', async () => {
    const mine = await createAgency(db());
    const theirs = await createAgency(db());
    const actor = await adminOf(mine);
    const own = await createUser(db(), mine.id, PASSWORD, { displayName: 'Ola Okafor', loginName: 'ola.okafor' });
    const foreign = await createUser(db(), theirs.id, PASSWORD, { displayName: 'Ola Okafor', loginName: 'ola.okafor' });
    // Common enough to take the walk over the sort index, rare enough to read by id: both must hold.
    await bulkUsers(theirs.id, 1100, (i) => [`Foreign Okafor ${i}`, `okafor.${i}`]);
    for (const q of ['okafor', 'ola', 'OLA OK', 'foreign', foreign.loginName]) {
      const ids = (await listAgencyUsers(actor, userListQuerySchema.parse({ q }))).users.map((user) => user.id);
      expect(ids, q).toEqual(q === 'foreign' ? [] : [own.id]);
    }
    await bulkUsers(mine.id, 1100, (i) => [`Neighbour Okafor ${i}`, `n.okafor.${i}`]);
    const all = await listAgencyUsers(actor, userListQuerySchema.parse({ q: 'okafor', sort: 'name', page: '5' }));
    expect(all.users.some((user) => user.id === foreign.id || user.id.startsWith(theirs.id))).toBe(false);
  });

  it('[PROVIDER_ADMIN] never shows another agency’s user through a term row of its own agency that names them, nor their name in the audit', async () => {
    // Users of a search are read by id and the agency is checked on the rows (SQLite's plan): a term
    // row left pointing at a user of another agency (written by hand, or by a bug) must not lead there.
    const mine = await createAgency(db());
    const theirs = await createAgency(db());
    const actor = await adminOf(mine);
    const foreign = await createUser(db(), theirs.id, PASSWORD, { displayName: 'Zeno Quill', loginName: 'zeno.quill' });
    await db().userSearchTerm.create({ data: { agencyId: mine.id, term: 'zeno quill', nameKey: 'zeno quill', userId: foreign.id } });
    expect((await listAgencyUsers(actor, userListQuerySchema.parse({ q: 'zeno' }))).users).toEqual([]);
    expect((await listAgencyUsers(actor, userListQuerySchema.parse({ q: 'zeno', sort: 'name' }))).users).toEqual([]);
    const own = await createUser(db(), mine.id, PASSWORD, { displayName: 'Zeno Own', loginName: 'zeno.own' });
    expect((await listAgencyUsers(actor, userListQuerySchema.parse({ q: 'zeno' }))).users.map((user) => user.id)).toEqual([own.id]);
    expect([...(await namesForAudit(actor, [foreign.id, own.id])).keys()]).toEqual([own.id]);
  });

  it('[PROVIDER_ADMIN] pages a search the same way whether it matches few users or many: every match once, in name order', async () => {
    const agency = await createAgency(db());
    const actor = await adminOf(agency);
    const pageThrough = async (q: string) => {
      const seen: string[] = [];
      for (let page = 1; ; page++) {
        const result = await listAgencyUsers(actor, userListQuerySchema.parse({ q, sort: 'name', page: String(page) }));
        expect(result.users.length).toBeLessThanOrEqual(USERS_PAGE_SIZE);
        seen.push(...result.users.map((user) => user.displayName));
        if (!result.hasNextPage) return seen;
      }
    };
    const few = await bulkUsers(agency.id, 60, (i) => [`Ann ${String(i).padStart(4, '0')} Rossi`, `ann.rossi${i}`]);
    // Two terms per user match "tanaka" (name and login): 1,100 users are past the by-id limit.
    const many = await bulkUsers(agency.id, 1100, (i) => [`Ben ${String(i).padStart(4, '0')} Tanaka`, `ben.tanaka${i}`]);
    expect(await pageThrough('rossi')).toEqual(few.map((user) => user.displayName));
    expect(await pageThrough('tanaka')).toEqual(many.map((user) => user.displayName));
    // By last sign-in (the default order), the walk over the index pages the same way.
    const last = await listAgencyUsers(actor, userListQuerySchema.parse({ q: 'tanaka', page: '44' }));
    expect(last).toMatchObject({ hasNextPage: false });
    expect(last.users).toHaveLength(1100 - 43 * USERS_PAGE_SIZE);
    expect((await listAgencyUsers(actor, userListQuerySchema.parse({ q: 'tanaka', page: '45' }))).users).toEqual([]);
    expect((await listAgencyUsers(actor, userListQuerySchema.parse({ q: 'rossi', page: '3' }))).users).toHaveLength(60 - 2 * USERS_PAGE_SIZE);
  });

  it('[PROVIDER_ADMIN] pages a word of up to FEW_MATCHES users by latest sign-in in one read (SQLite: off the sign-in index)', async () => {
    const agency = await createAgency(db());
    const actor = await adminOf(agency);
    const now = Date.now();
    // The login matches "zz.k" once per user, the name never: exactly FEW_MATCHES ids in one statement.
    const users = await bulkUsers(agency.id, FEW_MATCHES, (i) => [`Person ${i}`, `zz.k${i}`], (i) => (i % 7 === 0 ? null : new Date(now - (i % 50) * 60_000)));
    try {
      const expected = [...users]
        .sort((a, b) => (b.lastSignInAt?.getTime() ?? -Infinity) - (a.lastSignInAt?.getTime() ?? -Infinity) || (a.id < b.id ? 1 : -1))
        .map((user) => user.id);
      const page = async (number: number) =>
        (await listAgencyUsers(actor, userListQuerySchema.parse({ q: 'ZZ.K', page: String(number) }))).users.map((user) => user.id);
      const lastPage = Math.ceil(FEW_MATCHES / USERS_PAGE_SIZE);
      expect([...(await page(1)), ...(await page(2))]).toEqual(expected.slice(0, 2 * USERS_PAGE_SIZE));
      expect(await page(lastPage)).toEqual(expected.slice((lastPage - 1) * USERS_PAGE_SIZE));

      const { probe, sent } = await statementsOf(() => page(1));
      try {
        const reads = sent.filter((query) => /FROM "(main|public)"\."User"/.test(query.sql.replaceAll('`', '"')));
        expect(reads).toHaveLength(1);
        // SQLite plans without statistics, alike at any size: this is the plan at 1,000,000 users too.
        if (databaseKind(process.env.DATABASE_URL!) === 'sqlite') expect(await planOf(probe, reads[0]!)).toMatch(/^SEARCH .*User USING INDEX User_agencyId_lastSignInAt_id_idx \(agencyId=\?\)$/);
      } finally {
        await probe.$disconnect();
      }
    } finally {
      await db().user.deleteMany({ where: { agencyId: agency.id } });
    }
  });

  it('[PROVIDER_ADMIN] pages a search sorted by name in the same order when its matches are too many to sort', async () => {
    const agency = await createAgency(db());
    const actor = await adminOf(agency);
    const names = (users: { displayName: string }[]) => users.map((user) => user.displayName);
    // Past NAME_SORTED_MATCHES terms the name index is walked: the matches come after other names
    // ("Ann …"), as a surname's do in a real agency. Each user here has ten terms that match
    // "haddad" (nine in the name, one in the login), so a few users are enough.
    const others = await bulkUsers(agency.id, 40, (i) => [`Ann ${String(i).padStart(2, '0')} Novak`, `ann.novak${i}`]);
    const most = await bulkUsers(agency.id, NAME_SORTED_MATCHES / 10 + 1, (i) => [`Cy ${String(i).padStart(5, '0')}${' Haddad'.repeat(9)}`, `cy.haddad${i}`]);
    try {
      const page = async (q: string, number: number) =>
        names((await listAgencyUsers(actor, userListQuerySchema.parse({ q, sort: 'name', page: String(number) }))).users);
      const lastPage = Math.ceil(most.length / USERS_PAGE_SIZE);
      expect([...(await page('haddad', 1)), ...(await page('haddad', 2))]).toEqual(names(most.slice(0, 2 * USERS_PAGE_SIZE)));
      expect(await page('haddad', lastPage)).toEqual(names(most.slice((lastPage - 1) * USERS_PAGE_SIZE)));
      expect([...(await page('ann', 1)), ...(await page('ann', 2))]).toEqual(names(others));
    } finally {
      // The other tests share this database; some (the backfill) read all of it.
      await db().user.deleteMany({ where: { agencyId: agency.id } });
    }
  });

  it('[PROVIDER_ADMIN] lists by latest sign-in alike on every path, never signed in last: the whole list, a search of many, of few, a filter', async () => {
    const agency = await createAgency(db());
    const actor = await adminOf(agency);
    const now = Date.now();
    // Every fourth never signed in; some share a time, so the id must break the tie alike everywhere.
    const signedIn = (i: number) => (i % 4 === 0 ? null : new Date(now - (i % 300) * 60_000));
    const many = await bulkUsers(agency.id, 1100, (i) => [`Ben Tanaka ${i}`, `ben.tanaka${i}`], signedIn);
    const few = await bulkUsers(agency.id, 40, (i) => [`Ann Rossi ${i}`, `ann.rossi${i}`], signedIn);
    await db().user.updateMany({ where: { id: { in: few.slice(0, 30).map((user) => user.id) } }, data: { mustChangePassword: true } });
    const admin = await db().user.findFirstOrThrow({ where: { agencyId: agency.id, loginName: 'pat.admin' } });
    const expected = (users: { id: string; lastSignInAt: Date | null }[]) =>
      [...users]
        .sort((a, b) => (b.lastSignInAt?.getTime() ?? -Infinity) - (a.lastSignInAt?.getTime() ?? -Infinity) || (a.id < b.id ? 1 : -1))
        .map((user) => user.id);
    const pageThrough = async (query: Record<string, string>) => {
      const seen: string[] = [];
      for (let page = 1; ; page++) {
        const result = await listAgencyUsers(actor, userListQuerySchema.parse({ ...query, page: String(page) }));
        seen.push(...result.users.map((user) => user.id));
        if (!result.hasNextPage) return seen;
      }
    };
    expect(await pageThrough({})).toEqual(expected([admin, ...many, ...few]));
    expect(await pageThrough({ q: 'tanaka' })).toEqual(expected(many));
    expect(await pageThrough({ q: 'rossi' })).toEqual(expected(few));
    expect(await pageThrough({ filter: 'must-change' })).toEqual(expected(few.slice(0, 30)));
  });

  it('[PROVIDER_ADMIN] pages a filter that picks more than FEW_FILTERED users off the sort index, in the same order, never reading them all', async () => {
    const agency = await createAgency(db());
    const actor = await adminOf(agency);
    const now = Date.now();
    // A spray's locks: soft, hard and both, in either lane; every fifth never signed in.
    const many = await bulkUsers(agency.id, FEW_FILTERED + 30, (i) => [`Cy ${String(i).padStart(5, '0')} Haddad`, `cy.haddad${i}`], (i) => (i % 5 === 0 ? null : new Date(now - (i % 300) * 60_000)));
    const lane = (i: number) =>
      [{ lockedUntil: new Date(now + 600_000) }, { hardLockedAt: new Date(now) }, { knownDeviceLockedUntil: new Date(now + 600_000) }, { knownDeviceHardLockedAt: new Date(now), lockedUntil: new Date(now + 600_000) }][i % 4]!;
    for (let kind = 0; kind < 4; kind++) {
      await db().user.updateMany({ where: { id: { in: many.filter((_, i) => i % 4 === kind).map((user) => user.id) } }, data: lane(kind) });
    }
    // Not locked: a lock run out, and people untouched.
    const others = await bulkUsers(agency.id, 20, (i) => [`Ann ${String(i).padStart(2, '0')} Novak`, `ann.novak${i}`]);
    await db().user.update({ where: { id: others[0]!.id }, data: { lockedUntil: new Date(now - 1000) } });
    try {
      const page = async (query: Record<string, string>, number: number) =>
        (await listAgencyUsers(actor, userListQuerySchema.parse({ filter: 'locked', ...query, page: String(number) }))).users.map((user) => user.id);
      const bySignIn = [...many]
        .sort((a, b) => (b.lastSignInAt?.getTime() ?? -Infinity) - (a.lastSignInAt?.getTime() ?? -Infinity) || (a.id < b.id ? 1 : -1))
        .map((user) => user.id);
      const lastPage = Math.ceil(many.length / USERS_PAGE_SIZE);
      expect([...(await page({}, 1)), ...(await page({}, 2))]).toEqual(bySignIn.slice(0, 2 * USERS_PAGE_SIZE));
      expect(await page({}, lastPage)).toEqual(bySignIn.slice((lastPage - 1) * USERS_PAGE_SIZE));
      expect(await page({ sort: 'name' }, lastPage)).toEqual(many.slice((lastPage - 1) * USERS_PAGE_SIZE).map((user) => user.id));
      // With a search: its matches among the filter's, and no one else.
      expect(await page({ sort: 'name', q: 'cy.haddad1999' }, 1)).toEqual([many[1999]!.id]);
      expect(await page({ q: 'novak' }, 1)).toEqual([]);
      // A rare word among the filter's many: its few users are read by id, the agency is not walked (review r32e M1).
      const { probe: rare, sent: rareSent } = await statementsOf(() => page({ q: 'cy.haddad1999' }, 1));
      try {
        const reads = rareSent.filter((query) => /FROM "(main|public)"\."User"/.test(query.sql.replaceAll('`', '"')) && !/COUNT\(/i.test(query.sql));
        expect(reads).toHaveLength(1);
        expect(reads[0]!.sql).not.toMatch(/ORDER BY/);
        expect(reads[0]!.sql).toMatch(/\."id" IN \(|\.`id` IN \(/);
      } finally {
        await rare.$disconnect();
      }

      const userReads = (sent: SentQuery[]) => sent.filter((query) => /FROM "(main|public)"\."User"/.test(query.sql.replaceAll('`', '"')) && !/COUNT\(/i.test(query.sql));
      const limits = (query: SentQuery) => (JSON.parse(query.params) as unknown[]).map(Number);
      for (const sort of ['last-sign-in', 'name']) {
        // Page 2 is among the top TOP_READ of the sort order: they are read, in an order an index gives
        // (nothing sorted), and nothing else; no filter in the read, for no planner to go by it.
        const { probe, sent } = await statementsOf(() => page({ sort }, 2));
        try {
          const reads = userReads(sent);
          expect(reads, sort).toHaveLength(1);
          expect(reads[0]!.sql).toMatch(/LIMIT/);
          expect(reads[0]!.sql).not.toMatch(/lockedUntil" >|hardLockedAt" IS NOT NULL|lockedUntil` >|hardLockedAt` IS NOT NULL/);
          expect(limits(reads[0]!), sort).toContain(TOP_READ);
          expect(await planOf(probe, reads[0]!), sort).not.toMatch(/TEMP B-TREE FOR ORDER BY|Sort/);
        } finally {
          await probe.$disconnect();
        }
        // The last page is past them: the database walks the sort index for that page alone.
        const { probe: past, sent: pastSent } = await statementsOf(() => page({ sort }, lastPage));
        try {
          const reads = userReads(pastSent);
          expect(reads.map(limits), sort).toEqual([expect.arrayContaining([USERS_PAGE_SIZE + 1])]);
          expect(await planOf(past, reads[0]!), sort).not.toMatch(/TEMP B-TREE FOR ORDER BY|Sort/);
        } finally {
          await past.$disconnect();
        }
      }
    } finally {
      await db().user.deleteMany({ where: { agencyId: agency.id } });
    }
  });

  it('each filter picks the same users read from a row (filterPicks) as asked of the database (filterParts)', async () => {
    const agency = await createAgency(db());
    const now = new Date();
    const later = new Date(now.getTime() + 600_000);
    const earlier = new Date(now.getTime() - 1000);
    const states = [
      {},
      { lockedUntil: later },
      { lockedUntil: earlier },
      { lockedUntil: now },
      { hardLockedAt: earlier },
      { knownDeviceLockedUntil: later },
      { knownDeviceLockedUntil: earlier },
      { knownDeviceHardLockedAt: earlier, lockedUntil: earlier },
      { mustChangePassword: true },
      { status: 'DISABLED' as const },
      { role: 'PROVIDER_ADMIN' as const },
      { role: 'SUPER_ADMIN' as const, mustChangePassword: true },
      { role: 'STAFF' as const, status: 'DISABLED' as const, lockedUntil: later },
    ];
    const users = await bulkUsers(agency.id, states.length, (i) => [`State ${i}`, `state${i}`]);
    for (const [i, state] of states.entries()) await db().user.update({ where: { id: users[i]!.id }, data: state });
    const rows = await db().user.findMany({ where: { agencyId: agency.id } });
    for (const filter of ['locked', 'must-change', 'disabled', 'admins'] as const) {
      const asked = await db().user.findMany({ where: { agencyId: agency.id, OR: filterParts(filter, now) }, select: { id: true } });
      expect(rows.filter(filterPicks(filter, now)).map((user) => user.id).sort(), filter).toEqual(asked.map((user) => user.id).sort());
      expect(asked.length, filter).toBeGreaterThan(0);
    }
  });

  it('[PROVIDER_ADMIN] finds users made before the search terms existed once the migrate step backfills them, and a second run changes nothing', async () => {
    const agency = await createAgency(db());
    const actor = await adminOf(agency);
    await db().user.createMany({
      data: [{ agencyId: agency.id, displayName: 'Early Bird', nameKey: 'early bird', loginName: 'e.bird', loginKey: 'e.bird', passwordHash: 'x' }],
    });
    const search = async () => (await listAgencyUsers(actor, userListQuerySchema.parse({ q: 'bird' }))).users.map((user) => user.loginName);
    expect(await search()).toEqual([]);
    await backfillUserSearchTerms(db(), 7);
    expect(await search()).toEqual(['e.bird']);
    const terms = await db().userSearchTerm.count({ where: { agencyId: agency.id } });
    await backfillUserSearchTerms(db());
    expect(await db().userSearchTerm.count({ where: { agencyId: agency.id } })).toBe(terms);
  });
});
