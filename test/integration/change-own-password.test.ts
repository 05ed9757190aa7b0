import { describe, expect, it, vi } from 'vitest';
import { decideAccess } from '@/lib/auth/access';
import { changeOwnPassword, changePasswordSchema, DONE_BEFORE_MOVED_ON, DRAWN_BEFORE_A_CHANGE, PASSWORD_CHANGED_DONE } from '@/lib/auth/change-own-password';
import { resolveSession, type AgencyActor } from '@/lib/auth/session';
import { signInAgencyUser } from '@/lib/auth/sign-in';
import { db } from '@/lib/db/client';
import { SIGNED_OUT_MEANWHILE } from '@/lib/mfa/account';
import { databaseKind } from '@/lib/db/kind';
import { newFormKey } from '@/lib/http/form-key';
import { rememberPassword } from '@/lib/password/history';
import { POLICY_BOUNDS } from '@/lib/policy/agency-policy';
import { RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import { addTotpFactor, createAgency, createUser } from '@/prisma/factories';
import { whileCompetingTransactionHolds } from '../support/competing-transaction';
import { formKeyFor } from '../support/form-key-for';

const TEMPORARY = 'K7MQ2XP9RT4WHN3B';
const NEW_PASSWORD = 'lemon glacier paper trumpet';

async function signedInWithTemporaryPassword() {
  const agency = await createAgency(db(), { name: 'Sunrise Home Care' });
  const user = await createUser(db(), agency.id, TEMPORARY, { displayName: 'Riley Novak' }, { expiresAt: new Date(Date.now() + 3600_000) });
  const creds = { providerCode: agency.code, loginName: user.loginName, password: TEMPORARY };
  const first = await signInAgencyUser(creds, '127.0.0.1');
  // A second session, as if from an earlier issue of it: a temporary password opens only one sign-in.
  await db().user.update({ where: { id: user.id }, data: { temporaryPasswordUsedAt: null } });
  const second = await signInAgencyUser(creds, '127.0.0.1');
  if (!first.ok || !second.ok) throw new Error('sign-in failed');
  const actor = (await resolveSession(first.sessionId)) as AgencyActor;
  return { agency, user, actor, otherSessionId: second.sessionId };
}

const change = (actor: AgencyActor, newPassword: string, currentPassword = TEMPORARY) =>
  changeOwnPassword(actor, { currentPassword, newPassword, confirmPassword: newPassword }, '127.0.0.1');

/** What endOtherSessions writes for a passkey added or codes replaced in this session: both versions move on. */
const factorChangeInThisSession = (userId: string, sessionId: string) => ({
  sql: `WITH moved AS (UPDATE "User" SET "sessionVersion" = "sessionVersion" + 1 WHERE "id" = $1 RETURNING "sessionVersion")
        UPDATE "AuthSession" SET "sessionVersion" = (SELECT "sessionVersion" FROM moved) WHERE "id" = $2`,
  params: [userId, sessionId],
});

describe('changing one’s own password', () => {
  it('[STAFF with a temporary password] is marked as having to change it', async () => {
    const { actor } = await signedInWithTemporaryPassword();
    expect(actor.mustChangePassword).toBe(true);
  });

  it('[STAFF] a wrong current password counts for the address, with wrong sign-ins; past its limit nothing is checked', async () => {
    const { user, actor } = await signedInWithTemporaryPassword();
    const ip = `203.0.113.${Math.floor(Math.random() * 250)}`;
    const key = `${RATE_LIMITS.signInFailuresPerAddress.name}:${ip}`;
    const count = async () => (await db().rateLimitBucket.findUnique({ where: { key } }))?.count ?? 0;
    const changeFrom = (currentPassword: string) => changeOwnPassword(actor, { currentPassword, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, ip);
    expect((await changeFrom('not the temporary one')).ok).toBe(false);
    expect(await count()).toBe(1);
    await db().rateLimitBucket.update({ where: { key }, data: { count: RATE_LIMITS.signInFailuresPerAddress.limit } });
    expect(await changeFrom(TEMPORARY)).toEqual({ ok: false, message: 'Too many failed attempts from your network. Wait 15 minutes and try again.' });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(user.passwordHash);
    await db().rateLimitBucket.update({ where: { key }, data: { count: 1 } });
    expect(await changeFrom(TEMPORARY)).toMatchObject({ ok: true });
    expect(await count()).toBe(1);
  });

  it('refuses a wrong current password and changes nothing', async () => {
    const { user, actor } = await signedInWithTemporaryPassword();
    const result = await change(actor, NEW_PASSWORD, 'not the temporary one');
    expect(result.fieldErrors?.currentPassword).toBeDefined();
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(user.passwordHash);
  });

  it.each([
    ['too short', 'short words'],
    ['common', '1qaz2wsx3edc4rfv'],
    ['the agency name', 'sunrise home care forever'],
    ['the person’s name', 'novak likes long walks'],
  ])('refuses a password that is %s', async (_label, candidate) => {
    const { actor } = await signedInWithTemporaryPassword();
    const result = await change(actor, candidate);
    expect(result.ok).toBe(false);
    expect(result.fieldErrors?.newPassword?.length).toBeGreaterThan(0);
  });

  it('refuses the temporary password itself as the new one', async () => {
    const agency = await createAgency(db(), { minPasswordLength: 8 });
    const user = await createUser(db(), agency.id, TEMPORARY, {}, { expiresAt: new Date(Date.now() + 3600_000) });
    const result = await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: TEMPORARY }, '127.0.0.1');
    const actor = (await resolveSession(result.ok ? result.sessionId : '')) as AgencyActor;
    expect((await change(actor, TEMPORARY)).fieldErrors?.newPassword).toEqual(['Choose a password that does not contain your temporary one, or a large part of it.']);
  });

  it('refuses the mismatched confirmation through the form schema', async () => {
    const { changePasswordSchema } = await import('@/lib/auth/change-own-password');
    const parsed = changePasswordSchema.safeParse({ currentPassword: 'a', newPassword: NEW_PASSWORD, confirmPassword: 'other' });
    expect(parsed.success).toBe(false);
  });

  it('changes the password, clears the forced change, keeps this session and ends every other one', async () => {
    const { user, actor, otherSessionId } = await signedInWithTemporaryPassword();
    expect((await change(actor, NEW_PASSWORD)).ok).toBe(true);

    const after = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.mustChangePassword).toBe(false);
    expect(after.sessionVersion).toBe(user.sessionVersion + 1);
    expect(await resolveSession(actor.sessionId)).toMatchObject({ userId: user.id, mustChangePassword: false });
    expect(await resolveSession(otherSessionId)).toBeNull();

    const oldLogin = await signInAgencyUser({ providerCode: actor.agencyCode, loginName: user.loginName, password: TEMPORARY }, '127.0.0.1');
    expect(oldLogin.ok).toBe(false);
    const newLogin = await signInAgencyUser({ providerCode: actor.agencyCode, loginName: user.loginName, password: NEW_PASSWORD }, '127.0.0.1');
    expect(newLogin.ok).toBe(true);
  });

  it('[STAFF] does not undo a reset that moved the account on while the change was in flight', async () => {
    const { user, actor } = await signedInWithTemporaryPassword();
    // What an administrator's reset does to the account's sessions, landing after this session was read.
    await db().user.update({ where: { id: user.id }, data: { sessionVersion: { increment: 1 } } });
    const result = await change(actor, NEW_PASSWORD);
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/^Your password was not changed: it was reset, or changed elsewhere/) });
    const after = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after).toMatchObject({ passwordHash: user.passwordHash, mustChangePassword: true, sessionVersion: user.sessionVersion + 1 });
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'PASSWORD_CHANGED' } })).toBe(0);
  });

  it('[STAFF] two changes sent at once with the same proof: one lands, the other changes nothing', async () => {
    const { user, actor } = await signedInWithTemporaryPassword();
    const results = await Promise.all(['first brass meadow lantern', 'second copper river lantern', 'third silver harbor lantern'].map((next) => change(actor, next)));
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok)).toHaveLength(2);
    // Each other one is told the password was just changed from another page (or, checked after it, that the old one is
    // no longer right): never to sign in again, nor that its own new password is now in use.
    for (const other of results.filter((result) => !result.ok)) {
      expect(other.message).toMatch(/^(Your password was changed a moment ago from another page, while this one was being sent|Your current password is not right)/);
    }
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'PASSWORD_CHANGED' } })).toBe(1);
    expect(await db().passwordHistory.count({ where: { userId: user.id } })).toBe(1);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).sessionVersion).toBe(user.sessionVersion + 1);
    expect(await resolveSession(actor.sessionId)).toMatchObject({ mustChangePassword: false });
  });

  it('[STAFF] the same rendering sent again after its first copy changed the password (a double press without JavaScript) is told it was changed once, and counts no failure', async () => {
    const { user, actor } = await signedInWithTemporaryPassword();
    const sent = { currentPassword: TEMPORARY, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD, formKey: formKeyFor(actor) };
    expect(await changeOwnPassword(actor, sent, '127.0.0.1')).toMatchObject({ ok: true });
    // The copy's session is read after the change: at the new version, the temporary password no longer the current one.
    const again = await changeOwnPassword((await resolveSession(actor.sessionId)) as AgencyActor, sent, '127.0.0.1');
    expect(again).toEqual({ ok: true, message: PASSWORD_CHANGED_DONE['password-changed-once'], secondFactorDue: false, done: 'password-changed-once' });
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: { in: ['PASSWORD_CHANGED', 'PASSWORD_CHANGE_FAILURE'] } } })).toBe(1);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(0);
    // Copies sent at once: one changes it, the others say it was changed once, none is checked against a password already gone.
    const next = { currentPassword: NEW_PASSWORD, newPassword: 'orchard quartz lantern meadow', confirmPassword: 'orchard quartz lantern meadow', formKey: formKeyFor(actor) };
    const copies = await Promise.all([0, 1, 2].map(async () => changeOwnPassword((await resolveSession(actor.sessionId)) as AgencyActor, next, '127.0.0.1')));
    expect(copies.map((copy) => copy.message).sort()).toEqual([PASSWORD_CHANGED_DONE['password-changed-once'], PASSWORD_CHANGED_DONE['password-changed-once'], 'Your password has been changed.']);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'PASSWORD_CHANGED' } })).toBe(2);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'PASSWORD_CHANGE_FAILURE' } })).toBe(0);
  });

  it('[STAFF] a copy is told what the first did, never that its own new password was set; from another session, or once the session moved on, only that it was done before (reviews r47b F1, r47c F6)', async () => {
    const { user, actor } = await signedInWithTemporaryPassword();
    const formKey = formKeyFor(actor);
    const sent = (newPassword: string, currentPassword = TEMPORARY) => ({ currentPassword, newPassword, confirmPassword: newPassword, formKey });
    expect(await changeOwnPassword(actor, sent(NEW_PASSWORD), '127.0.0.1')).toMatchObject({ ok: true, done: 'password-changed' });
    const now = async () => (await resolveSession(actor.sessionId)) as AgencyActor;
    // Another new password typed into the same rendering (edited between the presses): told the first one counts.
    expect(await changeOwnPassword(await now(), sent('orchard quartz lantern meadow'), '127.0.0.1')).toMatchObject({ ok: true, message: PASSWORD_CHANGED_DONE['password-changed-once'] });
    // A session opened after the change, sending the key with a wrong current password: not its rendering.
    const other = await signInAgencyUser({ providerCode: actor.agencyCode, loginName: actor.loginName, password: NEW_PASSWORD }, '127.0.0.1');
    if (!other.ok) throw new Error('sign-in failed');
    const otherActor = (await resolveSession(other.sessionId)) as AgencyActor;
    expect(await changeOwnPassword(otherActor, sent('orchard quartz lantern meadow', 'not the password'), '127.0.0.1')).toEqual(DONE_BEFORE_MOVED_ON);
    // The session moved on since (another change of its own): not told to send it again either.
    expect(await changeOwnPassword(await now(), { ...sent('orchard quartz lantern meadow', NEW_PASSWORD), formKey: formKeyFor(actor) }, '127.0.0.1')).toMatchObject({ ok: true });
    expect(await changeOwnPassword(await now(), sent(NEW_PASSWORD), '127.0.0.1')).toEqual(DONE_BEFORE_MOVED_ON);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'PASSWORD_CHANGE_FAILURE' } })).toBe(0);
  });

  it('[STAFF] a page drawn before another tab changed the password is told so, checked against nothing and counted nowhere (review r48c F3)', async () => {
    const { user, actor } = await signedInWithTemporaryPassword();
    const drawnAt = actor.resolvedAtVersion!;
    const fromTab = (newPassword: string, currentPassword: string, drawnAtVersion?: number, drawnFor: AgencyActor = actor) =>
      changePasswordSchema.parse({ currentPassword, newPassword, confirmPassword: newPassword, formKey: formKeyFor(drawnFor), ...(drawnAtVersion !== undefined && { drawnAtVersion: String(drawnAtVersion) }) });
    expect(await changeOwnPassword(actor, fromTab(NEW_PASSWORD, TEMPORARY, drawnAt), '127.0.0.1')).toMatchObject({ ok: true });
    const now = (await resolveSession(actor.sessionId)) as AgencyActor;
    // The other tab, drawn before, sends the password that was current then; or anything at all.
    expect(await changeOwnPassword(now, fromTab('orchard quartz lantern meadow', TEMPORARY, drawnAt), '127.0.0.1')).toEqual(DRAWN_BEFORE_A_CHANGE);
    expect(await changeOwnPassword(now, fromTab('orchard quartz lantern meadow', 'a guess at it', drawnAt), '127.0.0.1')).toEqual(DRAWN_BEFORE_A_CHANGE);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'PASSWORD_CHANGE_FAILURE' } })).toBe(0);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(0);
    // A page drawn now is checked as always; a script that sends no version too.
    expect(await changeOwnPassword(now, fromTab('orchard quartz lantern meadow', TEMPORARY), '127.0.0.1')).toMatchObject({ ok: false, fieldErrors: { currentPassword: expect.any(Array) } });
    expect(await changeOwnPassword(now, fromTab('orchard quartz lantern meadow', NEW_PASSWORD, now.resolvedAtVersion), '127.0.0.1')).toMatchObject({ ok: true });
    // The other tab's change committing while this one is on its way, after its session was read (review r48e F1).
    const racing = await signedInWithTemporaryPassword();
    const accountRead = db().user.findUniqueOrThrow.bind(db().user);
    const spy = vi.spyOn(db().user, 'findUniqueOrThrow').mockImplementationOnce((async (args: Parameters<typeof accountRead>[0]) => {
      expect(await changeOwnPassword(racing.actor, fromTab(NEW_PASSWORD, TEMPORARY, racing.actor.resolvedAtVersion, racing.actor), '127.0.0.1')).toMatchObject({ ok: true });
      return accountRead(args);
    }) as unknown as typeof accountRead);
    try {
      expect(await changeOwnPassword(racing.actor, fromTab('orchard quartz lantern meadow', TEMPORARY, racing.actor.resolvedAtVersion, racing.actor), '127.0.0.1')).toEqual(DRAWN_BEFORE_A_CHANGE);
    } finally {
      spy.mockRestore();
    }
    expect(await db().auditEvent.count({ where: { targetId: racing.user.id, action: 'PASSWORD_CHANGE_FAILURE' } })).toBe(0);
    // Only digits are a version.
    for (const drawnAtVersion of ['-1', '1e3', '0x1', ' 1', '1234567890']) {
      expect(changePasswordSchema.safeParse({ currentPassword: NEW_PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD, drawnAtVersion }).success, drawnAtVersion).toBe(false);
    }
  });

  it('[STAFF] a rendering refused (a wrong current password) may be sent again; another account’s rendering, sent or not, is refused as stale and checks nothing', async () => {
    const { user, actor } = await signedInWithTemporaryPassword();
    const formKey = formKeyFor(actor);
    const sent = (currentPassword: string) => ({ currentPassword, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD, formKey });
    expect(await changeOwnPassword(actor, sent('not the temporary one'), '127.0.0.1')).toMatchObject({ ok: false, fieldErrors: { currentPassword: expect.any(Array) } });
    expect(await changeOwnPassword(actor, sent(TEMPORARY), '127.0.0.1')).toMatchObject({ ok: true });
    const other = await signedInWithTemporaryPassword();
    expect(await changeOwnPassword(other.actor, sent(TEMPORARY), '127.0.0.1')).toEqual({ ok: false, message: 'Reload the page and send the form again.' });
    // A page drawn for one account and never sent, sent once another signed in on the same browser (a shared
    // computer), or a key made up by a script: not that account's rendering, and nothing checked (review r48e F3).
    for (const formKey of [formKeyFor(actor), newFormKey(), `${formKeyFor(other.actor).slice(0, 24)}${formKeyFor(actor).slice(24)}`]) {
      expect(await changeOwnPassword(other.actor, { ...sent('not their password'), formKey }, '127.0.0.1')).toEqual({ ok: false, message: 'Reload the page and send the form again.' });
    }
    expect((await db().user.findUniqueOrThrow({ where: { id: other.user.id } })).failedSignInCount).toBe(0);
    expect(await db().auditEvent.count({ where: { targetId: other.user.id, action: { in: ['PASSWORD_CHANGED', 'PASSWORD_CHANGE_FAILURE'] } } })).toBe(0);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'PASSWORD_CHANGE_FAILURE' } })).toBe(1);
  });

  it('refuses a new password that holds the temporary one, or half of it in a row, in any case and with anything put in', async () => {
    const { actor } = await signedInWithTemporaryPassword();
    const changedOne = `${TEMPORARY.slice(0, 15)}${TEMPORARY.endsWith('Z') ? 'Y' : 'Z'}`;
    for (const candidate of [
      TEMPORARY.toLowerCase(),
      `${TEMPORARY.toLowerCase()} again`,
      `My ${TEMPORARY.slice(0, 8)} ${TEMPORARY.slice(8)}`,
      `${TEMPORARY.slice(0, 8)}-${TEMPORARY.slice(8)}`,
      `${TEMPORARY.slice(0, 8)}.${TEMPORARY.slice(8)} x`,
      changedOne,
      `harbour ${TEMPORARY.slice(4, 12)} lantern`,
      `${TEMPORARY.slice(0, 4)}-${TEMPORARY.slice(4, 8)}-${TEMPORARY.slice(8, 12)}-${TEMPORARY.slice(12)}`,
    ]) {
      expect((await change(actor, candidate)).fieldErrors?.newPassword, candidate).toEqual([
        'Choose a password that does not contain your temporary one, or a large part of it.',
      ]);
    }
  });

  it('[STAFF] a temporary password that expired since sign-in no longer completes the change', async () => {
    const { user, actor } = await signedInWithTemporaryPassword();
    await db().user.update({ where: { id: user.id }, data: { temporaryPasswordExpiresAt: new Date(Date.now() - 1_000) } });
    const result = await change(actor, NEW_PASSWORD);
    expect(result.fieldErrors?.currentPassword).toEqual(['Your temporary password has expired, or a reset link sent to your e-mail address replaced it. Use the newest link if you have one; otherwise ask your provider administrator for a new one.']);
    expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ passwordHash: user.passwordHash, mustChangePassword: true });
  });

  it.runIf(databaseKind(process.env.DATABASE_URL!) === 'postgresql')(
    '[STAFF] a reset link sent while the change proved with the temporary password was in flight: the change is refused, and the link stays live (review r37b F1)',
    async () => {
      const { user, actor } = await signedInWithTemporaryPassword();
      // What issueResetLink writes: the temporary password ends, a link is live.
      const sendLink = {
        sql: `WITH ended AS (UPDATE "User" SET "temporaryPasswordExpiresAt" = now() WHERE "id" = $1 AND "mustChangePassword" RETURNING "id")
              INSERT INTO "PasswordResetToken" ("id", "userId", "tokenHash", "purpose", "expiresAt") SELECT 'link-' || "id", "id", 'hash-' || "id", 'ADMIN_LINK', now() + interval '1 hour' FROM ended`,
        params: [user.id],
      };
      const raced = await whileCompetingTransactionHolds({ holds: { sql: 'SELECT "id" FROM "User" WHERE "id" = $1 FOR UPDATE', params: [user.id] }, then: sendLink }, () =>
        change(actor, NEW_PASSWORD),
      );
      expect(raced.fieldErrors?.currentPassword).toEqual([
        'Your temporary password has expired, or a reset link sent to your e-mail address replaced it. Use the newest link if you have one; otherwise ask your provider administrator for a new one.',
      ]);
      expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ passwordHash: user.passwordHash, mustChangePassword: true });
      expect((await db().passwordResetToken.findUniqueOrThrow({ where: { id: `link-${user.id}` } })).expiresAt.getTime()).toBeGreaterThan(Date.now());
      expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'PASSWORD_CHANGED' } })).toBe(0);
    },
  );

  it.runIf(databaseKind(process.env.DATABASE_URL!) === 'postgresql')(
    '[STAFF] a reset link sent from an instance whose clock runs ahead, while the change was in flight: refused all the same (review r37c F2)',
    async () => {
      const { user, actor } = await signedInWithTemporaryPassword();
      // The link's instance wrote its own time, 5 s ahead of this one's: still in this one's future.
      const sendLinkAhead = {
        sql: `WITH ended AS (UPDATE "User" SET "temporaryPasswordExpiresAt" = clock_timestamp() + interval '5 seconds' WHERE "id" = $1 AND "mustChangePassword" RETURNING "id")
              INSERT INTO "PasswordResetToken" ("id", "userId", "tokenHash", "purpose", "expiresAt") SELECT 'link-' || "id", "id", 'hash-' || "id", 'ADMIN_LINK', now() + interval '1 hour' FROM ended`,
        params: [user.id],
      };
      const raced = await whileCompetingTransactionHolds({ holds: { sql: 'SELECT "id" FROM "User" WHERE "id" = $1 FOR UPDATE', params: [user.id] }, then: sendLinkAhead }, () =>
        change(actor, NEW_PASSWORD),
      );
      expect(raced.fieldErrors?.currentPassword?.[0]).toMatch(/^Your temporary password has expired, or a reset link/);
      expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ passwordHash: user.passwordHash, mustChangePassword: true });
      expect((await db().passwordResetToken.findUniqueOrThrow({ where: { id: `link-${user.id}` } })).expiresAt.getTime()).toBeGreaterThan(Date.now());
    },
  );

  it.runIf(databaseKind(process.env.DATABASE_URL!) === 'postgresql')(
    '[STAFF] a factor change from another tab of this session while the change was in flight: told nothing was changed, not that the new password is in use (review r37c F1)',
    async () => {
      const { user, actor } = await signedInWithTemporaryPassword();
      const factorChange = factorChangeInThisSession(user.id, actor.sessionId);
      const raced = await whileCompetingTransactionHolds({ holds: { sql: 'SELECT "id" FROM "User" WHERE "id" = $1 FOR UPDATE', params: [user.id] }, then: factorChange }, () =>
        change(actor, NEW_PASSWORD),
      );
      expect(raced).toEqual(SIGNED_OUT_MEANWHILE);
      expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ passwordHash: user.passwordHash, mustChangePassword: true });
      expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'PASSWORD_CHANGED' } })).toBe(0);
    },
  );

  it.runIf(databaseKind(process.env.DATABASE_URL!) === 'postgresql')(
    '[STAFF] a factor change from another tab that lands just before the write, after the session was read: told nothing was changed all the same',
    async () => {
      const { user, actor } = await signedInWithTemporaryPassword();
      const factorChange = factorChangeInThisSession(user.id, actor.sessionId);
      // A key-share lock lets the attempt's own updates of the row by and stops only the write's hold of it
      // (lockRow): the factor change commits after the change read its session, before it writes.
      const keyShare = { sql: 'SELECT "id" FROM "User" WHERE "id" = $1 FOR KEY SHARE', params: [user.id] };
      const raced = await whileCompetingTransactionHolds({ holds: keyShare, then: factorChange }, () => change(actor, NEW_PASSWORD));
      expect(raced).toEqual(SIGNED_OUT_MEANWHILE);
      expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ passwordHash: user.passwordHash, mustChangePassword: true });
      expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'PASSWORD_CHANGED' } })).toBe(0);
    },
  );

  it('refuses any of the last 5 passwords', async () => {
    const { actor } = await signedInWithTemporaryPassword();
    const passwords = ['amber falcon river one', 'amber falcon river two', 'amber falcon river three'];
    let current = TEMPORARY;
    for (const next of passwords) {
      expect((await change(actor, next, current)).ok).toBe(true);
      current = next;
    }
    const reuse = await change(actor, passwords[0]!, current);
    expect(reuse.fieldErrors?.newPassword).toEqual(['Choose a password you have not used recently.']);
  });

  it('audits the change without any secret', async () => {
    const { user, actor } = await signedInWithTemporaryPassword();
    await change(actor, NEW_PASSWORD);
    const events = await db().auditEvent.findMany({ where: { targetId: user.id, action: 'PASSWORD_CHANGED' } });
    expect(events).toHaveLength(1);
    const text = JSON.stringify(events);
    expect(text).not.toContain(NEW_PASSWORD);
    expect(text).not.toContain(TEMPORARY);
  });
});

