// Admission's waiting line through the whole server (server.mjs, lib/runtime/admission.mjs,
// decision 052): freed places go to the waiting client addresses in turn, and one address may hold
// at most a quarter of the line. The client address is the one a trusted proxy forwarded
// (TRUSTED_PROXY_HOPS=1), so one test process can be two clients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '@/scripts/db/migrate';
import { formWithField, multipartBody } from '../support/html-form';
import { startProductionServer, TEST_SECRET, throwawaySqliteUrl, type ProductionServer } from '../support/production-server';
import { burst } from '../support/raw-burst';
import { freePort } from '@/lib/net/free-port';

let server: ProductionServer;
let APP_URL: string;

beforeAll(async () => {
  const url = throwawaySqliteUrl();
  await applyMigrations(url);
  const port = await freePort();
  APP_URL = `http://127.0.0.1:${port}`;
  server = await startProductionServer({
    DATABASE_URL: url,
    APP_URL,
    NEXTAUTH_SECRET: TEST_SECRET,
    MAIL_TRANSPORT: 'file',
    MAIL_DIR: `${url.slice(5)}-mail`,
    TRUSTED_PROXY_HOPS: '1',
    // One request in the app at a time, so the order of the answers is the order of the turns;
    // eight may wait, two of them (a quarter) from any one address.
    MAX_REQUESTS_IN_FLIGHT: '1',
    MAX_REQUESTS_WAITING: '8',
  }, port);
});

afterAll(async () => {
  await server?.stop();
});

/** The no-JS sign-in form with credentials nobody has, as the proxy forwards it for `clientAddress`. */
async function signInFrom(clientAddress: string, extraHeaders = '') {
  const { hidden } = formWithField(await (await fetch(`${server.url}/login`)).text(), 'loginName');
  const { body, type } = multipartBody([...hidden, ['providerCode', 'NOBODY'], ['loginName', 'someone'], ['password', 'not the password']]);
  return {
    path: clientAddress,
    text:
      `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nOrigin: ${APP_URL}\r\nAccept: text/html\r\nX-Forwarded-For: ${clientAddress}\r\n${extraHeaders}` +
      `Content-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  };
}

describe('[OPERATOR] the waiting line, by client address', () => {
  it("one address's flood takes at most a quarter of the line; another address is let in, and served in turn before the flood's rest", async () => {
    const flood = await signInFrom('203.0.113.7');
    const other = await signInFrom('198.51.100.9');
    // Twelve from the flooding address first, then two from another: all read within a few
    // milliseconds, while the first sign-in's argon2id verify still holds the one place.
    const answers = await burst(server.port, [...Array<typeof flood>(12).fill(flood), other, other]);
    const flooded = answers.filter((answer) => answer.path === flood.path);
    const others = answers.filter((answer) => answer.path === other.path);

    // The flood: one in the app and two waiting at most, as the line was read; the rest refused at once.
    const refused = flooded.filter((answer) => answer.status === 503);
    expect(refused.length).toBeGreaterThanOrEqual(12 - 3);
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
});
