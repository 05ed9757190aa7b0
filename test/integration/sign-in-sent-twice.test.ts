// A sign-in form sent twice from one browser (a double press without JavaScript, a POST sent again): the
// browser keeps only the later answer's cookie, so the copy is answered with the session its first copy
// opened (decision 058, session 45 addendum). Only the same browser's key, the same account's password, the
// same kind of session, live, within a minute; anything else is a sign-in of its own, as before.
import { hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { browserKeyDigest, newBrowserKey } from '@/lib/auth/browser-key.mjs';
import { endTemporaryPassword } from '@/lib/auth/claim-temporary-password';
import { resolveSession, SENT_AGAIN_WITHIN_MS, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '@/lib/auth/session';
import { NO_DEVICE, signInAgencyUser, signInVendorAccount, type SignInResult, type SigningBrowser } from '@/lib/auth/sign-in';
import { db } from '@/lib/db/client';
import { databaseKind } from '@/lib/db/kind';
import { ARGON2_PARAMS } from '@/lib/password/hash';
import { verifySignInSecondFactor } from '@/lib/mfa/verify-sign-in-second-factor';
import { addTotpFactor, createAgency, createUser, createVendorAccount } from '@/prisma/factories';
import { whileCompetingTransactionHolds } from '../support/competing-transaction';
import { nextTotpCode } from '../support/next-totp-code';

const PASSWORD = 'tidy orange harbour violin';
const TEMPORARY = 'TEMPPASSWORD2345';
let ipCounter = 0;
const freshIp = () => `10.98.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;
/** A browser that has its key and holds no session: its copies of a form are sent before any answer comes back. */
const aBrowser = (): SigningBrowser => ({ key: browserKeyDigest(newBrowserKey()), sessionHeld: null });
/** A hash of an older, weaker cost: the next sign-in stores a stronger one (rehashIfUnchanged). */
const weakerHashOf = (password: string) => hash(password, { ...ARGON2_PARAMS, timeCost: 1 });
const sessionOf = (result: SignInResult) => (result.ok ? result.sessionId : `refused: ${result.reason}`);

async function staffWithTemporaryPassword() {
  const agency = await createAgency(db());
  const user = await createUser(db(), agency.id, TEMPORARY, {}, { expiresAt: new Date(Date.now() + 3600_000) });
  return { user, creds: { providerCode: agency.code, loginName: user.loginName, password: TEMPORARY } };
}

const liveSessions = (userId: string) => db().authSession.findMany({ where: { userId, endedAt: null }, select: { id: true } });

describe('a sign-in form sent twice from one browser', () => {
  it('[STAFF] with a temporary password: the copy after the first is answered with the session that used it, not “already used”', async () => {
    const { user, creds } = await staffWithTemporaryPassword();
    const browser = aBrowser();
    const first = await signInAgencyUser(creds, freshIp(), NO_DEVICE, browser);
    expect(first.ok).toBe(true);
    const again = await signInAgencyUser(creds, freshIp(), NO_DEVICE, browser);
    expect(sessionOf(again)).toBe(sessionOf(first));
    expect(await liveSessions(user.id)).toEqual([{ id: sessionOf(first) }]);
    // The temporary password was used once; the session still owes the new password.
    expect(await resolveSession(sessionOf(first))).toMatchObject({ kind: 'agency', mustChangePassword: true });
    const successes = await db().auditEvent.findMany({ where: { targetId: user.id, action: 'SIGN_IN_SUCCESS' }, orderBy: { seq: 'asc' } });
    expect(successes.map((record) => JSON.parse(record.details!).sameSessionAsCopySentBefore ?? false)).toEqual([false, true]);
  });

  it('[STAFF] both copies at once, in any order: one session, the temporary password used once, neither refused', async () => {
    const { user, creds } = await staffWithTemporaryPassword();
    const browser = aBrowser();
    const copies = await Promise.all([1, 2, 3].map(() => signInAgencyUser(creds, freshIp(), NO_DEVICE, browser)));
    expect(copies.every((copy) => copy.ok)).toBe(true);
    expect(new Set(copies.map(sessionOf)).size).toBe(1);
    expect(await db().authSession.count({ where: { userId: user.id } })).toBe(1);
  });

  it('[STAFF] with a password of their own: one session, not a second that no cookie names', async () => {
    const agency = await createAgency(db());
    const user = await createUser(db(), agency.id, PASSWORD);
    const creds = { providerCode: agency.code, loginName: user.loginName, password: PASSWORD };
    const browser = aBrowser();
    const copies = await Promise.all([1, 2].map(() => signInAgencyUser(creds, freshIp(), NO_DEVICE, browser)));
    expect(sessionOf(copies[1]!)).toBe(sessionOf(copies[0]!));
    expect(await db().authSession.count({ where: { userId: user.id } })).toBe(1);
  });

  it('[VERIFIER] a vendor sign-in sent twice is answered the same way', async () => {
    const account = await createVendorAccount(db(), 'VERIFIER', PASSWORD);
    const browser = aBrowser();
    const first = await signInVendorAccount({ email: account.email, password: PASSWORD }, freshIp(), NO_DEVICE, browser);
    const again = await signInVendorAccount({ email: account.email, password: PASSWORD }, freshIp(), NO_DEVICE, browser);
    expect(first.ok && sessionOf(again)).toBe(sessionOf(first));
  });

  it('[STAFF] signing in again from a browser whose cookie names the first session (its answer came back) gets a new session and ends that one: a copy of the old cookie opens nothing', async () => {
    const { user, creds } = await staffWithTemporaryPassword();
    const browser = aBrowser();
    const first = await signInAgencyUser(creds, freshIp(), NO_DEVICE, browser);
    // The first answer came back: the browser now sends that session's cookie with the form (pressed again as the page changed).
    const again = await signInAgencyUser(creds, freshIp(), NO_DEVICE, { ...browser, sessionHeld: sessionOf(first) });
    expect(again.ok).toBe(true);
    expect(sessionOf(again)).not.toBe(sessionOf(first));
    // One live session: the temporary password opened one sign-in, carried on in the new session.
    expect(await liveSessions(user.id)).toEqual([{ id: sessionOf(again) }]);
    expect(await resolveSession(sessionOf(again))).toMatchObject({ mustChangePassword: true });
    // Another browser still gets nothing.
    expect(await signInAgencyUser(creds, freshIp(), NO_DEVICE, aBrowser())).toEqual({ ok: false, reason: 'TEMPORARY_PASSWORD_USED' });
  });

  it('[STAFF] with a second factor: a browser whose cookie names its pending session gets a new pending one, that one ended, and the temporary password still unclaimed', async () => {
    const { user, creds } = await staffWithTemporaryPassword();
    await addTotpFactor(db(), { userId: user.id });
    const browser = aBrowser();
    const first = await signInAgencyUser(creds, freshIp(), NO_DEVICE, browser);
    expect(first).toMatchObject({ ok: true, secondFactorPending: true });
    const again = await signInAgencyUser(creds, freshIp(), NO_DEVICE, { ...browser, sessionHeld: sessionOf(first) });
    expect(again).toMatchObject({ ok: true, secondFactorPending: true });
    expect(await liveSessions(user.id)).toEqual([{ id: sessionOf(again) }]);
    // The code step claims it: nothing before it did.
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).temporaryPasswordUsedAt).toBeNull();
    const verified = await verifySignInSecondFactor((await resolveSession(sessionOf(again)))!, { code: await nextTotpCode({ userId: user.id }) }, freshIp());
    expect(verified.ok).toBe(true);
  });

  it('[STAFF] a browser whose cookie names another account’s session: the copy is answered with the session no cookie names, the other left alone', async () => {
    const { user, creds } = await staffWithTemporaryPassword();
    const colleague = await createUser(db(), user.agencyId, PASSWORD);
    const browser = aBrowser();
    const first = await signInAgencyUser(creds, freshIp(), NO_DEVICE, browser);
    const theirs = await signInAgencyUser({ providerCode: creds.providerCode, loginName: colleague.loginName, password: PASSWORD }, freshIp(), NO_DEVICE, aBrowser());
    const again = await signInAgencyUser(creds, freshIp(), NO_DEVICE, { ...browser, sessionHeld: sessionOf(theirs) });
    expect(sessionOf(again)).toBe(sessionOf(first));
    expect(await liveSessions(colleague.id)).toEqual([{ id: sessionOf(theirs) }]);
  });

  it('[STAFF] a copy sent with the first session’s cookie and one without, at once: both signed in, one live session, the temporary password used once', async () => {
    const { user, creds } = await staffWithTemporaryPassword();
    const browser = aBrowser();
    const first = await signInAgencyUser(creds, freshIp(), NO_DEVICE, browser);
    const copies = await Promise.all([
      signInAgencyUser(creds, freshIp(), NO_DEVICE, { ...browser, sessionHeld: sessionOf(first) }),
      signInAgencyUser(creds, freshIp(), NO_DEVICE, browser),
    ]);
    expect(copies.map((copy) => copy.ok)).toEqual([true, true]);
    const live = await liveSessions(user.id);
    expect(live).toHaveLength(1);
    expect(live.map((session) => session.id)).toContain(sessionOf(copies[0]!));
    expect(await signInAgencyUser(creds, freshIp(), NO_DEVICE, aBrowser())).toEqual({ ok: false, reason: 'TEMPORARY_PASSWORD_USED' });
  });

  it.runIf(databaseKind(process.env.DATABASE_URL!) === 'postgresql')(
    '[ATTACKER] a sign-out that commits while the browser’s new sign-in is ending its session: the temporary password is not carried on (review r45f F1)',
    async () => {
      const { user, creds } = await staffWithTemporaryPassword();
      const browser = aBrowser();
      const first = await signInAgencyUser(creds, freshIp(), NO_DEVICE, browser);
      const session = sessionOf(first);
      // The sign-in reads the session as open, then waits to end it while the sign-out holds its row and commits.
      const raced = await whileCompetingTransactionHolds(
        {
          holds: { sql: 'SELECT "id" FROM "AuthSession" WHERE "id" = $1 FOR UPDATE', params: [session] },
          then: { sql: 'UPDATE "AuthSession" SET "endedAt" = now() WHERE "id" = $1', params: [session] },
        },
        () => signInAgencyUser(creds, freshIp(), NO_DEVICE, { ...browser, sessionHeld: session }),
      );
      expect(raced).toEqual({ ok: false, reason: 'TEMPORARY_PASSWORD_USED' });
      expect(await liveSessions(user.id)).toEqual([]);
      expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'SIGN_IN_SUCCESS' } })).toBe(1);
    },
  );

  it('[STAFF] copies of a rehashing sign-in record the rehash once: the copy finds it done', async () => {
    const agency = await createAgency(db());
    const user = await createUser(db(), agency.id, PASSWORD);
    await db().user.update({ where: { id: user.id }, data: { passwordHash: await weakerHashOf(PASSWORD) } });
    const creds = { providerCode: agency.code, loginName: user.loginName, password: PASSWORD };
    const browser = aBrowser();
    await Promise.all([1, 2].map(() => signInAgencyUser(creds, freshIp(), NO_DEVICE, browser)));
    const successes = await db().auditEvent.findMany({ where: { targetId: user.id, action: 'SIGN_IN_SUCCESS' } });
    expect(successes.map((record) => JSON.parse(record.details!).passwordRehashed).sort()).toEqual([false, true]);
  });

  it('[ATTACKER] who overheard a temporary password gets nothing from another browser, nor from none, nor after the owner signed out', async () => {
    const { user, creds } = await staffWithTemporaryPassword();
    const owner = aBrowser();
    const first = await signInAgencyUser(creds, freshIp(), NO_DEVICE, owner);
    expect(first.ok).toBe(true);
    expect(await signInAgencyUser(creds, freshIp(), NO_DEVICE, aBrowser())).toEqual({ ok: false, reason: 'TEMPORARY_PASSWORD_USED' });
    expect(await signInAgencyUser(creds, freshIp())).toEqual({ ok: false, reason: 'TEMPORARY_PASSWORD_USED' });
    // The owner signed out (the session ended): the same browser's copy is a new sign-in, refused as before.
    await db().authSession.update({ where: { id: sessionOf(first) }, data: { endedAt: new Date() } });
    expect(await signInAgencyUser(creds, freshIp(), NO_DEVICE, owner)).toEqual({ ok: false, reason: 'TEMPORARY_PASSWORD_USED' });
    expect(await liveSessions(user.id)).toEqual([]);
  });

  it('[STAFF] a minute on, the same browser’s sign-in is one of its own: the temporary password is refused as used', async () => {
    const { creds } = await staffWithTemporaryPassword();
    const browser = aBrowser();
    const first = await signInAgencyUser(creds, freshIp(), NO_DEVICE, browser);
    await db().authSession.update({ where: { id: sessionOf(first) }, data: { createdAt: new Date(Date.now() - SENT_AGAIN_WITHIN_MS - 1000) } });
    expect(await signInAgencyUser(creds, freshIp(), NO_DEVICE, browser)).toEqual({ ok: false, reason: 'TEMPORARY_PASSWORD_USED' });
  });

  it('[STAFF] back on the sign-in page minutes later, the browser still holding the session the temporary password opened, signs in again: that session replaced, not told the password was used (review r53a F1)', async () => {
    const { user, creds } = await staffWithTemporaryPassword();
    const browser = aBrowser();
    const first = await signInAgencyUser(creds, freshIp(), NO_DEVICE, browser);
    await db().authSession.update({ where: { id: sessionOf(first) }, data: { createdAt: new Date(Date.now() - 5 * SENT_AGAIN_WITHIN_MS) } });
    const again = await signInAgencyUser(creds, freshIp(), NO_DEVICE, { ...browser, sessionHeld: sessionOf(first) });
    expect(again.ok).toBe(true);
    expect(await liveSessions(user.id)).toEqual([{ id: sessionOf(again) }]);
    expect(await resolveSession(sessionOf(again))).toMatchObject({ kind: 'agency', mustChangePassword: true });
    // Another browser is refused as before.
    expect(await signInAgencyUser(creds, freshIp(), NO_DEVICE, { ...aBrowser(), sessionHeld: sessionOf(again) })).toEqual({ ok: false, reason: 'TEMPORARY_PASSWORD_USED' });
    // Staff sessions have no idle limit: idle 35 minutes, it is still theirs (review r53d F3); past 12 hours, it is over.
    await db().authSession.update({ where: { id: sessionOf(again) }, data: { createdAt: new Date(Date.now() - 5 * SENT_AGAIN_WITHIN_MS), lastSeenAt: new Date(Date.now() - SESSION_IDLE_MS - 5 * 60_000) } });
    const afterIdle = await signInAgencyUser(creds, freshIp(), NO_DEVICE, { ...browser, sessionHeld: sessionOf(again) });
    expect(afterIdle.ok).toBe(true);
    await db().authSession.update({ where: { id: sessionOf(afterIdle) }, data: { createdAt: new Date(Date.now() - SESSION_ABSOLUTE_MS - 1000) } });
    expect(await signInAgencyUser(creds, freshIp(), NO_DEVICE, { ...browser, sessionHeld: sessionOf(afterIdle) })).toEqual({ ok: false, reason: 'TEMPORARY_PASSWORD_USED' });
  });

  it('[PROVIDER_ADMIN] whose held session is past the 30-minute idle limit is refused as used: that session is over', async () => {
    const { user, creds } = await staffWithTemporaryPassword();
    await db().user.update({ where: { id: user.id }, data: { role: 'PROVIDER_ADMIN' } });
    const browser = aBrowser();
    const first = await signInAgencyUser(creds, freshIp(), NO_DEVICE, browser);
    await db().authSession.update({ where: { id: sessionOf(first) }, data: { createdAt: new Date(Date.now() - 5 * SENT_AGAIN_WITHIN_MS), lastSeenAt: new Date(Date.now() - SESSION_IDLE_MS - 1000) } });
    expect(await signInAgencyUser(creds, freshIp(), NO_DEVICE, { ...browser, sessionHeld: sessionOf(first) })).toEqual({ ok: false, reason: 'TEMPORARY_PASSWORD_USED' });
  });

  it('[STAFF] a copy after the temporary password ended (a reset link sent meanwhile) is refused as ended, not answered with the session (review r45a F1)', async () => {
    const { user, creds } = await staffWithTemporaryPassword();
    const browser = aBrowser();
    expect((await signInAgencyUser(creds, freshIp(), NO_DEVICE, browser)).ok).toBe(true);
    await db().$transaction((tx) => endTemporaryPassword(tx, user.id, new Date()));
    expect(await signInAgencyUser(creds, freshIp(), NO_DEVICE, browser)).toEqual({ ok: false, reason: 'TEMPORARY_PASSWORD_EXPIRED' });
    const successes = await db().auditEvent.count({ where: { targetId: user.id, action: 'SIGN_IN_SUCCESS' } });
    expect(successes).toBe(1);
  });

  it('[ATTACKER] a wrong password from the owner’s browser gets no session, however soon after the owner’s', async () => {
    const { creds } = await staffWithTemporaryPassword();
    const browser = aBrowser();
    expect((await signInAgencyUser(creds, freshIp(), NO_DEVICE, browser)).ok).toBe(true);
    expect(await signInAgencyUser({ ...creds, password: 'TEMPPASSWORD2346' }, freshIp(), NO_DEVICE, browser)).toEqual({ ok: false, reason: 'INVALID' });
  });

  it('[STAFF] never hands a password alone the session past the second factor: after the code step, a copy of the password step opens a pending session of its own', async () => {
    const agency = await createAgency(db());
    const user = await createUser(db(), agency.id, PASSWORD);
    await addTotpFactor(db(), { userId: user.id });
    const creds = { providerCode: agency.code, loginName: user.loginName, password: PASSWORD };
    const browser = aBrowser();
    const pending = await signInAgencyUser(creds, freshIp(), NO_DEVICE, browser);
    expect(pending).toMatchObject({ ok: true, secondFactorPending: true });
    // The password step sent twice: the same pending session.
    expect(sessionOf(await signInAgencyUser(creds, freshIp(), NO_DEVICE, browser))).toBe(sessionOf(pending));
    const actor = await resolveSession(sessionOf(pending));
    const verified = await verifySignInSecondFactor(actor!, { code: await nextTotpCode({ userId: user.id }) }, freshIp());
    expect(verified.ok).toBe(true);
    const full = verified.ok ? verified.sessionId : '';
    const later = await signInAgencyUser(creds, freshIp(), NO_DEVICE, browser);
    expect(later).toMatchObject({ ok: true, secondFactorPending: true });
    expect([sessionOf(pending), full]).not.toContain(sessionOf(later));
  });
});
