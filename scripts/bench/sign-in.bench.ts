// Sign-in throughput against its physical bound (issue 14): the HTTP a browser without JavaScript
// sends to sign in (scripts/bench/support/browser-sign-in.ts: GET /login, POST the form, up to the
// 303 that sets the session cookie), for 2,000 distinct STAFF users on a throw-away database
// (SQLite; BENCH_DATABASE=postgresql for PostgreSQL), from several clients, against the production
// build; interleaved with windows of raw argon2id verifies of the same parameters, as many in flight
// as there are cores. After each window every client's last session opens its landing page (it must
// answer 200), outside the timing. Prints both rates, their ratio (target 0.85 ×), and the CPU a
// sign-in spends outside argon2 (the figure that hardly moves when other work shares the machine).
import http from 'node:http';
import os from 'node:os';
import { verifyPassword } from '@/lib/password/hash';
import { browserSignIn, openLanding } from './support/browser-sign-in';
import { loadLine, processCpuMs, requireBuild, startPortal, untilFromMemory } from './support/serve';
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
    const cpuBefore = processCpuMs(portal.process.pid!);
    const stopAt = started + ms;
    const sessions = await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        let last: { cookies: string; landing: string } | undefined;
        while (performance.now() < stopAt) {
          const loginName = users[next++ % users.length]!;
          const outcome = await browserSignIn(agent, portal.port, { providerCode: code, loginName, password: PASSWORD }, { followRedirect: false }).catch(
            (error: Error) => ({ ok: false, status: 0, ms: 0, detail: error.message, session: undefined }),
          );
          if (outcome.ok) {
            ok += 1;
            last = outcome.session;
          } else {
            failed += 1;
            firstFailure ||= `${outcome.status} ${outcome.detail ?? ''}`;
          }
        }
        return last;
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const serverCpuMs = processCpuMs(portal.process.pid!) - cpuBefore;
    // Outside the timing: the sessions are real ones.
    for (const session of sessions) {
      const landing = session && (await openLanding(agent, portal.port, session));
      if (landing && landing.status !== 200) {
        failed += 1;
        firstFailure ||= `landing ${session.landing} answered ${landing.status}`;
      }
    }
    return { ok, seconds, serverCpuMs };
  };
  const verifies = async (ms: number) => {
    let ok = 0;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const stopAt = started + ms;
    await Promise.all(
      Array.from({ length: os.availableParallelism() }, async () => {
        while (performance.now() < stopAt) if (await verifyPassword(passwordHash, PASSWORD)) ok += 1;
      }),
    );
    const cpu = process.cpuUsage(cpuBefore);
    return { ok, seconds: (performance.now() - started) / 1000, cpuMs: (cpu.user + cpu.system) / 1000 };
  };

  try {
    await untilFromMemory(portal.port, ['/login']);
    await signIns(2_000);
    await verifies(1_000);
    console.log(`${BENCH_DATABASE_LABEL}, ${USERS} distinct STAFF users, ${CLIENTS} clients (GET /login, POST the form, up to the 303 with the session cookie), ${ROUNDS} rounds:`);
    const total = { signIn: { ok: 0, seconds: 0, serverCpuMs: 0 }, argon2: { ok: 0, seconds: 0, cpuMs: 0 } };
    for (let round = 0; round < ROUNDS; round++) {
      const s = await signIns(SIGN_IN_MS);
      const a = await verifies(ARGON2_MS);
      total.signIn.ok += s.ok;
      total.signIn.seconds += s.seconds;
      total.signIn.serverCpuMs += s.serverCpuMs;
      total.argon2.ok += a.ok;
      total.argon2.seconds += a.seconds;
      total.argon2.cpuMs += a.cpuMs;
      console.log(`  round ${round + 1}: ${(s.ok / s.seconds).toFixed(1)} sign-ins/s, ${(a.ok / a.seconds).toFixed(1)} argon2id verifies/s; ${loadLine()}`);
    }
    const signInRate = total.signIn.ok / total.signIn.seconds;
    const argon2Rate = total.argon2.ok / total.argon2.seconds;
    const ratio = signInRate / argon2Rate;
    console.log(`  sign-ins ${signInRate.toFixed(1)}/s, raw argon2id ${argon2Rate.toFixed(1)}/s: ${ratio.toFixed(2)} × (target ${TARGET} ×: ${ratio >= TARGET ? 'met' : 'MISSED'})`);
    const perSignIn = total.signIn.serverCpuMs / total.signIn.ok;
    const perVerify = total.argon2.cpuMs / total.argon2.ok;
    console.log(`  server CPU per sign-in ${perSignIn.toFixed(1)} ms, of which one argon2id verify ${perVerify.toFixed(1)} ms: ${(perSignIn - perVerify).toFixed(1)} ms outside argon2`);
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
