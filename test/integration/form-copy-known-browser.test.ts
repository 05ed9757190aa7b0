// A copy of a form's rendering that finds its work done by the first copy (a double press without JavaScript) is
// what the browser shows: its browser is kept known as the first copy's answer would have kept it, from the move
// recorded with the form's key. Only a copy read at the version that move was from, on the same session, while the
// session is still where it moved it: an old key sent again, or a copy straddling another change, gets nothing
// (reviews r46d F2, r47a F1). The password change and a factor form (add a passkey) alike.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const jar = vi.hoisted(() => new Map<string, string>());
vi.mock('next/headers', () => ({
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined),
    set: (name: string, value: string) => void jar.set(name, value),
  }),
  headers: async () => new Headers(),
}));

const { changeOwnPassword, DONE_BEFORE_MOVED_ON } = await import('@/lib/auth/change-own-password');
const { keepKnownAcrossOwnChange } = await import('@/lib/auth/known-browser');
const { knowsAccount, rememberAccount } = await import('@/lib/auth/known-device');
const { knownDeviceCookieName } = await import('@/lib/auth/options');
const { noteOwnChange } = await import('@/lib/auth/own-change');
const { resolveSession } = await import('@/lib/auth/session');
const { signInAgencyUser } = await import('@/lib/auth/sign-in');
const { db } = await import('@/lib/db/client');
const { formKeyFor } = await import('@/test/support/form-key-for');
const { addPasskey, PASSKEY_ADDED_ALREADY } = await import('@/lib/mfa/add-passkey');
const { startPasskeyRegistration } = await import('@/lib/mfa/start-passkey-registration');
const { relyingParty } = await import('@/lib/mfa/webauthn');
const { newSoftPasskey, registrationResponse } = await import('@/test/support/soft-authenticator');
const { createAgency, createUser } = await import('@/prisma/factories');
type AgencyActor = import('@/lib/auth/session').AgencyActor;

const PASSWORDS = ['quiet meadow copper lantern', 'violet harbour copper quill', 'orchard quartz lantern meadow'] as const;

beforeEach(() => jar.clear());

/** A signed-in member whose browser holds its token at the session's version; `read()`: the session as a request reads it now. */
async function knownBrowserSignedIn() {
  const agency = await createAgency(db());
  const user = await createUser(db(), agency.id, PASSWORDS[0]);
  const signedIn = await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: PASSWORDS[0] }, '192.0.2.2');
  if (!signedIn.ok) throw new Error('sign-in failed');
  const read = async () => ({ ...((await resolveSession(signedIn.sessionId)) as AgencyActor), fromKnownBrowser: true });
  const actor = await read();
  jar.set(knownDeviceCookieName(), rememberAccount(undefined, { kind: 'user', id: user.id, version: actor.resolvedAtVersion! }));
  const knownAt = (version: number) => knowsAccount(jar.get(knownDeviceCookieName()), { kind: 'user', id: user.id, version });
  return { user, actor, read, knownAt };
}

/** The password change `sent` by `actor`, as its action runs it: the browser kept known after it when it moved the session. */
const changeAsTheActionDoes = (actor: AgencyActor, sent: Parameters<typeof changeOwnPassword>[1]) =>
  noteOwnChange(
    () => changeOwnPassword(actor, sent, '192.0.2.2'),
    (moved) => keepKnownAcrossOwnChange(actor, moved),
  );

const changeFrom = (from: 0 | 1 | 2, to: 0 | 1 | 2, formKey: string) => ({
  currentPassword: PASSWORDS[from],
  newPassword: PASSWORDS[to],
  confirmPassword: PASSWORDS[to],
  formKey,
});

