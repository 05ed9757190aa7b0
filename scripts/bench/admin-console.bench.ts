// `npm run bench:admin`: the console's list and search queries on a large scratch database,
// SQLite and PostgreSQL: 1,000,000 users over 2,000 agencies, one of them with 100,000.
// Prints p50/p95 per query. BENCH_ADMIN_USERS scales it down for a quick look.
import { listAgencyUsers, userListQuerySchema } from '@/lib/admin/list-agency-users';
import { searchTermRows } from '@/lib/admin/user-search-terms';
import type { AgencyActor } from '@/lib/auth/session';
import { db, type Db } from '@/lib/db/client';
import { hashPassword } from '@/lib/password/hash';
import { measureInChildPerDatabase } from './each-database';

const TOTAL_USERS = Number(process.env.BENCH_ADMIN_USERS ?? 1_000_000);
const AGENCIES = 2000;
const BIG_AGENCY_USERS = Math.round(TOTAL_USERS / 10);
const SAMPLES = 100;
const FIRST = ['ana', 'ben', 'carla', 'dev', 'eli', 'fatima', 'george', 'hana', 'ivan', 'jo', 'kemal', 'lena', 'mo', 'nina', 'omar', 'pia'];
const LAST = ['smith', 'garcia', 'nguyen', 'kowalski', 'okafor', 'rossi', 'schmidt', 'tanaka', 'haddad', 'silva', 'novak', 'brown'];

const FILL_BATCH = 1000;

function userRow(n: number, agency: number, passwordHash: string, now: number) {
  const first = FIRST[n % FIRST.length]!;
  const last = LAST[Math.floor(n / FIRST.length) % LAST.length]!;
  const login = `${first}.${last}${n}`;
  return {
    id: `user-${n}`,
    agencyId: `agency-${agency}`,
    loginName: login,
    loginKey: login,
    displayName: `${first} ${last}`,
    nameKey: `${first} ${last}`,
    passwordHash,
    // As in a real agency, the filters pick few: 1 in 500 an admin, 1 in 211 disabled,
    // 1 in 97 with a temporary password, about 1 in 4,000 locked (both kinds).
    role: n % 500 === 0 ? ('PROVIDER_ADMIN' as const) : ('STAFF' as const),
    status: n % 211 === 0 ? ('DISABLED' as const) : ('ACTIVE' as const),
    mustChangePassword: n % 97 === 0,
    lockedUntil: n % 5003 === 0 ? new Date(now + 600_000) : null,
    hardLockedAt: n % 7919 === 1 ? new Date(now - 3_600_000) : null,
    lastSignInAt: n % 10 === 3 ? null : new Date(now - ((n * 7919) % (90 * 86_400)) * 1000),
  };
}

function* usersToFill(perSmallAgency: number, passwordHash: string, now: number) {
  let n = 0;
  for (let agency = 0; agency < AGENCIES; agency++) {
    const count = agency === 0 ? BIG_AGENCY_USERS : perSmallAgency;
    for (let k = 0; k < count; k++) yield userRow(n++, agency, passwordHash, now);
  }
}

