// Where a sign-in's CPU goes outside argon2 (decision 056), in process, against a real database
// (SQLite, then PostgreSQL): one successful sign-in through lib/auth/sign-in.ts (Prisma, our logic;
// no HTTP, no Next.js), against one argon2id verify, interleaved; then, on SQLite, the very
// statements that sign-in sent, each prepared once and sent straight to better-sqlite3. Compare with
// `npm run bench -- sign-in`, which prints the whole server's CPU per sign-in.
import { measureInChildPerDatabase } from './each-database';

const SIGN_INS = Number(process.env.BENCH_PARTS_SIGN_INS ?? 400);

async function measure(label: string) {
  const url = process.env.DATABASE_URL!;
  const { createDb } = await import('@/lib/db/client');
  const { signInAgencyUser } = await import('@/lib/auth/sign-in');
  const { hashPassword, verifyPassword } = await import('@/lib/password/hash');
  const { normalizeKey } = await import('@/lib/validation/identifiers');
  const PASSWORD = 'bench passphrase nobody else types';

  // The process-wide client (db()), made with a reporter of the statements Prisma sends.
  const sent: { sql: string; params: string }[] = [];
  let reporting = false;
  const database = createDb(url, { onQuery: (query) => reporting && sent.push(query) });
  (globalThis as unknown as { portalDb?: unknown }).portalDb = database;

  const agency = await database.agency.create({ data: { name: 'Parts', code: 'PARTS', codeKey: 'parts', phoneOnRecord: '+1 555 0100' } });
  const passwordHash = await hashPassword(PASSWORD);
  const logins = Array.from({ length: SIGN_INS + 50 }, (_, i) => `staff.${i}`);
  await database.user.createMany({
    data: logins.map((loginName) => ({ agencyId: agency.id, loginName, loginKey: normalizeKey(loginName), displayName: loginName, nameKey: loginName, passwordHash })),
  });
  const cpuMs = () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  const signIn = async (i: number) => {
    const result = await signInAgencyUser({ providerCode: 'PARTS', loginName: logins[i]!, password: PASSWORD }, `10.0.${i >> 8}.${i & 255}`);
    if (!result.ok) throw new Error(`sign-in ${i}: ${result.reason}`);
  };

  // A copy of the SQLite file before the sign-in whose statements are replayed (its rows would clash).
  const copy = label === 'SQLite' ? `${url.replace(/^file:/, '')}.replay` : null;
  if (copy) {
    const { default: Database } = await import('better-sqlite3');
    const source = new Database(url.replace(/^file:/, ''));
    source.exec(`VACUUM INTO '${copy}'`);
    source.close();
  }
  reporting = true;
  await signIn(0);
  reporting = false;
  const statements = sent.filter((query) => !/^(BEGIN|COMMIT|ROLLBACK)/i.test(query.sql));

  for (let i = 1; i < 50; i++) await signIn(i); // warm-up
  let signInCpu = 0;
  let verifyCpu = 0;
  for (let i = 50; i < logins.length; i++) {
    let before = cpuMs();
    await signIn(i);
    signInCpu += cpuMs() - before;
    before = cpuMs();
    await verifyPassword(passwordHash, PASSWORD);
    verifyCpu += cpuMs() - before;
  }
  const perSignIn = signInCpu / SIGN_INS;
  const perVerify = verifyCpu / SIGN_INS;
  console.log(`${label}: ${SIGN_INS} successful sign-ins in process, interleaved with as many argon2id verifies`);
  console.log(`  CPU per sign-in ${perSignIn.toFixed(1)} ms, per verify ${perVerify.toFixed(1)} ms: ${(perSignIn - perVerify).toFixed(1)} ms outside argon2 (Prisma and our logic)`);
  console.log(`  statements per successful sign-in: ${statements.length}, in ${sent.length - statements.length} transactions`);

  if (copy) {
    const { default: Database } = await import('better-sqlite3');
    const raw = new Database(copy);
    const prepared = statements.map((query) => ({
      statement: raw.prepare(query.sql),
      params: (JSON.parse(query.params) as unknown[]).map((value) => (typeof value === 'boolean' ? Number(value) : value)),
    }));
    const replay = () => {
      raw.exec('BEGIN');
      for (const { statement, params } of prepared) {
        if (statement.reader) statement.all(...(params as []));
        else statement.run(...(params as []));
      }
      raw.exec('ROLLBACK');
    };
    for (let i = 0; i < 200; i++) replay();
    const rounds = SIGN_INS * 5;
    const before = cpuMs();
    for (let i = 0; i < rounds; i++) replay();
    console.log(`  the same statements straight to better-sqlite3, each prepared once: ${((cpuMs() - before) / rounds).toFixed(2)} ms`);
    raw.close();
  }
  await database.$disconnect();
}

await measureInChildPerDatabase(import.meta.filename, measure);
