// One address floods, everyone else waits how long? (decision 052.) A client in another process
// keeps 50 keep-alive connections from 127.0.0.1 busy on a page the app answers from its cache,
// uncompressed (as cheap as a page through Next.js gets: each is answered within its own callback); meanwhile another address (127.0.0.2) signs in, the whole
// HTTP flow of a browser without JavaScript, and opens /help (sent from memory), one at a time.
// Prints each one's median and p90, quiet and under the flood, their ratio, and the flood's rate.
// SQLite; BENCH_DATABASE=postgresql for PostgreSQL.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { browserSignIn } from './support/browser-sign-in';
import { loadLine, request, requireBuild, startPortal, untilFromMemory } from './support/serve';
import { BENCH_DATABASE_LABEL, BENCH_PASSWORD, BENCH_PROVIDER_CODE, benchDatabaseWithStaff } from './support/staff';

const FLOOD_CONNECTIONS = Number(process.env.BENCH_FLOOD_CONNECTIONS ?? 50);
const FLOODED_PATH = process.env.BENCH_FLOOD_PATH ?? '/vendor/login/locked';
const SAMPLES = Number(process.env.BENCH_FLOOD_SAMPLES ?? 40);

// The flood, in a process of its own: in this one, its answers would hold up the measurements' own.
const FLOOD = `
import http from 'node:http';
const [port, path, connections] = process.argv.slice(1).map((a, i) => (i === 1 ? a : Number(a)));
const agent = new http.Agent({ keepAlive: true, maxSockets: connections, localAddress: '127.0.0.1' });
let stop = false, answered = 0; const statuses = {}; const started = performance.now();
process.on('message', () => { stop = true; });
await Promise.all(Array.from({ length: connections }, async () => {
  while (!stop) await new Promise((resolve) => http.get({ host: '127.0.0.1', port, path, agent, headers: { accept: 'text/html' } }, (r) => {
    statuses[r.statusCode] = (statuses[r.statusCode] ?? 0) + 1; r.resume(); r.on('end', () => { answered++; resolve(); });
  }).on('error', resolve));
}));
process.send({ rate: answered / ((performance.now() - started) / 1000), statuses }, () => process.exit(0));
`;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function main() {
  requireBuild('flood');
  const { databaseUrl, loginNames, dispose } = await benchDatabaseWithStaff(SAMPLES * 2, 'flood');
  const portal = await startPortal({ DATABASE_URL: databaseUrl });
  const other = new http.Agent({ keepAlive: true, maxSockets: 1, localAddress: '127.0.0.2' } as http.AgentOptions);
  let next = 0;
  let failures = 0;
  const measure = async () => {
    const signIns: number[] = [];
    const pages: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const creds = { providerCode: BENCH_PROVIDER_CODE, loginName: loginNames[next++ % loginNames.length]!, password: BENCH_PASSWORD };
      const signIn = await browserSignIn(other, portal.port, creds, { followRedirect: false });
      if (!signIn.ok) failures += 1;
      signIns.push(signIn.ms);
      const started = performance.now();
      if ((await request(other, portal.port, '/help')).status !== 200) failures += 1;
      pages.push(performance.now() - started);
    }
    return { signIns: signIns.sort((a, b) => a - b), pages: pages.sort((a, b) => a - b) };
  };
  try {
    await untilFromMemory(portal.port, ['/login', '/help']);
    await measure();
    console.log(`flood bench (${BENCH_DATABASE_LABEL}, ${loadLine()}): ${FLOOD_CONNECTIONS} connections from one address on ${FLOODED_PATH}`);
    const quiet = await measure();
    const flood = spawn(process.execPath, ['--input-type=module', '-e', FLOOD, String(portal.port), FLOODED_PATH, String(FLOOD_CONNECTIONS)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const floodFigures = new Promise<{ rate: number; statuses: Record<string, number> }>((resolve) => flood.once('message', resolve as never));
    // The flood under way: its first answers have come.
    while ((await request(undefined, portal.port, '/api/live')).status !== 200);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const flooded = await measure();
    flood.send('stop');
    const { rate, statuses } = await floodFigures;
    for (const [what, q, f] of [
      ['sign-in', quiet.signIns, flooded.signIns],
      ['/help  ', quiet.pages, flooded.pages],
    ] as const) {
      const [qm, fm] = [percentile(q, 50), percentile(f, 50)];
      console.log(
        `  ${what}  quiet median ${qm.toFixed(1)} ms, p90 ${percentile(q, 90).toFixed(1)} ms;` +
          ` flooded median ${fm.toFixed(1)} ms, p90 ${percentile(f, 90).toFixed(1)} ms: ${(fm / qm).toFixed(1)} × slower`,
      );
    }
    console.log(`  the flood: ${rate.toFixed(0)} answers/s, ${JSON.stringify(statuses)}; the other address's failures: ${failures}`);
    if (failures > 0) process.exitCode = 1;
  } finally {
    other.destroy();
    await portal.stop();
    await dispose();
  }
}

void main();
