// A sign-in rush against one instance (issue 14): 200 clients signing in at once for 60 s, each
// the whole HTTP flow of a browser without JavaScript, 2,000 distinct STAFF users on a throw-away
// database (SQLite; BENCH_DATABASE=postgresql for PostgreSQL), against the production build
// started as `npm start` starts it. Prints
// sign-ins/s, p50/p95 of a whole sign-in, 5xx answers (must be 0), audit records of successful
// sign-ins (must equal the sign-ins), and the server's idle and peak RSS (target ≤ 350 MB).
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { browserSignIn } from './support/browser-sign-in';
import { loadLine, requireBuild, rssMb, startCommand, startPortal, untilFromMemory } from './support/serve';
import { BENCH_DATABASE_LABEL, BENCH_PASSWORD, BENCH_PROVIDER_CODE, benchDatabaseWithStaff } from './support/staff';

const CLIENTS = Number(process.env.BENCH_RUSH_CLIENTS ?? 200);
const SECONDS = Number(process.env.BENCH_RUSH_SECONDS ?? 60);
const USERS = Number(process.env.BENCH_RUSH_USERS ?? 2000);
const RSS_TARGET_MB = 350;

/** The kernel's own high-water mark of the process's resident set (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return Number(line?.split(/\s+/)[1]) / 1024;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function main() {
  requireBuild('rush');
  const { databaseUrl, database, loginNames, dispose } = await benchDatabaseWithStaff(USERS, 'rush');
  const portal = await startPortal({ DATABASE_URL: databaseUrl });
  const pid = portal.process.pid!;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  try {
    // Warm: every page of the flow compiled and cached once, as after a few minutes in service.
    await untilFromMemory(portal.port, ['/login']);
    await browserSignIn(agent, portal.port, { providerCode: BENCH_PROVIDER_CODE, loginName: loginNames[0]!, password: BENCH_PASSWORD });
    const idle = rssMb(pid);
    const auditBefore = await database.auditEvent.count({ where: { action: 'SIGN_IN_SUCCESS' } });
    let next = 1;
    let ok = 0;
    let serverErrors = 0;
    let otherFailures = 0;
    let firstFailure = '';
    const durations: number[] = [];
    const stopAt = performance.now() + SECONDS * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() < stopAt) {
          const loginName = loginNames[next++ % loginNames.length]!;
          const outcome = await browserSignIn(agent, portal.port, { providerCode: BENCH_PROVIDER_CODE, loginName, password: BENCH_PASSWORD }).catch(
            (error: Error) => ({ ok: false, status: 0, ms: 0, detail: error.message }),
          );
          if (outcome.ok) {
            ok += 1;
            durations.push(outcome.ms);
          } else {
            if (outcome.status >= 500) serverErrors += 1;
            else otherFailures += 1;
            firstFailure ||= `${outcome.status} ${outcome.detail ?? ''}`;
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    if (portal.process.exitCode !== null || portal.process.signalCode !== null) {
      throw new Error(`the server died during the rush (exit code ${portal.process.exitCode}, signal ${portal.process.signalCode}); its stderr is above`);
    }
    const audited = (await database.auditEvent.count({ where: { action: 'SIGN_IN_SUCCESS' } })) - auditBefore;
    const peak = peakRssMb(pid);
    durations.sort((a, b) => a - b);
    console.log(`${BENCH_DATABASE_LABEL}, ${CLIENTS} clients for ${SECONDS} s, ${USERS} distinct STAFF users, one instance (${startCommand().text}):`);
    console.log(`  ${(ok / seconds).toFixed(1)} sign-ins/s (${ok} in ${seconds.toFixed(1)} s); whole sign-in p50 ${percentile(durations, 50).toFixed(0)} ms, p95 ${percentile(durations, 95).toFixed(0)} ms`);
    console.log(`  5xx answers: ${serverErrors}${serverErrors === 0 ? '' : ' (must be 0)'}; other failures: ${otherFailures}${firstFailure ? ` (first: ${firstFailure})` : ''}`);
    console.log(`  audit records of successful sign-ins: ${audited} for ${ok} sign-ins: ${audited === ok ? 'equal' : 'NOT EQUAL'}`);
    console.log(`  server RSS idle ${idle.toFixed(0)} MB, peak ${peak.toFixed(0)} MB (target ≤ ${RSS_TARGET_MB} MB: ${peak <= RSS_TARGET_MB ? 'met' : 'MISSED'}); ${loadLine()}`);
  } finally {
    agent.destroy();
    await portal.stop();
    await dispose();
  }
}

main().catch((error: unknown) => {
  console.error('rush failed:', error);
  process.exit(1);
});