async function fill(database: Db) {
  const passwordHash = await hashPassword('bench password not used to sign in');
  const agencies = Array.from({ length: AGENCIES }, (_, i) => ({
    id: `agency-${i}`,
    code: `BENCH-${i}`,
    codeKey: `bench-${i}`,
    name: `Bench Agency ${i}`,
    phoneOnRecord: '+1 555 0100',
  }));
  await database.agency.createMany({ data: agencies });
  const perSmallAgency = Math.floor((TOTAL_USERS - BIG_AGENCY_USERS) / (AGENCIES - 1));
  const now = Date.now();
  let made = 0;
  const started = performance.now();
  const users = usersToFill(perSmallAgency, passwordHash, now);
  // Fixed-size batches only: Prisma keeps a compiled plan per query shape, and a createMany of
  // each new row count is a new shape holding its rows; batches of varying sizes (one per agency,
  // and the terms of each) filled the heap before 1,000,000 users. Users stream from a generator,
  // their terms wait in a buffer until a whole batch is ready.
  let terms: ReturnType<typeof searchTermRows> = [];
  for (;;) {
    const batch: ReturnType<typeof userRow>[] = [];
    while (batch.length < FILL_BATCH) {
      const next = users.next();
      if (next.done) break;
      batch.push(next.value);
    }
    if (batch.length === 0) break;
    await database.user.createMany({ data: batch });
    terms.push(...batch.flatMap(searchTermRows));
    const whole = terms.length - (terms.length % FILL_BATCH);
    for (let from = 0; from < whole; from += FILL_BATCH) await database.userSearchTerm.createMany({ data: terms.slice(from, from + FILL_BATCH) });
    terms = terms.slice(whole);
    made += batch.length;
    if (made % 100_000 < FILL_BATCH) console.log(`  … ${made.toLocaleString('en')} users, heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
  }
  if (terms.length > 0) await database.userSearchTerm.createMany({ data: terms });
  return { made, seconds: (performance.now() - started) / 1000 };
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function time(label: string, run: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 5; i++) await run(i);
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    await run(i);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(`  ${label.padEnd(46)} p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(times, 95).toFixed(1).padStart(6)} ms`);
}

function actorOf(agencyId: string): AgencyActor {
  return { kind: 'agency', sessionId: 'bench', userId: 'bench', agencyId, agencyCode: 'B', agencyName: 'B', agencyTimeZone: 'UTC', role: 'PROVIDER_ADMIN', loginName: 'bench', displayName: 'Bench', mustChangePassword: false, secondFactorPending: false, mustEnrolSecondFactor: false };
}

// In a child per database (measureInChildPerDatabase): the use case reads the process-wide client.
async function bench(label: string) {
  const database = db();
  try {
    const { made, seconds } = await fill(database);
    console.log(`\n${label}: ${made.toLocaleString('en')} users in ${AGENCIES} agencies (largest ${BIG_AGENCY_USERS.toLocaleString('en')}), filled in ${seconds.toFixed(0)} s`);
    const big = actorOf('agency-0');
    const small = (i: number) => actorOf(`agency-${1 + ((i * 37) % (AGENCIES - 1))}`);
    const q = (query: Record<string, string>) => userListQuerySchema.parse(query);
    await time('largest agency: list, by last sign-in, page 1', () => listAgencyUsers(big, q({})));
    await time('largest agency: list, by last sign-in, page 20', () => listAgencyUsers(big, q({ page: '20' })));
    await time('largest agency: list, by name, page 1', () => listAgencyUsers(big, q({ sort: 'name' })));
    await time('largest agency: search login name prefix', (i) => listAgencyUsers(big, q({ q: `${FIRST[i % FIRST.length]}.${LAST[i % LAST.length]}` })));
    await time('largest agency: search name prefix', (i) => listAgencyUsers(big, q({ q: `${FIRST[i % FIRST.length]} ${LAST[(i * 5) % LAST.length]!.slice(0, 3)}` })));
    await time('largest agency: search a surname (many)', (i) => listAgencyUsers(big, q({ q: LAST[i % LAST.length]! })));
    await time('largest agency: search a surname, by name', (i) => listAgencyUsers(big, q({ q: LAST[i % LAST.length]!, sort: 'name' })));
    await time('largest agency: search a first name, by name', (i) => listAgencyUsers(big, q({ q: FIRST[i % FIRST.length]!, sort: 'name' })));
    await time('largest agency: search a rare word', (i) => listAgencyUsers(big, q({ q: `${LAST[i % LAST.length]}${i * 97}` })));
    await time('largest agency: search one letter', (i) => listAgencyUsers(big, q({ q: 'abcdefghijklmnopqrstuvwxyz'[i % 26]! })));
    await time('largest agency: filter locked', () => listAgencyUsers(big, q({ filter: 'locked' })));
    await time('largest agency: filter locked, by name', () => listAgencyUsers(big, q({ filter: 'locked', sort: 'name' })));
    await time('largest agency: filter admins', () => listAgencyUsers(big, q({ filter: 'admins' })));
    await time('largest agency: filter admins, by name', () => listAgencyUsers(big, q({ filter: 'admins', sort: 'name' })));
    await time('largest agency: filter disabled', () => listAgencyUsers(big, q({ filter: 'disabled' })));
    await time('largest agency: filter disabled, by name', () => listAgencyUsers(big, q({ filter: 'disabled', sort: 'name' })));
    await time('largest agency: filter must change password', () => listAgencyUsers(big, q({ filter: 'must-change' })));
    await time('largest agency: filter must change, page 20', () => listAgencyUsers(big, q({ filter: 'must-change', page: '20' })));
    await time('largest agency: filter admins + name search', (i) => listAgencyUsers(big, q({ filter: 'admins', q: FIRST[i % FIRST.length]! })));
    await time('small agency: list, by last sign-in', (i) => listAgencyUsers(small(i), q({})));
    await time('small agency: search name prefix', (i) => listAgencyUsers(small(i), q({ q: FIRST[i % FIRST.length]! })));
    // A spray that locked the whole largest agency (review r31e): the locked filter picks everyone.
    await database.user.updateMany({ where: { agencyId: 'agency-0' }, data: { lockedUntil: new Date(Date.now() + 3_600_000) } });
    await time('largest agency, all locked: filter locked', () => listAgencyUsers(big, q({ filter: 'locked' })));
    await time('largest agency, all locked: filter locked, by name', () => listAgencyUsers(big, q({ filter: 'locked', sort: 'name' })));
    await time('largest agency, all locked: filter locked + rare word', (i) => listAgencyUsers(big, q({ filter: 'locked', q: `${LAST[i % LAST.length]}${i * 97}` })));
    await time('largest agency, all locked: filter locked + surname', (i) => listAgencyUsers(big, q({ filter: 'locked', q: LAST[i % LAST.length]! })));
  } finally {
    await database.$disconnect();
  }
}

await measureInChildPerDatabase(import.meta.filename, bench);
