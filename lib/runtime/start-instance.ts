import { readFileSync } from 'node:fs';
import path from 'node:path';
import { config, configProblems, devMailboxEnabled } from '@/lib/config';
import { signingSecret } from '@/lib/crypto/keyring';
import { mailboxKeyFor } from '@/lib/mail/mailbox-key.mjs';
import { db } from '@/lib/db/client';
import { databaseKind, describeDatabase } from '@/lib/db/kind';
import { pendingMigrations } from '@/lib/db/migration-status';
import { errorFields, logger } from '@/lib/observability/logger.mjs';
import { startServerMailWorker, stopServerMailWorker } from '@/lib/mail/server-worker';
import { raiseStopFlag, stopBackgroundWork } from '@/lib/runtime/stop-signal';
import { startMaintenanceAnnouncer, stopMaintenanceAnnouncer } from '@/lib/maintenance/maintenance-announcer';
import { readinessReport, type ReadinessReport } from '@/lib/runtime/readiness-answer';

/**
 * What server.mjs reads after Next.js has prepared (lib/runtime/serve-lifecycle.mjs): the
 * reasons not to serve, or the start-up summary and how to stop. On globalThis because
 * server.mjs is plain Node.js and cannot import the app's bundled modules.
 */
export type PortalRuntime = {
  /** Each "VARIABLE: what is wrong", logged as one `server.cannot_start` line. */
  problems: string[];
  /** The fields of the `server.started` line; null when the instance must not serve. */
  summary: StartSummary | null;
  /**
   * Raises the stop flag; the mail loop and the status round end their batch and give back their
   * leases. When `drainOver` fires, mail sends still running are cut off and given back as well.
   */
  stopBackground: (drainOver?: AbortSignal) => Promise<void>;
  /** Once no request runs: waits for work started after a response, then closes the database. */
  close: () => Promise<void>;
  /** What /api/ready says; server.mjs answers the probes with it, without Next.js. */
  readiness: () => Promise<ReadinessReport>;
};

const holder = globalThis as { portalRuntime?: PortalRuntime };

export type StartSummary = {
  version: string;
  environment: string;
  database: { kind: 'sqlite' | 'postgresql'; host: string };
  mail: { transport: string; loop: 'on' | 'off' };
  appUrl: string;
};

/** Where the database is, without credentials: the file, or host:port/name. */
function databaseWhere(url: string): StartSummary['database'] {
  if (databaseKind(url) === 'sqlite') return { kind: 'sqlite', host: url.slice('file:'.length) };
  const parsed = new URL(url);
  return { kind: 'postgresql', host: `${parsed.host}${parsed.pathname}` };
}

function describeMail(): string {
  const { SMTP_URL, MAIL_DIR } = config();
  if (!SMTP_URL) return `files in ${MAIL_DIR}`;
  const parsed = new URL(SMTP_URL);
  return `${parsed.protocol}//${parsed.host}`;
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(path.join(process.cwd(), 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

async function startupProblems(): Promise<string[]> {
  const problems = configProblems();
  if (problems.length > 0) return problems;
  const url = config().DATABASE_URL;
  try {
    const pending = await pendingMigrations(db(), databaseKind(url));
    if (pending.length > 0) {
      return [`DATABASE_URL: ${describeDatabase(url)} is behind by ${pending.length} migration(s), first ${pending[0]}: run npm run db:migrate`];
    }
  } catch (error) {
    // Not a reason to stay down: the guide and status page serve without it, and /api/ready says
    // "not ready" until the database is back (and migrated: checked again there).
    logger.warn({ event: 'server.database_unreachable', database: databaseWhere(url), ...errorFields(error) });
  }
  return [];
}

/**
 * Runs once per server process, from instrumentation.ts. In production nothing starts when the
 * environment or the database is not fit to serve: server.mjs prints the problems and exits 1.
 */
export async function startInstance(): Promise<void> {
  const production = process.env.NODE_ENV === 'production';
  const problems = production ? await startupProblems() : [];
  if (problems.length > 0) {
    holder.portalRuntime = { problems, summary: null, stopBackground: async () => {}, close: async () => {}, readiness: readinessReport };
    return;
  }
  startServerMailWorker();
  startMaintenanceAnnouncer();
  // The development server's mailbox address, on the console only: its key is no line for the logs
  // (`npm run demo` prints its own).
  if (!production && devMailboxEnabled() && config().NEXTAUTH_SECRET) console.log(`Local mailbox: ${config().APP_URL}/dev/mailbox?key=${mailboxKeyFor(signingSecret())}`);
  const summary: StartSummary = {
    version: version(),
    environment: process.env.NODE_ENV ?? 'development',
    database: databaseWhere(config().DATABASE_URL),
    mail: { transport: describeMail(), loop: config().MAIL_WORKER === 'off' ? 'off' : 'on' },
    appUrl: config().APP_URL,
  };
  holder.portalRuntime = {
    problems: [],
    summary,
    stopBackground: async (drainOver) => {
      raiseStopFlag();
      await Promise.all([stopServerMailWorker(drainOver), stopMaintenanceAnnouncer()]);
    },
    close: async () => {
      await stopBackgroundWork();
      await db().$disconnect();
    },
    readiness: readinessReport,
  };
}
