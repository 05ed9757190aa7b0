import { describe, expect, it, vi } from 'vitest';
import { BROWSER_IDLE_MS, resolveSession, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, signOutSession } from '@/lib/auth/session';
import { signInAgencyUser, signInVendorAccount } from '@/lib/auth/sign-in';
import { db } from '@/lib/db/client';
import type { Role } from '@/lib/generated/sqlite/enums';
import { createAgency, createUser, createVendorAccount } from '@/prisma/factories';

const PASSWORD = 'quiet meadow copper bicycle';

async function signedIn(role: Role = 'STAFF') {
  const agency = await createAgency(db());
  const user = await createUser(db(), agency.id, PASSWORD, { role });
  const result = await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: PASSWORD }, '127.0.0.1');
  if (!result.ok) throw new Error('sign-in failed');
  return { user, sessionId: result.sessionId };
}

describe('server-side sessions', () => {
  it('[STAFF] session resolves to the actor of its own agency', async () => {
    const { user, sessionId } = await signedIn();
    expect(await resolveSession(sessionId)).toMatchObject({ kind: 'agency', userId: user.id, agencyId: user.agencyId, role: 'STAFF' });
  });

  it('[STAFF] a session another sign-in on the same browser ends is on the record as such; one at its code step just ends (review r51g F4)', async () => {
    const { user, sessionId } = await signedIn();
    await signOutSession(sessionId, '10.9.8.5', { bySignInHere: true });
    expect(await resolveSession(sessionId)).toBeNull();
    const [record] = await db().auditEvent.findMany({ where: { targetId: user.id, action: 'SIGNED_OUT' } });
    expect(JSON.parse(record!.details!)).toEqual({ endedBy: 'another sign-in on this browser' });

    const { user: atCodeStep, sessionId: pending } = await signedIn();
    await db().authSession.update({ where: { id: pending }, data: { secondFactorPending: true } });
    await signOutSession(pending, '10.9.8.5', { bySignInHere: true });
    expect(await db().auditEvent.count({ where: { targetId: atCodeStep.id, action: 'SIGNED_OUT' } })).toBe(0);
    expect((await db().authSession.findUniqueOrThrow({ where: { id: pending } })).endedAt).toBeNull();
  });

  it('[STAFF] [VENDOR] a sign-out ends the session and is on the record once; signing out of an ended session records nothing', async () => {
    const { user, sessionId } = await signedIn();
    await Promise.all([signOutSession(sessionId, '10.9.8.7'), signOutSession(sessionId, '10.9.8.7')]);
    expect(await resolveSession(sessionId)).toBeNull();
    const records = await db().auditEvent.findMany({ where: { targetId: user.id, action: 'SIGNED_OUT' } });
    expect(records.map((r) => [r.actorType, r.actorId, r.agencyId, r.ip, r.outcome])).toEqual([['USER', user.id, user.agencyId, '10.9.8.7', 'SUCCESS']]);

    const vendor = await createVendorAccount(db(), 'OPERATOR', PASSWORD);
    const signIn = await signInVendorAccount({ email: vendor.email, password: PASSWORD }, '127.0.0.1');
    if (!signIn.ok) throw new Error('vendor sign-in failed');
    await signOutSession(signIn.sessionId, '10.9.8.6');
    const vendorRecord = await db().auditEvent.findFirstOrThrow({ where: { targetId: vendor.id, action: 'SIGNED_OUT' } });
    expect(vendorRecord).toMatchObject({ actorType: 'VENDOR', actorId: vendor.id, agencyId: null });
  });

  it('is refused on the very next request once the session version changes', async () => {
    const { user, sessionId } = await signedIn();
    await db().user.update({ where: { id: user.id }, data: { sessionVersion: { increment: 1 } } });
    expect(await resolveSession(sessionId)).toBeNull();
  });

  it('[STAFF] goes on when its own change (another tab’s) commits between the reads of the session and of its account (review r46c F2)', async () => {
    const { user, sessionId } = await signedIn();
    const moveBoth = () =>
      db().$transaction([
        db().user.update({ where: { id: user.id }, data: { sessionVersion: { increment: 1 } } }),
        db().authSession.update({ where: { id: sessionId }, data: { sessionVersion: { increment: 1 } } }),
      ]);
    // The change commits right after the session was read at its old version, before its account is.
    const accountRead = db().user.findUnique.bind(db().user);
    const spy = vi.spyOn(db().user, 'findUnique').mockImplementationOnce((async (args: Parameters<typeof accountRead>[0]) => {
      await moveBoth();
      return accountRead(args);
    }) as unknown as typeof accountRead);
    try {
      expect(await resolveSession(sessionId)).toMatchObject({ kind: 'agency', userId: user.id, resolvedAtVersion: user.sessionVersion + 1 });
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    expect((await db().authSession.findUniqueOrThrow({ where: { id: sessionId } })).endedAt).toBeNull();
  });

  it('is refused once the user is disabled', async () => {
    const { user, sessionId } = await signedIn();
    await db().user.update({ where: { id: user.id }, data: { status: 'DISABLED' } });
    expect(await resolveSession(sessionId)).toBeNull();
  });

  it('ends after 12 hours whatever the activity', async () => {
    const { sessionId } = await signedIn();
    const later = new Date(Date.now() + SESSION_ABSOLUTE_MS + 1000);
    await db().authSession.update({ where: { id: sessionId }, data: { lastSeenAt: later } });
    expect(await resolveSession(sessionId, later)).toBeNull();
    // Once ended, it stays ended.
    expect(await resolveSession(sessionId)).toBeNull();
  });

  it('ends an admin session after 30 idle minutes but not a staff one', async () => {
    const admin = await signedIn('PROVIDER_ADMIN');
    const staff = await signedIn('STAFF');
    const later = new Date(Date.now() + SESSION_IDLE_MS + 1000);
    expect(await resolveSession(staff.sessionId, later)).not.toBeNull();
    expect(await resolveSession(admin.sessionId, later)).toBeNull();
  });

  it('[PROVIDER_ADMIN] a request made just before lastSeenAt is due to be written again still counts in time: the tab signs out before the server would refuse its form (review r44f F2)', async () => {
    const admin = await signedIn('PROVIDER_ADMIN');
    // From the session's own last write, not this test's clock: on a busy machine they are apart.
    const signedInAt = (await db().authSession.findUniqueOrThrow({ where: { id: admin.sessionId } })).lastSeenAt.getTime();
    // A page opened 59 s after the sign-in's write: not written, as the minute has not passed.
    expect(await resolveSession(admin.sessionId, new Date(signedInAt + 59_000))).not.toBeNull();
    // The tab counts from that page, and looks every 15 s: a form sent the moment before it signs itself out still finds the session.
    expect(await resolveSession(admin.sessionId, new Date(signedInAt + 59_000 + BROWSER_IDLE_MS + 15_000))).not.toBeNull();
  });

  it('ends a vendor session after 30 idle minutes', async () => {
    const account = await createVendorAccount(db(), 'VERIFIER', PASSWORD);
    const result = await signInVendorAccount({ email: account.email, password: PASSWORD }, '127.0.0.1');
    if (!result.ok) throw new Error('sign-in failed');
    expect(await resolveSession(result.sessionId)).toMatchObject({ kind: 'vendor', role: 'VERIFIER' });
    expect(await resolveSession(result.sessionId, new Date(Date.now() + SESSION_IDLE_MS + 1000))).toBeNull();
  });

  it('does not resolve an unknown session id', async () => {
    expect(await resolveSession('not-a-session')).toBeNull();
  });
});
