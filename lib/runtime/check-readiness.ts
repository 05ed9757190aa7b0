import { config } from '@/lib/config';
import { db } from '@/lib/db/client';
import { databaseKind } from '@/lib/db/kind';
import { pendingMigrations } from '@/lib/db/migration-status';
import { mailLoopState, type MailLoopState } from '@/lib/mail/server-worker';
import { isStopping } from '@/lib/runtime/stop-signal';

export type Readiness = {
  ready: boolean;
  database: 'ok' | 'unreachable' | 'behind';
  mailLoop: MailLoopState;
  shuttingDown: boolean;
};

/** Whether this instance should get traffic: database reachable and fully migrated, mail loop alive, not stopping. */
export async function checkReadiness(): Promise<Readiness> {
  let database: Readiness['database'];
  try {
    database = (await pendingMigrations(db(), databaseKind(config().DATABASE_URL))).length === 0 ? 'ok' : 'behind';
  } catch {
    database = 'unreachable';
  }
  const mailLoop = mailLoopState();
  const shuttingDown = isStopping();
  return { ready: database === 'ok' && (mailLoop === 'ok' || mailLoop === 'off') && !shuttingDown, database, mailLoop, shuttingDown };
}
