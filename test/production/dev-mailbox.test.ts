// The demo's local mailbox holds every reset link, and the demo listens on every interface: it
// answers the machine itself and no one else, whatever else the mailbox's switch says.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startMigratedProductionServer, type ProductionServer } from '../support/production-server';

let server: ProductionServer;

beforeAll(async () => {
  server = await startMigratedProductionServer({
    DEV_MAILBOX: 'on',
    // One proxy in front: the client is the address it adds last (what a remote client looks like here).
    TRUSTED_PROXY_HOPS: '1',
  });
});

afterAll(async () => {
  await server?.stop();
});

it('[ANYONE] the local mailbox answers a client on this machine, and 404 to any other', async () => {
  const open = (forwardedFor?: string) => fetch(`${server.url}/dev/mailbox`, { headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} });
  expect((await open()).status).toBe(200);
  expect((await open('127.0.0.1')).status).toBe(200);
  for (const remote of ['192.0.2.2', '::ffff:192.0.2.2', '2001:db8::1']) expect((await open(remote)).status, remote).toBe(404);
  const message = await fetch(`${server.url}/dev/mailbox/abc123`, { headers: { 'x-forwarded-for': '192.0.2.2' } });
  expect(message.status).toBe(404);
});
