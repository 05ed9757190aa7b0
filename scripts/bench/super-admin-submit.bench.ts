// How long the public super-admin form takes to answer when the details match an administrator
// (request stored, notices queued) and when they do not (request stored, nothing else), on SQLite
// and PostgreSQL. The two should be close: the answer's timing must not tell which accounts exist.
import { measureInChildPerDatabase } from './each-database';

const ROUNDS = Number(process.env.BENCH_SUBMIT_ROUNDS ?? 40);

async function measure(label: string) {
  const { db } = await import('@/lib/db/client');
  const { ANSWER_FLOOR_MS, newIdempotencyKey, submitRequest } = await import('@/lib/super-admin/submit-request');
  const { createAgency, createUser } = await import('@/prisma/factories');

  // One agency per round: the per-account limit allows 5 requests a day for one account.
  const targets: { providerCode: string; loginName: string }[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const agency = await createAgency(db());
    const admin = await createUser(db(), agency.id, 'bench passphrase not used', { role: 'SUPER_ADMIN', email: `owner${i}@bench.example` });
    for (let j = 0; j < 2; j++) {
      await createUser(db(), agency.id, 'bench passphrase not used', { role: 'PROVIDER_ADMIN', email: `admin${i}.${j}@bench.example` });
    }
    targets.push({ providerCode: agency.code, loginName: admin.loginName });
  }
  const form = (target: { providerCode: string; loginName: string }) => ({
    ...target,
    fullName: 'Bench Person',
    jobTitle: 'Director',
    workEmail: 'bench@elsewhere.example',
    workPhone: '+1 512 555 0100',
    reason: 'Measuring how long the answer takes.',
    attestation: 'yes',
    // A fresh rendering of the form each time, as the page gives.
    idempotencyKey: newIdempotencyKey(),
  });
  const stats = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    return { median: at(0.5), p90: at(0.9) };
  };
  for (const floor of [0, ANSWER_FLOOR_MS]) {
    const times = { matched: [] as number[], unmatched: [] as number[] };
    for (let i = 0; i < ROUNDS; i++) {
      // Interleaved, so drift in the machine's load affects both kinds alike.
      const cases: [keyof typeof times, { providerCode: string; loginName: string }][] = [
        ['matched', targets[i]!],
        ['unmatched', { providerCode: targets[i]!.providerCode, loginName: `nobody.${i}` }],
      ];
      if (i % 2) cases.reverse();
      for (const [kind, target] of cases) {
        const started = performance.now();
        const result = await submitRequest(form(target), `10.${floor ? 8 : 9}.${i}.${kind === 'matched' ? 1 : 2}`, { answerFloorMs: floor });
        times[kind].push(performance.now() - started);
        if (!result.ok) throw new Error(`refused: ${result.message}`);
      }
    }
    const matched = stats(times.matched);
    const unmatched = stats(times.unmatched);
    console.log(
      `${label.padEnd(10)} floor ${String(floor).padStart(3)} ms, ${ROUNDS} each: matched median ${matched.median.toFixed(1)} ms (p90 ${matched.p90.toFixed(1)}), ` +
        `unmatched median ${unmatched.median.toFixed(1)} ms (p90 ${unmatched.p90.toFixed(1)}), ` +
        `difference of medians ${(matched.median - unmatched.median).toFixed(1)} ms`,
    );
  }
  await db().$disconnect();
}

await measureInChildPerDatabase(import.meta.filename, measure);