describe('a copy of a form whose first copy did the work', () => {
  it('[STAFF] read before the first copy committed (a double press), keeps its browser known at the new version', async () => {
    const { actor, knownAt } = await knownBrowserSignedIn();
    const sent = changeFrom(0, 1, formKeyFor(actor));
    const v = actor.resolvedAtVersion!;
    expect(await changeOwnPassword(actor, sent, '192.0.2.2')).toMatchObject({ ok: true });
    // The first copy's answer, and its cookie, never reached the browser: only the copy's does.
    expect(knownAt(v + 1)).toBe(false);
    expect(await changeAsTheActionDoes(actor, sent)).toMatchObject({ ok: true, done: 'password-changed-once' });
    expect(knownAt(v + 1)).toBe(true);
  });

  it('[ATTACKER] with an old key of the account’s, sent while another change moves the session, gets nothing (review r47a F1)', async () => {
    const { actor, read, knownAt } = await knownBrowserSignedIn();
    const oldKey = formKeyFor(actor);
    expect(await changeOwnPassword(actor, changeFrom(0, 1, oldKey), '192.0.2.2')).toMatchObject({ ok: true });
    // The browser is known at the version that change left; a request of its is read there.
    const atV1 = await read();
    jar.set(knownDeviceCookieName(), rememberAccount(undefined, { kind: 'user', id: atV1.userId, version: atV1.resolvedAtVersion! }));
    // The owner changes the password again (another tab): v1 -> v2, while the request read at v1 is on its way.
    expect(await changeOwnPassword(await read(), changeFrom(1, 2, formKeyFor(actor)), '192.0.2.2')).toMatchObject({ ok: true });
    const v2 = (await read()).resolvedAtVersion!;
    // It sends the old key: a stale page now, and the move recorded with it is not one it was read before.
    expect(await changeAsTheActionDoes(atV1, changeFrom(0, 1, oldKey))).toMatchObject({ ok: false });
    expect(knownAt(v2)).toBe(false);
  });

  it('[STAFF] read before the first copy, but run after another change moved the session on, gets nothing: the move it saw is not its own', async () => {
    const { actor, read, knownAt } = await knownBrowserSignedIn();
    const sent = changeFrom(0, 1, formKeyFor(actor));
    expect(await changeOwnPassword(actor, sent, '192.0.2.2')).toMatchObject({ ok: true });
    expect(await changeOwnPassword(await read(), changeFrom(1, 2, formKeyFor(actor)), '192.0.2.2')).toMatchObject({ ok: true });
    const now = (await read()).resolvedAtVersion!;
    expect(await changeAsTheActionDoes(actor, sent)).toMatchObject({ ok: false });
    expect(knownAt(now)).toBe(false);
    expect(knownAt(now - 1)).toBe(false);
  });

  it('[ATTACKER] read before another change, sending a key whose first copy came after it, gets nothing: the move is not from where it was read', async () => {
    const { actor, read, knownAt } = await knownBrowserSignedIn();
    expect(await changeOwnPassword(actor, changeFrom(0, 1, formKeyFor(actor)), '192.0.2.2')).toMatchObject({ ok: true });
    const laterKey = formKeyFor(actor);
    expect(await changeOwnPassword(await read(), changeFrom(1, 2, laterKey), '192.0.2.2')).toMatchObject({ ok: true });
    const now = (await read()).resolvedAtVersion!;
    // The request read at the first version, its browser known there, sends the later rendering's key.
    expect(await changeAsTheActionDoes(actor, changeFrom(1, 2, laterKey))).toMatchObject({ ok: true, done: 'password-changed-once' });
    expect(knownAt(now)).toBe(false);
  });

  it('[ATTACKER] from another session of the account, with the owner’s key, gets nothing', async () => {
    const owner = await knownBrowserSignedIn();
    const sent = changeFrom(0, 1, formKeyFor(owner.actor));
    const v = owner.actor.resolvedAtVersion!;
    // Another session, opened before the change (which ends it), carrying the owner's rendering's key.
    const other = await signInAgencyUser({ providerCode: owner.actor.agencyCode, loginName: owner.actor.loginName, password: PASSWORDS[0] }, '192.0.2.3');
    if (!other.ok) throw new Error('sign-in failed');
    const thief = { ...((await resolveSession(other.sessionId)) as AgencyActor), fromKnownBrowser: true };
    expect(await changeOwnPassword(owner.actor, sent, '192.0.2.2')).toMatchObject({ ok: true });
    jar.clear();
    jar.set(knownDeviceCookieName(), rememberAccount(undefined, { kind: 'user', id: owner.user.id, version: v }));
    // Told only that the form was done before (the change ended its session), and its browser gets nothing.
    expect(await changeAsTheActionDoes(thief, sent)).toEqual(DONE_BEFORE_MOVED_ON);
    expect(owner.knownAt(v + 1)).toBe(false);
  });

  it('[STAFF] a double press of “Add a passkey”, a factor form, keeps its browser known at the version the first copy moved it to', async () => {
    const { actor, read, knownAt } = await knownBrowserSignedIn();
    const v = actor.resolvedAtVersion!;
    const started = await startPasskeyRegistration(actor);
    if (!('options' in started)) throw new Error(`no options: ${started.message}`);
    const rp = relyingParty();
    const response = registrationResponse(newSoftPasskey(), { challenge: started.options.challenge, rpId: rp.id, origin: rp.origin, userId: started.options.user.id });
    const sent = { name: 'Laptop', passkey: JSON.stringify(response), currentPassword: PASSWORDS[0], formKey: formKeyFor(actor) };
    expect(await addPasskey(actor, sent, '192.0.2.2')).toMatchObject({ ok: true, recoveryCodes: expect.any(Array) });
    expect(knownAt(v + 1)).toBe(false);
    // The copy, read before the first committed: the browser shows its answer, and keeps its token.
    const addAsTheActionDoes = () => noteOwnChange(() => addPasskey(actor, sent, '192.0.2.2'), (moved) => keepKnownAcrossOwnChange(actor, moved));
    expect(await addAsTheActionDoes()).toEqual(PASSKEY_ADDED_ALREADY);
    expect((await read()).resolvedAtVersion).toBe(v + 1);
    expect(knownAt(v + 1)).toBe(true);
  });
});
