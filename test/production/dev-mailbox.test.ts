// The demo's local mailbox holds every reset link, and the demo listens on every interface: it
// answers the machine itself and no one else, whatever else the mailbox's switch says.
import http from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startMigratedProductionServer, type ProductionServer } from '../support/production-server';

let server: ProductionServer;
let untold: ProductionServer;

beforeAll(async () => {
  [server, untold] = await Promise.all([
    startMigratedProductionServer({
      DEV_MAILBOX: 'on',
      // One proxy in front: the client is the address it adds last (what a remote client looks like here).
      TRUSTED_PROXY_HOPS: '1',
    }),
    // No proxy it knows of: every client is the TCP peer.
    startMigratedProductionServer({ DEV_MAILBOX: 'on' }),
  ]);
});

afterAll(async () => {
  await Promise.all([server?.stop(), untold?.stop()]);
});

it('[ANYONE] the local mailbox answers a client on this machine, and 404 to any other', async () => {
  const open = (forwardedFor?: string) => fetch(`${server.url}/dev/mailbox`, { headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} });
  expect((await open()).status).toBe(200);
  expect((await open('127.0.0.1')).status).toBe(200);
  for (const remote of ['192.0.2.2', '::ffff:192.0.2.2', '2001:db8::1']) expect((await open(remote)).status, remote).toBe(404);
  const message = await fetch(`${server.url}/dev/mailbox/abc123`, { headers: { 'x-forwarded-for': '192.0.2.2' } });
  expect(message.status).toBe(404);
});

it('[ATTACKER] a page of another site whose name points at this machine (DNS rebinding) is refused the mailbox, though its requests come from here', async () => {
  const withHost = (host: string) =>
    new Promise<number>((resolve, reject) => {
      const request = http.get(`${server.url}/dev/mailbox`, { headers: { host } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
    });
  expect(await withHost(`localhost:${server.port}`)).toBe(200);
  expect(await withHost(`127.0.0.1:${server.port}`)).toBe(200);
  for (const host of [`rebind.attacker.example:${server.port}`, 'localhost.attacker.example']) expect(await withHost(host), host).toBe(404);
});

it('[ANYONE] behind a proxy on this machine the portal was not told of, the mailbox answers 404: every client would come from here (review r31a)', async () => {
  const open = (headers: Record<string, string> = {}) => fetch(`${untold.url}/dev/mailbox`, { headers });
  expect((await open()).status).toBe(200);
  for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip', 'via']) {
    const value = header === 'forwarded' ? 'for=192.0.2.2' : header === 'via' ? '1.1 nginx' : '192.0.2.2';
    expect((await open({ [header]: value })).status, header).toBe(404);
  }
});
