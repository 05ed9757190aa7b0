// Applies scripts/db/app-role.sql: the PostgreSQL role the app serves as (see that file).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const SQL_FILE = path.join(import.meta.dirname, 'app-role.sql');

/**
 * Runs as the owner (`ownerUrl`, the role that runs migrations). `password`, when given, is set
 * on the app role; otherwise it keeps the one it has (none for a new role: it cannot sign in yet).
 */
export async function applyAppRole(ownerUrl: string, role: string, password?: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('portal.app_role', $1, true)`, [role]);
    await client.query(readFileSync(SQL_FILE, 'utf8'));
    if (password) await client.query(`ALTER ROLE ${client.escapeIdentifier(role)} PASSWORD ${client.escapeLiteral(password)}`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
