// Sign-in throughput against its physical bound (issue 14): the whole HTTP flow a browser
// without JavaScript makes (scripts/bench/support/browser-sign-in.ts), for 2,000 distinct STAFF
// users on a throw-away database (SQLite; BENCH_DATABASE=postgresql for PostgreSQL), from several clients, against the production build;
// interleaved with windows of raw argon2id verifies of the same parameters, as many in flight as
// there are cores. Prints both rates and their ratio (target 0.85 ×), with the load average.
import http from 'node:http';
import os from 'node:os';
import { verifyPassword } from '@/lib/password/hash';
import { browserSignIn } from './support/browser-sign-in';
import { loadLine, requireBuild, startPortal, untilFromMemory } from './support/serve';
import { BENCH_DATABASE_LABEL, BENCH_PASSWORD as PASSWORD, BENCH_PROVIDER_CODE, benchDatabaseWithStaff } from './support/staff';

const USERS = Number(process.env.BENCH_SIGNIN_USERS ?? 2000);
const CLIENTS = Number(process.env.BENCH_SIGNIN_CLIENTS ?? 8);
const ROUNDS = Number(process.env.BENCH_SIGNIN_ROUNDS ?? 4);
const SIGN_IN_MS = 6_000;
const ARGON2_MS = 3_000;
const TARGET = 0.85;

async function main() {
  requireBuild('sign-in');
  const { databaseUrl, loginNames: users, passwordHash, dispose } = await benchDatabaseWithStaff(USERS, 'signin');
  const code = BENCH_PROVIDER_CODE;

  const portal = await startPortal({ DATABASE_URL: databaseUrl });
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  let next = 0;
  let failed = 0;
  let firstFailure = '';
  const signIns = async (ms: number) => {
    let ok = 0;
    const started = performance.now();
    const stopAt = started + ms;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() < stopAt) {
          const loginName = users[next++ % users.length]!;
          const outcome = await browserSignIn(agent, portal.port, { providerCode: code, loginName, password: PASSWORD }).catch((error: Error) => ({
            ok: false,
            status: 0,
            ms: 0,
            detail: error.message,
          }));
          if (outcome.ok) ok += 1;
          else {
            failed += 1;
            firstFailure ||= `${outcome.status} ${outcome.detail ?? ''}`;
          }
        }
      }),
    );
    return { ok, seconds: (performance.now() - started) / 1000 };
  };
  const verifies = async (ms: number) => {
    let ok = 0;
    const started = performance.now();
    const stopAt = started + ms;
    await Promise.all(
      Array.from({ length: os.availableParallelism() }, async () => {
        while (performance.now() < stopAt) if (await verifyPassword(passwordHash, PASSWORD)) ok += 1;
      }),
    );
    return { ok, seconds: (performance.now() - started) / 1000 };
  };

  try {
    await untilFromMemory(portal.port, ['/login']);
    await signIns(2_000);
    await verifies(1_000);
    console.log(`${BENCH_DATABASE_LABEL}, ${USERS} distinct STAFF users, ${CLIENTS} clients (GET /login, POST the form, GET the landing page), ${ROUNDS} rounds:`);
    const total = { signIn: { ok: 0, seconds: 0 }, argon2: { ok: 0, seconds: 0 } };
    for (let round = 0; round < ROUNDS; round++) {
      const s = await signIns(SIGN_IN_MS);
      const a = await verifies(ARGON2_MS);
      total.signIn.ok += s.ok;
      total.signIn.seconds += s.seconds;
      total.argon2.ok += a.ok;
      total.argon2.seconds += a.seconds;
      console.log(`  round ${round + 1}: ${(s.ok / s.seconds).toFixed(1)} sign-ins/s, ${(a.ok / a.seconds).toFixed(1)} argon2id verifies/s; ${loadLine()}`);
    }
    const signInRate = total.signIn.ok / total.signIn.seconds;
    const argon2Rate = total.argon2.ok / total.argon2.seconds;
    const ratio = signInRate / argon2Rate;
    console.log(`  sign-ins ${signInRate.toFixed(1)}/s, raw argon2id ${argon2Rate.toFixed(1)}/s: ${ratio.toFixed(2)} × (target ${TARGET} ×: ${ratio >= TARGET ? 'met' : 'MISSED'})`);
    if (failed > 0) console.log(`  ${failed} sign-ins failed; first: ${firstFailure}`);
  } finally {
    agent.destroy();
    await portal.stop();
    await dispose();
  }
}

main().catch((error: unknown) => {
  console.error('sign-in failed:', error);
  process.exit(1);
});