describe('password history', () => {
  it('keeps the most any policy may look back at, newest first, and forgets the older ones', async () => {
    const agency = await createAgency(db());
    const user = await createUser(db(), agency.id, NEW_PASSWORD);
    const keep = POLICY_BOUNDS.passwordHistoryCount.max;
    for (let i = 0; i < keep + 3; i++) await db().$transaction((tx) => rememberPassword(tx, user.id, `hash-${i}`));

    const rows = await db().passwordHistory.findMany({ where: { userId: user.id }, select: { passwordHash: true } });
    expect(rows.map((row) => row.passwordHash).sort()).toEqual(Array.from({ length: keep }, (_, i) => `hash-${i + 3}`).sort());
  });
});

describe('where a password change lands', () => {
  // The action sends the session on to add a factor when the change says one is due; the session resolver
  // must say the same of the session after the change (lib/auth/access.ts 'enrolment-required'): the two cannot drift (review r45b F2).
  const nothing = async () => {};
  it.each([
    ['STAFF, no rule', false, 'STAFF', nothing],
    [
      'STAFF of an agency requiring a second factor, with none',
      true,
      'STAFF',
      (_userId: string, agencyId: string) => db().agency.update({ where: { id: agencyId }, data: { requireSecondFactorForAllStaff: true } }),
    ],
    ['PROVIDER_ADMIN with no factor', true, 'PROVIDER_ADMIN', nothing],
    ['PROVIDER_ADMIN with an app', false, 'PROVIDER_ADMIN', (userId: string) => addTotpFactor(db(), { userId })],
    [
      'SUPER_ADMIN held to passkeys, with an app but no passkey',
      true,
      'SUPER_ADMIN',
      async (userId: string, agencyId: string) => {
        await addTotpFactor(db(), { userId });
        await db().agency.update({ where: { id: agencyId }, data: { requirePasskeyForAdmins: true } });
      },
    ],
  ] as const)('%s: a factor due: %s', async (_who, due, role, then) => {
    const agency = await createAgency(db());
    const user = await createUser(db(), agency.id, TEMPORARY, { role }, { expiresAt: new Date(Date.now() + 3600_000) });
    const signedIn = await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: TEMPORARY }, '127.0.0.1');
    if (!signedIn.ok) throw new Error('sign-in failed');
    await then(user.id, agency.id);
    const result = await change((await resolveSession(signedIn.sessionId)) as AgencyActor, NEW_PASSWORD);
    expect(result).toMatchObject({ ok: true, secondFactorDue: due });
    const after = await resolveSession(signedIn.sessionId);
    expect(decideAccess(after!, { principal: 'agency' }) === 'enrolment-required').toBe(due);
  });

  it.runIf(databaseKind(process.env.DATABASE_URL!) === 'sqlite')(
    '[STAFF] a rule the agency turned on while the password was changed is read after the change: the person is sent on to add a factor (review r45b F3)',
    async () => {
      const agency = await createAgency(db());
      const user = await createUser(db(), agency.id, TEMPORARY, {}, { expiresAt: new Date(Date.now() + 3600_000) });
      const signedIn = await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: TEMPORARY }, '127.0.0.1');
      if (!signedIn.ok) throw new Error('sign-in failed');
      const actor = (await resolveSession(signedIn.sessionId)) as AgencyActor;
      // An admin's save of the rule, committed with the change (after the change read the account).
      await db().$executeRawUnsafe(
        `CREATE TRIGGER rule_saved_meanwhile AFTER UPDATE OF passwordHash ON "User" WHEN NEW.id = '${user.id}' BEGIN UPDATE "Agency" SET requireSecondFactorForAllStaff = 1 WHERE id = '${agency.id}'; END`,
      );
      try {
        expect(await change(actor, NEW_PASSWORD)).toMatchObject({ ok: true, secondFactorDue: true });
      } finally {
        await db().$executeRawUnsafe('DROP TRIGGER rule_saved_meanwhile');
      }
    },
  );
});
