// Prometheus metrics of this process (prom-client). Counters live in the process: each instance
// exports its own, and Prometheus adds them up. Like the logger, the registry lives on globalThis:
// server.mjs and the app's bundled code each load this module, and must count into one registry.
import client from 'prom-client';
import { errorFields, logger } from './logger.mjs';

const HOLDER = Symbol.for('portal.observability.metrics');

// The database figures are read on scrape, at most once per this long whatever the number of
// scrapers, so a scrape cannot become a load on the database.
const DATABASE_FIGURES_TTL_MS = 10_000;

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The figures the database gauges show; provided by the app (lib/observability/read-database-figures.ts). */
const DATABASE_GAUGES = {
  outboxPending: ['portal_mail_outbox_pending', 'Messages in the mail outbox waiting to be sent (first try or a retry).'],
  outboxDead: ['portal_mail_outbox_dead', 'Messages that ran out of delivery attempts (npm run mail:dead).'],
  outboxOldestPendingAgeSeconds: ['portal_mail_outbox_oldest_pending_age_seconds', 'Age of the oldest message waiting to be sent; 0 when none waits.'],
  alertFanOutsUnfinished: ['portal_status_alert_fanouts_unfinished', 'Status alerts not yet fanned out to every subscriber.'],
  verificationQueueDepth: ['portal_verification_queue_depth', 'Super-admin reset requests waiting on verifiers.'],
  verificationQueueOldestAgeSeconds: ['portal_verification_queue_oldest_age_seconds', 'Age of the oldest request waiting on verifiers; 0 when none waits.'],
};

function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const signIns = new client.Counter({
    name: 'portal_sign_ins_total',
    help: 'Sign-in attempts by audience (agency, vendor), step (password, second_factor, passkey) and outcome.',
    labelNames: ['audience', 'step', 'outcome'],
    registers,
  });
  const locks = new client.Counter({
    name: 'portal_account_locks_total',
    help: 'Account locks set by failed attempts, by lock (temporary, hard) and pathway.',
    labelNames: ['lock', 'pathway'],
    registers,
  });
  const rateLimitRefusals = new client.Counter({
    name: 'portal_rate_limit_refusals_total',
    help: 'Events refused because their rate-limit bucket was full, by limit.',
    labelNames: ['limit'],
    registers,
  });
  const requestDuration = new client.Histogram({
    name: 'portal_http_request_duration_seconds',
    help: 'Time from a request reaching server.mjs to its answer being sent, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });

  const database = { reader: null, cached: null, readAt: 0 };
  new client.Gauge({
    name: 'portal_database_figures_up',
    help: '1 when the database gauges were read at the last scrape, 0 when reading failed (they then keep their last values).',
    registers,
    async collect() {
      this.set((await databaseFigures()) ? 1 : 0);
    },
  });
  async function databaseFigures() {
    if (!database.reader) return null;
    if (!database.cached || Date.now() - database.readAt > DATABASE_FIGURES_TTL_MS) {
      database.readAt = Date.now();
      database.cached = database.reader().catch((error) => {
        logger.warn({ event: 'metrics.database_figures_failed', ...errorFields(error) });
        return null;
      });
    }
    return database.cached;
  }
  for (const [key, [name, help]] of Object.entries(DATABASE_GAUGES)) {
    new client.Gauge({
      name,
      help,
      registers,
      async collect() {
        const figures = await databaseFigures();
        if (figures) this.set(figures[key]);
      },
    });
  }
  // Gauges read on scrape from a figures function that the part owning them provides later.
  function providedGauges(gauges) {
    const source = { figures: null };
    for (const [key, name, help] of gauges) {
      new client.Gauge({
        name,
        help,
        registers,
        collect() {
          if (source.figures) this.set(source.figures()[key]);
        },
      });
    }
    return source;
  }
  const admission = providedGauges([
    ['inFlight', 'portal_requests_in_flight', 'Requests the app is working on (at most MAX_REQUESTS_IN_FLIGHT).'],
    ['waiting', 'portal_requests_waiting', 'Requests waiting for a place in the app (beyond MAX_REQUESTS_WAITING they are refused with 503).'],
  ]);
  const passwordHashes = providedGauges([
    ['running', 'portal_password_hashes_running', 'argon2id hashes and verifies running (at most one per core).'],
    ['waiting', 'portal_password_hashes_waiting', 'argon2id hashes and verifies waiting for a core (sign-ins are CPU-bound while this stays up).'],
  ]);
  return { registry, signIns, locks, rateLimitRefusals, requestDuration, database, admission, passwordHashes };
}

const metrics = (globalThis[HOLDER] ??= createMetrics());

/** One sign-in step decided; outcomes are the fixed words of lib/auth/sign-in.ts and lib/mfa/verify-sign-in-second-factor.ts. */
export function countSignIn(audience, step, outcome) {
  metrics.signIns.inc({ audience, step, outcome });
}

export function countAccountLock(lock, pathway) {
  metrics.locks.inc({ lock, pathway });
}

export function countRateLimitRefusal(limit) {
  metrics.rateLimitRefusals.inc({ limit });
}

/** `route` is a route pattern (route-label.mjs), never a raw path: a token must not become a label value. */
export function observeRequestDuration(method, route, status, seconds) {
  metrics.requestDuration.observe({ method: HTTP_METHODS.has(method) ? method : 'OTHER', route, status: String(status) }, seconds);
}

/** How the database gauges are read: set once by the app at start (instrumentation.ts). */
export function provideDatabaseFigures(reader) {
  metrics.database.reader = reader;
  metrics.database.cached = null;
}

/** Where the admission gauges read from: set once by server.mjs. */
export function provideAdmissionFigures(figures) {
  metrics.admission.figures = figures;
}

/** Where the password-hash gauges read from: set by lib/password/hash.ts when it loads. */
export function providePasswordHashFigures(figures) {
  metrics.passwordHashes.figures = figures;
}

/** The exposition text of every metric, and its content type. */
export async function metricsText() {
  return { contentType: metrics.registry.contentType, text: await metrics.registry.metrics() };
}
