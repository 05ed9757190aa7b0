// The kit answers a use case's typed refusal (`Refused`) as a refusal, audited, never as a 500:
// a caller that skipped the gate's role check still gets "not allowed" and changes nothing.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { signInAgencyUser } from '@/lib/auth/sign-in';
import { db } from '@/lib/db/client';
import { createAgency, createUser } from '@/prisma/factories';
import { Refused, REFUSED_MESSAGE } from '@/lib/result';
import { exportQueue } from '@/lib/super-admin/export-queue';
import { z } from 'zod';
import { vendorActor } from './super-admin-fixtures';

const requestHeaders = vi.hoisted(() => ({ current: new Headers() }));
// A browser without cookies of ours: no known-device token (known-browser.ts).
vi.mock('next/headers', () => ({ headers: async () => requestHeaders.current, cookies: async () => ({ get: () => undefined }) }));
const signedIn = vi.hoisted(() => ({ session: null as { sid: string } | null }));
vi.mock('next-auth', () => ({ getServerSession: async () => signedIn.session }));

const { defineAction, defineRoute, PUBLIC } = await import('@/lib/auth/guards');

const ORIGIN = new URL(process.env.APP_URL ?? 'http://localhost:3000').origin;
const REQUEST_ID = 'gate-refusal-test';

beforeEach(() => {
  signedIn.session = null;
  requestHeaders.current = new Headers({ origin: ORIGIN, 'x-portal-request-id': `${REQUEST_ID}-${Math.random()}` });
});

async function refusalsAudited(what: string) {
  return db().auditEvent.count({ where: { action: 'ACCESS_DENIED', details: { contains: what } } });
}

describe('the kit and typed refusals', () => {
  it('[OPERATOR past the gate] a route calling a verifier use case answers 403, audited, not 500', async () => {
    const operator = await vendorActor('OPERATOR');
    const route = defineRoute('probe-queue-export', PUBLIC, async () => new Response(await exportQueue(operator, {}, '192.0.2.1')));
    const before = await refusalsAudited('route probe-queue-export');
    const response = await route(new Request(`${ORIGIN}/probe`, { headers: { origin: ORIGIN } }));
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: 'FORBIDDEN', message: REFUSED_MESSAGE });
    expect(await refusalsAudited('route probe-queue-export')).toBe(before + 1);
    expect(await db().auditEvent.count({ where: { action: 'SUPER_ADMIN_QUEUE_EXPORTED', actorId: operator.vendorAccountId } })).toBe(0);
  });

  it('[anyone past the gate] an action whose use case refuses answers "not allowed", audited, with no apology reference', async () => {
    const action = defineAction('probe-refused', PUBLIC, z.object({ note: z.string() }), async () => {
      throw new Refused('users:read');
    });
    const form = new FormData();
    form.set('note', 'x');
    const before = await refusalsAudited('action probe-refused');
    expect(await action({ ok: false }, form)).toEqual({ ok: false, message: REFUSED_MESSAGE });
    expect(await refusalsAudited('action probe-refused')).toBe(before + 1);
  });

  it('[anyone] a refusal refills what was typed, but never a password, a second factor’s code or a passkey’s answer (review r44d F3)', async () => {
    const typed = { providerCode: 'ACME-NY', name: 'Work phone', code: 'ABCDE-FGHIJ', passkey: '{"id":"credential"}', currentPassword: 'quiet meadow', minPasswordLength: '12' };
    const action = defineAction('probe-refill', PUBLIC, z.object(Object.fromEntries(Object.keys(typed).map((key) => [key, z.string()]))), async () => ({ ok: false, message: 'no' }));
    const form = new FormData();
    for (const [key, value] of Object.entries(typed)) form.set(key, value);
    expect(await action({ ok: false }, form)).toEqual({ ok: false, message: 'no', values: { providerCode: 'ACME-NY', name: 'Work phone', minPasswordLength: '12' } });
  });

  it('an unexpected error is still an apology with a reference (500), not a refusal', async () => {
    const route = defineRoute('probe-broken', PUBLIC, async () => {
      throw new Error('boom');
    });
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await route(new Request(`${ORIGIN}/probe`));
    spy.mockRestore();
    expect(response.status).toBe(500);
    expect((await response.json()).error).toBe('INTERNAL');
  });
});

describe('a flood of refusals from one signed-in account', () => {
  it('[STAFF] 150 requests to an admin route: all refused, the first ten recorded, then the 100th, each with its count', async () => {
    const agency = await createAgency(db());
    const staff = await createUser(db(), agency.id, 'granite willow ocean falcon', { role: 'STAFF' });
    const signIn = await signInAgencyUser({ providerCode: agency.code, loginName: staff.loginName, password: 'granite willow ocean falcon' }, '192.0.2.77');
    if (!signIn.ok) throw new Error('sign-in failed');
    signedIn.session = { sid: signIn.sessionId };
    const route = defineRoute('probe-admin-only', { principal: 'agency', roles: ['PROVIDER_ADMIN', 'SUPER_ADMIN'] }, async () => new Response('secret'));
    const statuses = [];
    for (let i = 0; i < 150; i++) statuses.push((await route(new Request(`${ORIGIN}/probe`, { headers: { origin: ORIGIN } }))).status);
    expect(statuses).toEqual(Array(150).fill(403));
    const records = await db().auditEvent.findMany({ where: { actorId: staff.id, action: 'ACCESS_DENIED' }, orderBy: { seq: 'asc' } });
    expect(records.map((record) => JSON.parse(record.details!).refusalsThisMinute)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100]);
  });
});

describe('[ATTACKER posting from another site] to a single-use link’s address', () => {
  it('leaves a record of the refusal that does not hold the link’s token (review r51g F1)', async () => {
    const { auditCrossSiteRefusal } = await import('@/lib/auth/cross-site');
    const token = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde';
    const ip = `203.0.113.${Math.floor(Math.random() * 200) + 20}`;
    await auditCrossSiteRefusal(ip, `POST /reset/${token}`, 'null');
    await auditCrossSiteRefusal(ip, `POST /super-admin-reset/cancel/${token}`, 'https://evil.example');
    const records = await db().auditEvent.findMany({ where: { action: 'CROSS_SITE_REFUSED', ip }, orderBy: { seq: 'asc' }, select: { details: true } });
    expect(records.map((record) => JSON.parse(record.details!).what)).toEqual(['POST /reset/[redacted]', 'POST /super-admin-reset/cancel/[redacted]']);
  });
});
