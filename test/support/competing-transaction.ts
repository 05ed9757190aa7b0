// PostgreSQL only: a transaction of our own on a separate connection, to prove that two changes
// take their rows in one order. One that took them in the opposite order would deadlock (40P01).
import pg from 'pg';

type Competitor = {
  /** What the competing transaction locks first, e.g. `SELECT "id" FROM "User" WHERE "id" = $1 FOR UPDATE`. */
  holds: { sql: string; params: unknown[] };
  /**
   * What it does next, once `work` waits for it: usually what `work` holds if it took the wrong order. Or
   * `meanwhile`: other work, run to its end elsewhere while `work` waits (it must not need the held row).
   */
  then: { sql: string; params: unknown[] } | { meanwhile: () => Promise<unknown> };
};

/**
 * Runs `work` while the competitor holds its first row. Once `work` queues behind it (seen in
 * pg_stat_activity, not guessed with a timer), the competitor goes on with its next statement and
 * commits. Returns what `work` returned; a deadlock rejects on one side or the other.
 */
export async function whileCompetingTransactionHolds<T>(competitor: Competitor, work: () => Promise<T>): Promise<T> {
  const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await other.connect();
  try {
    await other.query('BEGIN');
    await other.query(competitor.holds.sql, competitor.holds.params);
    const otherPid = (await other.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    let ended = false;
    const running = work().finally(() => (ended = true));
    running.catch(() => {}); // awaited below
    const waiting = async () => {
      // Inside a transaction PostgreSQL keeps its first look at pg_stat_activity: without clearing it,
      // work that reached the row after the first poll would never be seen waiting (review r37b F5).
      await other.query('SELECT pg_stat_clear_snapshot()');
      return (await other.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [otherPid])).rows[0]!.n;
    };
    for (let tries = 0; (await waiting()) === 0; tries++) {
      // Work that ended without waiting failed before the row (its own error says why) or never took it.
      if (ended) {
        await running;
        throw new Error('the work ended without waiting for the held row');
      }
      if (tries > 600) throw new Error('the work never waited for the held row');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if ('meanwhile' in competitor.then) {
      // Work that needs the held row would wait for this very commit: give up rather than hang (the held row is
      // let go with the connection below).
      let timer: NodeJS.Timeout | undefined;
      const stuck = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the meanwhile work waited for the held row')), 20_000)));
      try {
        await Promise.race([competitor.then.meanwhile(), stuck]);
      } finally {
        clearTimeout(timer);
      }
    }
    else await other.query(competitor.then.sql, competitor.then.params);
    await other.query('COMMIT');
    return await running;
  } finally {
    await other.end();
  }
}

/** The audit chain's head row: every audited transaction takes it (lib/audit/record.ts). */
export const TAKE_AUDIT_HEAD = { sql: 'SELECT "id" FROM "AuditChainHead" WHERE "id" = 1 FOR UPDATE', params: [] };

/**
 * Holds a row in a transaction of our own and starts `steps` one after another, each once the one before
 * waits for the row (seen in pg_stat_activity, not guessed with a timer); then commits. PostgreSQL grants
 * the row in the order they queued, so the steps take it in the order given. Returns what each returned.
 */
export async function queuedBehindHeldRow(holds: { sql: string; params: unknown[] }, steps: Array<() => Promise<unknown>>): Promise<unknown[]> {
  const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await holder.connect();
  try {
    await holder.query('BEGIN');
    await holder.query(holds.sql, holds.params);
    const running: Promise<unknown>[] = [];
    for (const step of steps) {
      let ended = false;
      const started = step().finally(() => (ended = true));
      started.catch(() => {}); // awaited below
      running.push(started);
      // A later step waits behind the step before it, not behind us: every session of this database waiting
      // for a lock is counted.
      const waiting = async () => {
        await holder.query('SELECT pg_stat_clear_snapshot()');
        const sql = `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND cardinality(pg_blocking_pids(pid)) > 0`;
        return (await holder.query<{ n: number }>(sql)).rows[0]!.n;
      };
      for (let tries = 0; (await waiting()) < running.length; tries++) {
        if (ended) {
          await started;
          throw new Error(`step ${running.length} ended without waiting for the held row`);
        }
        if (tries > 600) throw new Error(`step ${running.length} never waited for the held row`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    await holder.query('COMMIT');
    return await Promise.all(running);
  } finally {
    await holder.end();
  }
}
