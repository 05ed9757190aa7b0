// How long each kind of refused sign-in takes, in process against a real database (SQLite, then
// PostgreSQL): unknown agency, unknown user, disabled, locked, wrong password, and the wrong password
// that sets the account's lock (its record and mail are the status round's, review r30a). The answer's
// timing must not tell them apart (PRODUCT.md: "in about the same time"). Prints the median per case
// and a two-sample Kolmogorov–Smirnov p-value of each case against the wrong-password case.
// A benchmark to read on a quiet machine, not a timed test.
import { measureInChildPerDatabase } from './each-database';

const SAMPLES = Number(process.env.BENCH_SIGNIN_SAMPLES ?? 200);
const CASES = ['unknown agency', 'unknown user', 'disabled', 'locked', 'sets the lock', 'wrong password'] as const;
type Case = (typeof CASES)[number];

/** Two-sample KS statistic and its asymptotic p-value (Numerical Recipes' probks). */
export function ksTest(a: number[], b: number[]): { d: number; p: number } {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i]! <= v) i++;
    while (j < y.length && y[j]! <= v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  const en = Math.sqrt((x.length * y.length) / (x.length + y.length));
  const lambda = (en + 0.12 + 0.11 / en) * d;
  let p = 0;
  for (let k = 1; k <= 100; k++) p += 2 * (-1) ** (k - 1) * Math.exp(-2 * k * k * lambda * lambda);
  return { d, p: Math.min(1, Math.max(0, lambda < 0.3 ? 1 : p)) };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function measure(label: string) {
  const { db } = await import('@/lib/db/client');
  const { signInAgencyUser } = await import('@/lib/auth/sign-in');
  const { createAgency, createUser, uniqueSuffix } = await import('@/prisma/factories');
  const { UNLOCKED } = await import('@/lib/auth/lockout');
  const { settleAttemptsLeftToTheRound } = await import('@/lib/auth/password-attempt');

  const PASSWORD = 'bench passphrase nobody types';
  const WRONG = 'bench passphrase nobody typed';
  const agency = await createAgency(db());
  const active = await createUser(db(), agency.id, PASSWORD);
  const disabled = await createUser(db(), agency.id, PASSWORD, { status: 'DISABLED' });
  const locked = await createUser(db(), agency.id, PASSWORD, { hardLockedAt: new Date(), failedSignInCount: 20 });
  const aboutToLock = await createUser(db(), agency.id, PASSWORD);
  const input = (c: Case) => {
    switch (c) {
      case 'unknown agency':
        return { providerCode: `NOPE-${uniqueSuffix()}`, loginName: active.loginName, password: WRONG };
      case 'unknown user':
        return { providerCode: agency.code, loginName: `ghost.${uniqueSuffix()}`, password: WRONG };
      case 'disabled':
        return { providerCode: agency.code, loginName: disabled.loginName, password: WRONG };
      case 'locked':
        return { providerCode: agency.code, loginName: locked.loginName, password: WRONG };
      case 'sets the lock':
        return { providerCode: agency.code, loginName: aboutToLock.loginName, password: WRONG };
      case 'wrong password':
        return { providerCode: agency.code, loginName: active.loginName, password: WRONG };
    }
  };

  let address = 0;
  // A fresh address per attempt keeps the per-address throttle and slowing out of the measurement.
  const nextIp = () => `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address++ & 255}`;
  const times = Object.fromEntries(CASES.map((c) => [c, [] as number[]])) as Record<Case, number[]>;
  const warmup = 20;
  for (let round = 0; round < SAMPLES + warmup; round++) {
    // A different order each round, so drift in the machine's load falls on every case alike.
    const order = [...CASES].sort(() => Math.random() - 0.5);
    for (const c of order) {
      const attempt = input(c);
      // Outside the timing: one wrong password short of the agency's first lock.
      if (c === 'sets the lock') {
        const now = new Date();
        await db().user.update({ where: { id: aboutToLock.id }, data: { ...UNLOCKED, failedSignInCount: agency.softLockThreshold - 1, firstFailedSignInAt: now, lastFailedSignInAt: now } });
      }
      const started = performance.now();
      const result = await signInAgencyUser(attempt, nextIp());
      const elapsed = performance.now() - started;
      if (result.ok || result.reason !== 'INVALID') throw new Error(`${c}: unexpected ${JSON.stringify(result)}`);
      if (round >= warmup) times[c].push(elapsed);
      // Outside the timing: the real account must stay below its lock threshold.
      if (c === 'wrong password') await db().user.update({ where: { id: active.id }, data: UNLOCKED });
      if (c === 'sets the lock') await settleAttemptsLeftToTheRound(db());
    }
  }
  const reference = times['wrong password'];
  console.log(`${label}: ${SAMPLES} samples per case (interleaved), against "wrong password"`);
  for (const c of CASES) {
    const { d, p } = ksTest(times[c], reference);
    const diff = median(times[c]) - median(reference);
    console.log(
      `  ${c.padEnd(15)} median ${median(times[c]).toFixed(2)} ms` +
        (c === 'wrong password' ? '' : `  (${diff >= 0 ? '+' : ''}${diff.toFixed(2)} ms)  KS D ${d.toFixed(3)} p ${p.toExponential(2)}`),
    );
  }
  await db().$disconnect();
}

await measureInChildPerDatabase(import.meta.filename, measure);
