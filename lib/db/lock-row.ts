import { config } from '@/lib/config';
import type { Tx } from '@/lib/db/client';
import { databaseKind } from '@/lib/db/kind';

/**
 * The tables whose rows guard a rule across transactions (an agency's super admins, an account's factors, a
 * request's links), or whose state a change records as it found it (a component's, an incident's timeline).
 */
export type LockableTable = 'Agency' | 'User' | 'VendorAccount' | 'SuperAdminResetRequest' | 'StatusComponent' | 'Incident';

/**
 * Holds one row until the transaction ends, so changes that must keep a rule about it take turns
 * (PostgreSQL, `SELECT … FOR UPDATE`); SQLite runs one transaction at a time already.
 *
 * `asItsUpdate`: only as strongly as the row's own update will (`FOR NO KEY UPDATE`), for a row held to read
 * it as that update finds it. Changes still take turns, but rows that merely name it (their foreign keys'
 * checks) get by: a transaction holding what this one wants next while it inserts such a row would
 * otherwise deadlock with it (review r38d F1).
 */
export async function lockRow(tx: Tx, table: LockableTable, id: string, { asItsUpdate = false } = {}): Promise<void> {
  if (databaseKind(config().DATABASE_URL) !== 'postgresql') return;
  await tx.$queryRawUnsafe(`SELECT "id" FROM "${table}" WHERE "id" = $1 ${asItsUpdate ? 'FOR NO KEY UPDATE' : 'FOR UPDATE'}`, id);
}
