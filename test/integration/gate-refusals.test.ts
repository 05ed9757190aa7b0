// The kit answers a use case's typed refusal (`Refused`) as a refusal, audited, never as a 500:
// a caller that skipped the gate's role check still gets "not allowed" and changes nothing.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { db } from '@/lib/db/client';
import { Refused, REFUSED_MESSAGE } from '@/lib/result';
import { exportQueue } from '@/lib/super-admin/export-queue';
import { z } from 'zod';
import { vendorActor } from './super-admin-fixtures';

const requestHeaders = vi.hoisted(() => ({ current: new Headers() }));
vi.mock('next/headers', () => ({ headers: async () => requestHeaders.current }));
vi.mock('next-auth', () => ({ getServerSession: async () => null }));

const { defineAction, defineRoute, PUBLIC } = await import('@/lib/auth/guards');

const ORIGIN = new URL(process.env.APP_URL ?? 'http://localhost:3000').origin;
const REQUEST_ID = 'gate-refusal-test';

beforeEach(() => {
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
