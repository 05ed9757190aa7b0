// STAFF users for the sign-in benches, on a throw-away database (SQLite, or PostgreSQL with
// BENCH_DATABASE=postgresql): one agency, one argon2id hash of one password for all of them (the same
// parameters, without thousands of hashes at set-up).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb } from '@/lib/db/client';
import { applyMigrations } from '@/scripts/db/migrate';
import { hashPassword } from '@/lib/password/hash';
import { normalizeKey } from '@/lib/validation/identifiers';
import { startThrowawayPostgres } from '@/test/support/throwaway-postgres';

export const BENCH_PASSWORD = 'bench passphrase nobody else types';
export const BENCH_PROVIDER_CODE = 'BENCH-SIGNIN';

const KIND = process.env.BENCH_DATABASE ?? 'sqlite';
if (KIND !== 'sqlite' && KIND !== 'postgresql') throw new Error(`BENCH_DATABASE must be sqlite or postgresql, not ${KIND}`);
export const BENCH_DATABASE_LABEL = KIND === 'sqlite' ? 'SQLite' : 'PostgreSQL';

export async function benchDatabaseWithStaff(count: number, label: string) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `portal-bench-${label}-`));
  const postgres = KIND === 'postgresql' ? await startThrowawayPostgres() : undefined;
  const databaseUrl = postgres?.url ?? `file:${path.join(dataDir, 'bench.db')}`;
  await applyMigrations(databaseUrl);
  const database = createDb(databaseUrl);
  const agency = await database.agency.create({
    data: { name: 'Bench agency', code: BENCH_PROVIDER_CODE, codeKey: normalizeKey(BENCH_PROVIDER_CODE), phoneOnRecord: '+1 555 0100' },
  });
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const loginNames = Array.from({ length: count }, (_, i) => `staff.${String(i).padStart(5, '0')}`);
  for (let i = 0; i < loginNames.length; i += 500) {
    await database.user.createMany({
      data: loginNames.slice(i, i + 500).map((loginName) => ({
        agencyId: agency.id,
        loginName,
        loginKey: normalizeKey(loginName),
        displayName: `Staff ${loginName}`,
        nameKey: normalizeKey(`Staff ${loginName}`),
        passwordHash,
      })),
    });
  }
  /** Deletes the database (after the server using it has stopped). */
  const dispose = async () => {
    await database.$disconnect();
    await postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { databaseUrl, database, loginNames, passwordHash, dispose };
}
