// The client address behind a trusted proxy (decision 029): the entry the proxy appended to
// X-Forwarded-For, read as an address. Some proxies write the port of the client's connection with
// it (Azure Application Gateway does by default); kept, every connection was a client of its own and
// no limit per address held (review r28b F1).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDb, type Db } from '@/lib/db/client';
import { burst } from '../support/raw-burst';
import { eventLines, keepAliveHeader, rawFailedSignIn, startMigratedProductionServer, throwawaySqliteUrl, type ProductionServer } from '../support/production-server';

const databaseUrl = throwawaySqliteUrl();
let server: ProductionServer;
let database: Db;

beforeAll(async () => {
  server = await startMigratedProductionServer({ TRUSTED_PROXY_HOPS: '1' }, databaseUrl);
  database = createDb(databaseUrl);
});

afterAll(async () => {
  await database?.$disconnect();
  await server?.stop();
});

/** A failed sign-in as the proxy forwards it, and the address its audit record and access line name. */
async function signInForwardedAs(forwardedFor: string): Promise<{ recorded: string | null; logged: unknown }> {
  const posts = () => eventLines(server, 'http.request').filter((line) => line.method === 'POST');
  const [before, postsBefore] = [await database.auditEvent.count({ where: { action: 'SIGN_IN_FAILURE' } }), posts().length];
  const [answer] = await burst(server.port, [await rawFailedSignIn(server, forwardedFor, `X-Forwarded-For: ${forwardedFor}\r\n`)]);
  expect(answer!.status, forwardedFor).toBe(200);
  expect(await database.auditEvent.count({ where: { action: 'SIGN_IN_FAILURE' } })).toBe(before + 1);
  const [record] = await database.auditEvent.findMany({ where: { action: 'SIGN_IN_FAILURE' }, orderBy: { seq: 'desc' }, take: 1 });
  // The access line is written as the answer ends, and read from the process's output.
  for (let tries = 0; posts().length === postsBefore && tries < 200; tries++) await new Promise((resolve) => setTimeout(resolve, 25));
  return { recorded: record!.ip, logged: posts().at(-1)?.clientIp };
}

it('[ATTACKER] behind a proxy that writes the port, each connection of one client is still that one client', async () => {
  for (const entry of ['203.0.113.7:40001', '203.0.113.7:40002', '198.51.100.1, 203.0.113.7:65535', '203.0.113.7', '[::ffff:203.0.113.7]:443']) {
    expect(await signInForwardedAs(entry), entry).toEqual({ recorded: '203.0.113.7', logged: '203.0.113.7' });
  }
  for (const entry of ['[2001:db8:1:2::a]:443', '[2001:db8:1:2::b]', '2001:db8:1:2::c', '[2001:DB8:1:2::d]:8080']) {
    expect(await signInForwardedAs(entry), entry).toEqual({ recorded: '2001:db8:1:2::/64', logged: '2001:db8:1:2::/64' });
  }
});

it('[OPERATOR] an entry that is no address counts as the proxy itself, and says so once in the log', async () => {
  for (const entry of ['unknown', '203.0.113.7:80:80', 'evil.example:80']) {
    expect(await signInForwardedAs(entry), entry).toEqual({ recorded: '127.0.0.1', logged: '127.0.0.1' });
  }
  expect(eventLines(server, 'http.forwarded_for_unreadable')).toHaveLength(1);
});

it('[LOAD BALANCER] in front is told an idle connection stays open 65 s, longer than its own minute: the instance never closes one a request may be on its way over', async () => {
  expect(await keepAliveHeader(server.port)).toBe('timeout=65');
});
