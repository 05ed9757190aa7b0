// The demo's local mailbox holds every reset link, and the demo listens on every interface: it
// answers the machine itself and no one else, whatever else the mailbox's switch says.
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mailboxKeyFor } from '@/lib/mail/mailbox-key.mjs';
import { startMigratedProductionServer, TEST_SECRET, throwawayMailDir, type ProductionServer } from '../support/production-server';

const KEY = mailboxKeyFor(TEST_SECRET);
/** Where the server without a proxy writes its mail: one message is put there to be opened. */
const untoldMail = throwawayMailDir();

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
    startMigratedProductionServer({ DEV_MAILBOX: 'on', MAIL_DIR: untoldMail }),
  ]);
  writeFileSync(path.join(untoldMail, 'abc123.eml'), 'From: portal@example.test\r\nTo: someone@example.test\r\nSubject: Your reset link\r\n\r\nhttp://127.0.0.1/reset/token\r\n');
});

afterAll(async () => {
  await Promise.all([server?.stop(), untold?.stop()]);
});

it('[ANYONE] the local mailbox answers a client on this machine, and 404 to any other', async () => {
  const open = (forwardedFor?: string) => fetch(`${server.url}/dev/mailbox?key=${KEY}`, { headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} });
  expect((await open()).status).toBe(200);
  expect((await open('127.0.0.1')).status).toBe(200);
  for (const remote of ['192.0.2.2', '::ffff:192.0.2.2', '2001:db8::1']) expect((await open(remote)).status, remote).toBe(404);
  const message = await fetch(`${server.url}/dev/mailbox/abc123?key=${KEY}`, { headers: { 'x-forwarded-for': '192.0.2.2' } });
  expect(message.status).toBe(404);
});

it('[ATTACKER] a page of another site whose name points at this machine (DNS rebinding) is refused the mailbox, though its requests come from here', async () => {
  const withHost = (host: string) =>
    new Promise<number>((resolve, reject) => {
      const request = http.get(`${server.url}/dev/mailbox?key=${KEY}`, { headers: { host } }, (response) => {
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
  const open = (headers: Record<string, string> = {}) => fetch(`${untold.url}/dev/mailbox?key=${KEY}`, { headers });
  expect((await open()).status).toBe(200);
  for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip', 'via']) {
    const value = header === 'forwarded' ? 'for=192.0.2.2' : header === 'via' ? '1.1 nginx' : '192.0.2.2';
    expect((await open({ [header]: value })).status, header).toBe(404);
  }
});

it('[ANYONE] without its key the mailbox answers 404, even to this machine: a relay that names no proxy makes any client look local (review r32a)', async () => {
  const open = (query: string) => fetch(`${untold.url}/dev/mailbox${query}`);
  expect((await open(`?key=${KEY}`)).status).toBe(200);
  for (const query of ['', '?key=', `?key=${KEY.slice(0, -1)}`, `?key=${KEY}x`, `?key=${mailboxKeyFor('another-secret-0123456789abcdef0123456789')}`, `?KEY=${KEY}`]) {
    expect((await open(query)).status, query).toBe(404);
  }
  // The message itself, the same: the key opens it, nothing else does.
  expect((await fetch(`${untold.url}/dev/mailbox/abc123?key=${KEY}`)).status).toBe(200);
  for (const query of ['', `?key=${KEY.slice(0, -1)}`]) expect((await fetch(`${untold.url}/dev/mailbox/abc123${query}`)).status, query).toBe(404);
  // The page's links carry the key; its answer is kept by no cache and sent to no other site as a Referer.
  const page = await open(`?key=${KEY}`);
  expect(page.headers.get('cache-control')).toMatch(/no-store/);
  expect(page.headers.get('referrer-policy')).toBe('no-referrer');
});
