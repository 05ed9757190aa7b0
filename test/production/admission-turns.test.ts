// Admission's waiting line through the whole server (server.mjs, lib/runtime/admission.mjs,
// decision 052): freed places go to the waiting client addresses in turn, and one address may hold
// at most a quarter of the line. The client address is the one a trusted proxy forwarded
// (TRUSTED_PROXY_HOPS=1), so one test process can be two clients.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@/lib/net/free-port';
import { startThrowawayPostgres } from '@/test/support/throwaway-postgres';
import { rawFailedSignIn, startMigratedProductionServer, type ProductionServer } from '../support/production-server';
import { admissionFigures as readAdmissionFigures, until } from '../support/admission-figures';
import { burst } from '../support/raw-burst';

let server: ProductionServer;
let postgres: { url: string; stop: () => Promise<void> } | undefined;
let metricsPort: number;

// PostgreSQL, whose locks a request waits on without stopping the server (SQLite's driver would
// hold the whole event loop while it waits): a test can keep the one place taken for as long as it needs.
beforeAll(async () => {
  postgres = await startThrowawayPostgres();
  metricsPort = await freePort();
  server = await startMigratedProductionServer(
    {
      METRICS_PORT: String(metricsPort),
      TRUSTED_PROXY_HOPS: '1',
      // One request in the app at a time, so the order of the answers is the order of the turns;
      // eight may wait, two of them (a quarter) from any one address.
      MAX_REQUESTS_IN_FLIGHT: '1',
      MAX_REQUESTS_WAITING: '8',
    },
    postgres.url,
  );
});

afterAll(async () => {
  await server?.stop();
  await postgres?.stop();
});

/** The admission gauges of this file's server. */
const admissionFigures = () => readAdmissionFigures(metricsPort);

/** The failing no-JS sign-in, as the proxy forwards it for `clientAddress`. */
const signInFrom = (clientAddress: string, extraHeaders = '') => rawFailedSignIn(server, clientAddress, `X-Forwarded-For: ${clientAddress}\r\n${extraHeaders}`);

describe('[OPERATOR] the waiting line, by client address', () => {
  it("one address's flood takes at most a quarter of the line; another address is let in, and served in turn before the flood's rest", async () => {
    const holder = await signInFrom('192.0.2.1');
    const flood = await signInFrom('203.0.113.7');
    const other = await signInFrom('198.51.100.9');
    // The one place stays taken while the burst is read: a sign-in from a third address waits on a
    // lock of the limit counters' table (reads go on) until every request below has been read.
    const locker = new pg.Client({ connectionString: postgres!.url });
    await locker.connect();
    let answers: Awaited<ReturnType<typeof burst>>;
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE "RateLimitBucket" IN EXCLUSIVE MODE');
      const held = burst(server.port, [holder]);
      await until(async () => (await admissionFigures()).inFlight === 1);
      // Twelve from the flooding address first, then two from another.
      const burstAnswered = burst(server.port, [...Array<typeof flood>(12).fill(flood), other, other]);
      // Two of the flood's wait and the rest are refused; both of the other address's wait.
      await until(async () => (await admissionFigures()).waiting === 4);
      await locker.query('ROLLBACK');
      [answers] = await Promise.all([burstAnswered, held]);
    } finally {
      await locker.end();
    }
    const flooded = answers.filter((answer) => answer.path === flood.path);
    const others = answers.filter((answer) => answer.path === other.path);

    // The flood: two waiting at most, as the line was read; the rest refused at once.
    const refused = flooded.filter((answer) => answer.status === 503);
    expect(refused).toHaveLength(12 - 2);
    expect(refused.every((answer) => answer.retryAfter === '5')).toBe(true);
    // The other address still found room, though the flood came first and the line holds eight.
    expect(others.map((answer) => answer.status)).toEqual([200, 200]);
    // In turn: the other address's first request was answered before the flood's last admitted one.
    const lastOfFlood = Math.max(...flooded.filter((answer) => answer.status === 200).map((answer) => answer.answeredAs));
    expect(Math.min(...others.map((answer) => answer.answeredAs))).toBeLessThan(lastOfFlood);
  });

  it('a client that sends the header of a request made by the app itself gains nothing: its flood is held to the same share', async () => {
    // The app's own fetch (a server action's redirect target) carries a secret made per process; a guess is an ordinary request.
    const flood = await signInFrom('203.0.113.8', 'X-Portal-Inner-Request: 1\r\n');
    const answers = await burst(server.port, Array<typeof flood>(12).fill(flood));
    // Three at a time at most (one in the app, two waiting); were the header believed, none would be
    // refused. Half, not nine: on a busy machine a place may come free before the burst is all read.
    expect(answers.filter((answer) => answer.status === 503).length).toBeGreaterThanOrEqual(6);
    expect(answers.filter((answer) => answer.status === 200).length).toBeGreaterThanOrEqual(1);
  });

  it('four addresses at their quarter fill the line; someone new is let in all the same, in place of the newest of a longest line', async () => {
    const floods = await Promise.all(['203.0.113.21', '203.0.113.22', '203.0.113.23', '203.0.113.24'].map((address) => signInFrom(address)));
    const newcomer = await signInFrom('198.51.100.21');
    const answers = await burst(server.port, [...floods.flatMap((flood) => Array<typeof flood>(6).fill(flood)), newcomer]);
    expect(answers.filter((answer) => answer.path === newcomer.path).map((answer) => answer.status)).toEqual([200]);
    // Every refusal is one of the floods', with Retry-After.
    const refused = answers.filter((answer) => answer.status === 503);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused.every((answer) => answer.path !== newcomer.path && answer.retryAfter === '5')).toBe(true);
  });

  it('the addresses of one IPv6 /64 are one client: a host that spreads its flood over them is held to one share', async () => {
    const spread = await Promise.all(Array.from({ length: 12 }, (_, i) => signInFrom(`2001:db8:77:1::${(i + 1).toString(16)}`)));
    const answers = await burst(server.port, spread);
    // As for one address: three at a time at most (one in the app, two waiting); half, not nine, on a busy machine.
    expect(answers.filter((answer) => answer.status === 503).length).toBeGreaterThanOrEqual(6);
    // Each request's line is written once it is answered: wait for all twelve.
    const recordedLines = () => server.logLines().filter((line) => line.event === 'http.request' && String(line.clientIp).startsWith('2001:db8:77:1'));
    for (let tries = 0; recordedLines().length < 12 && tries < 200; tries++) await new Promise((resolve) => setTimeout(resolve, 25));
    const recorded = recordedLines();
    expect(recorded).toHaveLength(12);
    expect(new Set(recorded.map((line) => line.clientIp))).toEqual(new Set(['2001:db8:77:1::/64']));
  });
});
