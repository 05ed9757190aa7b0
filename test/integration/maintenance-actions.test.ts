// During a window that blocks sign-in, the kit closes agency sign-in and every action of an agency
// session wherever it is posted: an action is chosen by its id, not by the path the proxy gates.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import os from 'node:os';
import path from 'node:path';
import { createDb, db, type Db } from '@/lib/db/client';
import { getBlockingMaintenance } from '@/lib/status/get-status-overview';
import { currentBlockingMaintenance, MAINTENANCE_LOOKUP_TTL_MS } from '@/lib/maintenance/blocking-maintenance-cache';

const requestHeaders = vi.hoisted(() => ({ current: new Headers() }));
// A browser without cookies of ours: no known-device token (known-browser.ts).
vi.mock('next/headers', () => ({ headers: async () => requestHeaders.current, cookies: async () => ({ get: () => undefined }) }));
vi.mock('next-auth', () => ({ getServerSession: async () => null }));

const { defineAction, PUBLIC } = await import('@/lib/auth/guards');

const ORIGIN = new URL(process.env.APP_URL ?? 'http://localhost:3000').origin;
const CLOSED = /^CareNotes is unavailable for planned maintenance until .+\. Nothing was changed\./;

let windowId: string | null = null;

async function endWindow() {
  if (windowId) await db().maintenanceWindow.update({ where: { id: windowId }, data: { endedAt: new Date() } });
  windowId = null;
  // Each instance keeps its lookup this long: past it, everyone sees the window ended.
  await sleep(MAINTENANCE_LOOKUP_TTL_MS + 100);
}

beforeEach(async () => {
  requestHeaders.current = new Headers({ origin: ORIGIN });
  const window = await db().maintenanceWindow.create({
    data: { title: 'Kit test window', startsAt: new Date(Date.now() - 60_000), endsAt: new Date(Date.now() + 3_600_000), startedAt: new Date(), blocksSignIn: true },
  });
  windowId = window.id;
});

afterEach(endWindow);

/** A stand-in for an action of the given name and audience, recording whether its use case ran. */
function probe(name: string, access: Parameters<typeof defineAction>[1]) {
  const ran = { count: 0 };
  const action = defineAction(name, access, z.object({}), async () => {
    ran.count += 1;
    return { ok: true };
  });
  return { ran, call: () => action({ ok: false }, new FormData()) };
}

describe('actions during a window that blocks sign-in', () => {
  it('[ANONYMOUS] agency sign-in, by password or passkey, and a reset link\'s new password are closed, and run again once the window ends', async () => {
    const probes = ['sign-in', 'passkey-sign-in', 'passkey-sign-in-options', 'reset-with-link'].map((name) => probe(name, PUBLIC));
    for (const { call, ran } of probes) {
      expect(await call()).toEqual({ ok: false, message: expect.stringMatching(CLOSED), values: {} });
      expect(ran.count).toBe(0);
    }
    await endWindow();
    for (const { call, ran } of probes) {
      expect(await call()).toEqual({ ok: true });
      expect(ran.count).toBe(1);
    }
  });

  it('[PROVIDER_ADMIN] an action of an agency session is closed before the session is even read', async () => {
    const { call, ran } = probe('admin-unlock', { principal: 'agency' });
    expect(await call()).toMatchObject({ ok: false, message: expect.stringMatching(CLOSED) });
    expect(ran.count).toBe(0);
  });

  it('an instance that knew of the window keeps it closed while the database cannot be asked (review r33c F2)', async () => {
    const { call, ran } = probe('sign-in', PUBLIC);
    expect(await call()).toMatchObject({ ok: false, message: expect.stringMatching(CLOSED) });
    const app = globalThis as { portalDb?: Db };
    const reachable = app.portalDb;
    const unreachable = createDb(`file:${path.join(os.tmpdir(), `no-such-folder-${process.pid}`, 'portal.db')}`, { waitMs: 200 });
    app.portalDb = unreachable;
    try {
      await sleep(MAINTENANCE_LOOKUP_TTL_MS + 100);
      await expect(getBlockingMaintenance(unreachable)).rejects.toThrow();
      expect(await call()).toMatchObject({ ok: false, message: expect.stringMatching(CLOSED) });
      expect(await currentBlockingMaintenance()).toMatchObject({ title: 'Kit test window' });
      expect(ran.count).toBe(0);
    } finally {
      app.portalDb = reachable;
      await unreachable.$disconnect();
    }
  });

  it('an instance whose lookup sees a window start or end, or a window first, sets the sign-in page’s copy in memory aside at once, not at the next version poll', async () => {
    const hook = Symbol.for('portal.livePageChanged');
    const setAside: string[] = [];
    const app = globalThis as Record<symbol, unknown>;
    app[hook] = async (pathname: string) => void setAside.push(pathname);
    const lookUpAfresh = async () => {
      await sleep(MAINTENANCE_LOOKUP_TTL_MS + 100);
      return currentBlockingMaintenance();
    };
    try {
      // An instance's first answer (at start, the database perhaps away until now) that names a window.
      vi.resetModules();
      const justStarted = await import('@/lib/maintenance/blocking-maintenance-cache');
      expect(await justStarted.currentBlockingMaintenance()).toMatchObject({ title: 'Kit test window' });
      expect(setAside).toEqual(['/login']);
      expect(await lookUpAfresh()).toMatchObject({ title: 'Kit test window' });
      setAside.length = 0;
      // The same window asked again: nothing changed.
      expect(await lookUpAfresh()).toMatchObject({ title: 'Kit test window' });
      expect(setAside).toEqual([]);
      await endWindow();
      expect(await currentBlockingMaintenance()).toBeNull();
      expect(setAside).toEqual(['/login']);
      windowId = (await db().maintenanceWindow.create({
        data: { title: 'Started now', startsAt: new Date(Date.now() - 1_000), endsAt: new Date(Date.now() + 3_600_000), startedAt: new Date(), blocksSignIn: true },
      })).id;
      expect(await lookUpAfresh()).toMatchObject({ title: 'Started now' });
      expect(await currentBlockingMaintenance()).toMatchObject({ title: 'Started now' });
      expect(setAside).toEqual(['/login', '/login']);
    } finally {
      delete app[hook];
    }
  });

  it('[VERIFIER] vendor sign-in and the public forms stay open', async () => {
    for (const name of ['vendor-sign-in', 'ask-admin', 'super-admin-request', 'status-subscribe', 'sign-out']) {
      const { call, ran } = probe(name, PUBLIC);
      expect(await call(), name).toEqual({ ok: true });
      expect(ran.count, name).toBe(1);
    }
  });
});
