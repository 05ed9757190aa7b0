// Every signed-in form says whose page it was drawn for (components/auth/drawn-for.tsx), and the kit
// refuses it from anyone else before anything is read or done: a page drawn for one person and sent
// after another signed in on the same browser (a shared computer) is not done as the other person
// (review r50c F1). The key is the form key's signature (lib/http/form-key.ts).
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { signInAgencyUser } from '@/lib/auth/sign-in';
import { hmacSign } from '@/lib/crypto/keyring';
import { db } from '@/lib/db/client';
import { DRAWN_FOR_FIELD } from '@/lib/http/drawn-for-field';
import { DRAWN_FOR, DRAWN_FOR_ANOTHER_ACCOUNT, newFormKey, RELOAD_AND_SEND_AGAIN } from '@/lib/http/form-key';
import { createAgency, createUser } from '@/prisma/factories';

const requestHeaders = vi.hoisted(() => ({ current: new Headers() }));
vi.mock('next/headers', () => ({ headers: async () => requestHeaders.current, cookies: async () => ({ get: () => undefined }) }));
const signedIn = vi.hoisted(() => ({ session: null as { sid: string } | null }));
vi.mock('next-auth', () => ({ getServerSession: async () => signedIn.session }));

const { defineAction, PUBLIC } = await import('@/lib/auth/guards');

const ORIGIN = new URL(process.env.APP_URL ?? 'http://localhost:3000').origin;
const PASSWORD = 'granite willow ocean falcon';

/** An action of a signed-in staff member that records each run and what it was given. */
function probe() {
  const runs: unknown[] = [];
  const action = defineAction('probe-drawn-for', { principal: 'agency' }, z.object({ userId: z.string() }), async (_actor, input) => {
    runs.push(input);
    return { ok: true };
  });
  return { runs, action, send: (fields: Record<string, string>) => action({ ok: false }, formOf(fields)) };
}

function formOf(fields: Record<string, string>) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return form;
}

async function signedInStaff() {
  const agency = await createAgency(db());
  const [first, second] = [await createUser(db(), agency.id, PASSWORD, { role: 'STAFF' }), await createUser(db(), agency.id, PASSWORD, { role: 'STAFF' })];
  const signIn = await signInAgencyUser({ providerCode: agency.code, loginName: second.loginName, password: PASSWORD }, '192.0.2.78');
  if (!signIn.ok) throw new Error('sign-in failed');
  // The browser now holds the second person's session.
  signedIn.session = { sid: signIn.sessionId };
  return { first, second, ownerOf: (user: { id: string }) => `user:${user.id}` };
}

beforeEach(() => {
  signedIn.session = null;
  requestHeaders.current = new Headers({ origin: ORIGIN, 'x-portal-request-id': `drawn-for-${Math.random()}` });
});

describe('a signed-in form names whose page it was drawn for', () => {
  it('[STAFF] the page drawn for the person signed in is done, the key taken off before the form is read', async () => {
    const { second, ownerOf } = await signedInStaff();
    const { runs, send } = probe();
    expect(await send({ userId: 'u1', [DRAWN_FOR_FIELD]: newFormKey(ownerOf(second)) })).toEqual({ ok: true });
    expect(runs).toEqual([{ userId: 'u1' }]);
  });

  it('[STAFF] a page drawn for the person signed in before, sent under the next one’s session, is refused for a reload and does nothing', async () => {
    const { first, ownerOf } = await signedInStaff();
    const { runs, send } = probe();
    expect(await send({ userId: 'u1', [DRAWN_FOR_FIELD]: newFormKey(ownerOf(first)) })).toMatchObject({ ok: false, message: DRAWN_FOR_ANOTHER_ACCOUNT });
    expect(runs).toEqual([]);
  });

  it('[STAFF] no key, an unsigned one, one signed for another purpose, or another key’s signature is refused', async () => {
    const { second, ownerOf } = await signedInStaff();
    const { runs, send } = probe();
    const random = randomBytes(18).toString('base64url');
    const otherKey = newFormKey(ownerOf(second));
    // None, or one never signed: a reload will do (review r53d F4).
    for (const key of ['', random]) expect(await send({ userId: 'u1', [DRAWN_FOR_FIELD]: key }), key).toMatchObject({ ok: false, message: RELOAD_AND_SEND_AGAIN });
    expect(await send({ userId: 'u1' })).toMatchObject({ ok: false, message: RELOAD_AND_SEND_AGAIN });
    // Signed, but not for this account: for all it can tell, another account's.
    const forged = [
      random + hmacSign({ salt: 'portal-form-key', info: 'another purpose' }, [ownerOf(second), random]),
      random + otherKey.slice(24),
      // The right signature made with another account's name in the parts, and the whole key upper-cased.
      random + hmacSign(DRAWN_FOR, [`vendor:${second.id}`, random]),
      otherKey.toUpperCase(),
    ];
    for (const key of forged) expect(await send({ userId: 'u1', [DRAWN_FOR_FIELD]: key }), key).toMatchObject({ ok: false, message: DRAWN_FOR_ANOTHER_ACCOUNT });
    // The right key under another spelling of the field's name is no key (and a field the form does not have).
    expect(await send({ userId: 'u1', DrawnFor: newFormKey(ownerOf(second)) })).toMatchObject({ ok: false, message: RELOAD_AND_SEND_AGAIN });
    expect(runs).toEqual([]);
  });

  it('[STAFF] a request no page sends, with the field twice (the right key and another account’s), is refused whole', async () => {
    const { first, second, ownerOf } = await signedInStaff();
    const { runs, action } = probe();
    for (const order of [[second, first], [first, second]]) {
      const form = formOf({ userId: 'u1' });
      for (const user of order) form.append(DRAWN_FOR_FIELD, newFormKey(ownerOf(user)));
      expect(await action({ ok: false }, form)).toMatchObject({ ok: false });
    }
    expect(runs).toEqual([]);
  });

  it('[ANONYMOUS] a public form has no such field: one sent is a field the form does not have', async () => {
    const action = defineAction('probe-public-drawn-for', PUBLIC, z.object({ note: z.string() }), async () => ({ ok: true }));
    expect(await action({ ok: false }, formOf({ note: 'x', [DRAWN_FOR_FIELD]: newFormKey('user:someone') }))).toMatchObject({ ok: false, message: expect.stringContaining('a field it does not have') });
  });
});
