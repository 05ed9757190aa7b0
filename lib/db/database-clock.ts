import { config } from '@/lib/config';
import type { Db } from '@/lib/db/client';
import { databaseKind } from '@/lib/db/kind';
import { logger } from '@/lib/observability/logger.mjs';

/**
 * How far apart two instances' clocks may be. Rules compare times one instance wrote with another's (a lock
 * streak's start with the records of its tries, the order of status alerts, a lock's end); they hold while
 * each instance's clock is within half of this of the database server's (NTP; README "Several instances").
 */
export const CLOCK_SKEW_TOLERATED_MS = 1000;

export type ClockOffset = { offsetMs: number; uncertaintyMs: number };

/**
 * This process's clock against PostgreSQL's: how far ahead it is (negative: behind), give or take half the
 * round trip. Null on SQLite, a file read on this machine's own clock.
 */
export async function clockOffsetFromDatabase(database: Db): Promise<ClockOffset | null> {
  if (databaseKind(config().DATABASE_URL) !== 'postgresql') return null;
  const sent = Date.now();
  const [row] = await database.$queryRawUnsafe<{ ms: number }[]>('SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS "ms"');
  const received = Date.now();
  return { offsetMs: Math.round((sent + received) / 2 - Number(row!.ms)), uncertaintyMs: Math.ceil((received - sent) / 2) };
}

/** The status round's check (every 30 s, each instance): a warning while this instance's clock is out of step. */
export async function warnWhenClockOutOfStep(database: Db): Promise<ClockOffset | null> {
  const measured = await clockOffsetFromDatabase(database);
  if (measured && Math.abs(measured.offsetMs) - measured.uncertaintyMs > CLOCK_SKEW_TOLERATED_MS / 2) {
    logger.warn({ event: 'clock.out_of_step', ...measured, toleratedMs: CLOCK_SKEW_TOLERATED_MS / 2 });
  }
  return measured;
}
