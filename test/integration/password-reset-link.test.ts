import { describe, expect, it } from 'vitest';
import { changeUserRole } from '@/lib/admin/change-user-role';
import { clearUserSecondFactors } from '@/lib/admin/clear-user-second-factors';
import { issueTemporaryPassword } from '@/lib/admin/issue-temporary-password';
import { sendResetLink } from '@/lib/admin/send-reset-link';
import { setUserStatus } from '@/lib/admin/set-user-status';
import { changeOwnPassword } from '@/lib/auth/change-own-password';
import { resolveSession, type AgencyActor } from '@/lib/auth/session';
import { signInAgencyUser } from '@/lib/auth/sign-in';
import { db } from '@/lib/db/client';
import { databaseKind } from '@/lib/db/kind';
import { getResetLinkDetails, getResetLinkState } from '@/lib/password-reset/get-reset-link-state';
import { issueResetLink, revokeResetLinksOf, revokeResetLinksOfRequest } from '@/lib/password-reset/issue-reset-link';
import { LINK_INVALID_MESSAGE, resetPasswordWithLink } from '@/lib/password-reset/reset-password-with-link';
import { hashSecretToken } from '@/lib/password-reset/secret-token';
import { newFormKey } from '@/lib/http/form-key';
import { argon2VerifiesDone, hashPassword } from '@/lib/password/hash';
import { rememberPassword } from '@/lib/password/history';
import { lapseApprovals } from '@/lib/super-admin/lapse-approval';
import { addTotpFactor, createAgency, createUser } from '@/prisma/factories';
import { queuedBehindHeldRow, TAKE_AUDIT_HEAD, whileCompetingTransactionHolds } from '../support/competing-transaction';
import { approvedRequest, expectOk, mailsTo, NEW_PASSWORD, PASSWORD, someIp } from './super-admin-fixtures';
import { formKeyFor } from '../support/form-key-for';
import { codeOfAppHeldBefore } from '../support/next-totp-code';

async function staffWithLink(options: { lifetimeHours?: number } = {}) {
  const agency = await createAgency(db(), { name: 'Riverbend Care' });
  const user = await createUser(db(), agency.id, PASSWORD, { displayName: 'Robin Quill', email: 'robin@riverbend.example' });
  const link = await db().$transaction((tx) =>
    issueResetLink(tx, { userId: user.id, purpose: 'ADMIN_LINK', issuedById: 'some-admin', lifetimeHours: options.lifetimeHours ?? 24 }),
  );
  return { agency, user, ...link };
}

const reset = (token: string, password = NEW_PASSWORD, confirm = password) => resetPasswordWithLink(token, password, confirm, someIp());

async function adminOf(agency: { id: string; code: string }) {
  const admin = await createUser(db(), agency.id, PASSWORD, { role: 'SUPER_ADMIN' });
  const signedIn = await signInAgencyUser({ providerCode: agency.code, loginName: admin.loginName, password: PASSWORD }, someIp());
  if (!signedIn.ok) throw new Error('sign-in failed');
  // The admin's own second factor is not what this is about: the session stands in for a full one.
  await db().authSession.update({ where: { id: signedIn.sessionId }, data: { secondFactorPending: false } });
  return (await resolveSession(signedIn.sessionId)) as AgencyActor;
}

describe('issuing a reset link', () => {
  it('stores only the SHA-256 of a 256-bit token, valid for the agency’s lifetime', async () => {
    const { user, token, expiresAt } = await staffWithLink({ lifetimeHours: 6 });
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const rows = await db().passwordResetToken.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(hashSecretToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(Math.abs(expiresAt.getTime() - (Date.now() + 6 * 3600_000))).toBeLessThan(5_000);
  });

  it('ends any earlier unused link of the same user', async () => {
    const { user, token: first } = await staffWithLink();
    const second = await db().$transaction((tx) => issueResetLink(tx, { userId: user.id, purpose: 'ADMIN_LINK', lifetimeHours: 24 }));
    expect(await getResetLinkState(first)).toBe('invalid');
    expect(await getResetLinkState(second.token)).toBe('valid');
  });

  it('refuses a lifetime outside 1–24 hours, and never outlives `notAfter`', async () => {
    const { user } = await staffWithLink();
    await expect(db().$transaction((tx) => issueResetLink(tx, { userId: user.id, purpose: 'ADMIN_LINK', lifetimeHours: 25 }))).rejects.toThrow(RangeError);
    const notAfter = new Date(Date.now() + 3600_000);
    const capped = await db().$transaction((tx) => issueResetLink(tx, { userId: user.id, purpose: 'ADMIN_LINK', lifetimeHours: 24, notAfter }));
    expect(capped.expiresAt).toEqual(notAfter);
  });
});

describe('using a reset link', () => {
  it('is valid until used, and reading it never uses it up', async () => {
    const { token } = await staffWithLink();
    expect(await getResetLinkState(token)).toBe('valid');
    expect(await getResetLinkState(token)).toBe('valid');
    expect(await getResetLinkDetails(token)).toMatchObject({ minPasswordLength: 15 });
  });

  it.each([
    ['unknown', 'A'.repeat(43)],
    ['malformed', 'not-a-token'],
    ['empty', ''],
  ])('gives the one “cannot be used” answer for an %s link', async (_label, token) => {
    expect(await getResetLinkState(token)).toBe('invalid');
    expect(await reset(token)).toEqual({ ok: false, linkInvalid: true, message: LINK_INVALID_MESSAGE });
  });

  it('gives the same answer for an expired link', async () => {
    const { token } = await staffWithLink();
    await db().passwordResetToken.update({ where: { tokenHash: hashSecretToken(token) }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect(await getResetLinkState(token)).toBe('invalid');
    expect(await reset(token)).toEqual({ ok: false, linkInvalid: true, message: LINK_INVALID_MESSAGE });
  });

  it('[STAFF with a link] sets a new password: history kept, every session ended, account unlocked, forced change cleared', async () => {
    const { agency, user, token } = await staffWithLink();
    const signedIn = await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: PASSWORD }, someIp());
    if (!signedIn.ok) throw new Error('sign-in failed');
    await db().user.update({
      where: { id: user.id },
      data: { hardLockedAt: new Date(), failedSignInCount: 20, lockedUntil: new Date(Date.now() + 60_000), mustChangePassword: true },
    });

    expect(await reset(token)).toEqual({ ok: true, message: expect.any(String), account: { kind: 'user', id: user.id, version: user.sessionVersion + 1 } });
    const after = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after).toMatchObject({
      hardLockedAt: null,
      lockedUntil: null,
      failedSignInCount: 0,
      mustChangePassword: false,
      temporaryPasswordExpiresAt: null,
      sessionVersion: user.sessionVersion + 1,
    });
    expect(await db().passwordHistory.count({ where: { userId: user.id } })).toBe(2);
    expect(await mailsTo(user.email!, 'password-changed')).toHaveLength(1);
    // Ended by the reset itself, and said so in its record, not only refused when next seen (review r53c F3).
    expect((await db().authSession.findUniqueOrThrow({ where: { id: signedIn.sessionId } })).endedAt).not.toBeNull();
    const record = await db().auditEvent.findFirstOrThrow({ where: { targetId: user.id, action: 'PASSWORD_RESET_WITH_LINK' } });
    expect(JSON.parse(record.details!)).toMatchObject({ sessionsEnded: 1, wasLocked: true });
    expect(await resolveSession(signedIn.sessionId)).toBeNull();

    expect((await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: PASSWORD }, someIp())).ok).toBe(false);
    expect((await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: NEW_PASSWORD }, someIp())).ok).toBe(true);

    expect(await getResetLinkState(token)).toBe('invalid');
    expect(await reset(token, 'another fine passphrase here')).toMatchObject({ ok: false, linkInvalid: true });
  });

  it.each([
    ['too short', 'short one', 'Password must be at least 15 characters'],
    ['common', '1qaz2wsx3edc4rfv', 'This password is too common'],
    ['the person’s name', 'robin quill forever more', 'must not contain your name'],
    ['the current one', PASSWORD, 'Choose a password you have not used recently.'],
  ])('refuses a password that is %s and leaves the link usable', async (_label, candidate, message) => {
    const { token } = await staffWithLink();
    const result = await reset(token, candidate);
    expect(result.ok).toBe(false);
    expect(result.fieldErrors?.newPassword?.join(' ')).toContain(message);
    expect(await getResetLinkState(token)).toBe('valid');
  });

  it('refuses a password of the account’s history (not only the current one), leaves the link usable, and takes a fresh one (review r53c F1)', async () => {
    const { user, token } = await staffWithLink();
    const earlier = 'amber falcon river lantern';
    const earlierHash = await hashPassword(earlier);
    await db().$transaction((tx) => rememberPassword(tx, user.id, earlierHash));
    const refused = await reset(token, earlier);
    expect(refused.fieldErrors?.newPassword).toEqual(['Choose a password you have not used recently.']);
    expect(await getResetLinkState(token)).toBe('valid');
    expect((await reset(token)).ok).toBe(true);
  });

  it('refuses a confirmation that does not match, without using the link', async () => {
    const { token } = await staffWithLink();
    const result = await reset(token, NEW_PASSWORD, 'something else entirely');
    expect(result.fieldErrors?.confirmPassword).toEqual(['The passwords do not match. Type the new password again.']);
    expect(await getResetLinkState(token)).toBe('valid');
  });

  it('[STAFF] pressing Set new password twice without JavaScript: both copies of the page are told it is set, set once; another page’s is refused (review r53d F5)', async () => {
    const { user, token } = await staffWithLink();
    const formKey = newFormKey();
    const copies = await Promise.all([1, 2].map(() => resetPasswordWithLink(token, NEW_PASSWORD, NEW_PASSWORD, someIp(), formKey)));
    expect(copies.map((copy) => copy.ok)).toEqual([true, true]);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'PASSWORD_RESET_WITH_LINK' } })).toBe(1);
    // A copy after the first committed, the same; a form of another rendering finds the link used, as before.
    expect(await resetPasswordWithLink(token, NEW_PASSWORD, NEW_PASSWORD, someIp(), formKey)).toEqual({ ok: true, message: expect.any(String) });
    expect(await resetPasswordWithLink(token, NEW_PASSWORD, NEW_PASSWORD, someIp(), newFormKey())).toMatchObject({ ok: false, linkInvalid: true });
    // A copy from that page with another password (typed again after an answer that never came) is told it is set,
    // like the first: the done page says only one of them is (review r53e F3, r54a F1).
    expect(await resetPasswordWithLink(token, 'another phrase entirely new', 'another phrase entirely new', someIp(), formKey)).toEqual({ ok: true, message: expect.any(String) });
    // The key of this link's page says nothing for another link.
    const other = await staffWithLink();
    expect(await resetPasswordWithLink(other.token, 'a completely fresh phrase', 'a completely fresh phrase', someIp(), formKey)).toMatchObject({ ok: true });
    expect(await db().auditEvent.count({ where: { targetId: other.user.id, action: 'PASSWORD_RESET_WITH_LINK' } })).toBe(1);
  });

  it('[STAFF] a copy of the used page tells nothing of the account’s password: the same answer for the one it has now and any other, no verify, nothing counted (review r54a F1)', async () => {
    const { user, token } = await staffWithLink();
    const formKey = newFormKey();
    expect(await resetPasswordWithLink(token, NEW_PASSWORD, NEW_PASSWORD, someIp(), formKey)).toMatchObject({ ok: true });
    // The owner changes it since, to a password the holder of the used page would like to confirm.
    const now = 'violet canyon humble orchard';
    await db().user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(now) } });
    const verifiesBefore = argon2VerifiesDone();
    const answers = await Promise.all([now, NEW_PASSWORD, 'a guess that is wrong'].map((guess) => resetPasswordWithLink(token, guess, guess, someIp(), formKey)));
    expect(answers).toEqual([0, 1, 2].map(() => ({ ok: true, message: answers[0]!.message })));
    expect(argon2VerifiesDone()).toBe(verifiesBefore);
    const after = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.failedSignInCount).toBe(0);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'PASSWORD_RESET_WITH_LINK' } })).toBe(1);
  });

  it('[two submits at once] exactly one sets the password', async () => {
    const { agency, user, token } = await staffWithLink();
    const results = await Promise.all([
      reset(token, 'first racer picks this phrase'),
      reset(token, 'second racer picks this one'),
      reset(token, 'third racer wants a turn too'),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => r.linkInvalid)).toHaveLength(2);
    expect(await db().passwordHistory.count({ where: { userId: user.id } })).toBe(2);
    const winner = ['first racer picks this phrase', 'second racer picks this one', 'third racer wants a turn too'][results.findIndex((r) => r.ok)]!;
    expect((await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: winner }, someIp())).ok).toBe(true);
  });

  it('does not work for a disabled account', async () => {
    const { user, token } = await staffWithLink();
    await db().user.update({ where: { id: user.id }, data: { status: 'DISABLED' } });
    expect(await getResetLinkState(token)).toBe('invalid');
    expect((await reset(token)).linkInvalid).toBe(true);
  });

  it('[SUPER_ADMIN with an approved request’s link] completes the request; a receipt goes to the addresses on record', async () => {
    const { request, admin, others, token } = await approvedRequest({ otherAdmins: 1 });
    expect(await reset(token)).toMatchObject({ ok: true });
    const after = await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(after.state).toBe('COMPLETED');
    expect(after.completedAt).not.toBeNull();
    expect(await mailsTo(admin.email!, 'super-admin-reset-completed')).toHaveLength(1);
    expect(await mailsTo(others[0]!.email!, 'super-admin-reset-completed')).toHaveLength(1);
    expect(await mailsTo(admin.email!, 'password-changed')).toHaveLength(0);
    const audits = await db().auditEvent.findMany({ where: { actorId: admin.id, action: { in: ['PASSWORD_RESET_WITH_LINK', 'SUPER_ADMIN_RESET_COMPLETED'] } } });
    expect(audits.map((a) => a.action).sort()).toEqual(['PASSWORD_RESET_WITH_LINK', 'SUPER_ADMIN_RESET_COMPLETED']);
    expect(await getResetLinkState(token)).toBe('invalid');
  });

  it('[SUPER_ADMIN] a link whose request is no longer approved cannot be used', async () => {
    const { request, token } = await approvedRequest();
    await db().superAdminResetRequest.update({ where: { id: request.id }, data: { state: 'REJECTED' } });
    expect(await getResetLinkState(token)).toBe('invalid');
    expect((await reset(token)).linkInvalid).toBe(true);
  });

  it('audits refused links without the token', async () => {
    const ip = someIp();
    const token = 'B'.repeat(43);
    await resetPasswordWithLink(token, NEW_PASSWORD, NEW_PASSWORD, ip);
    const [event] = await db().auditEvent.findMany({ where: { ip, action: 'RESET_LINK_REFUSED' } });
    expect(event).toMatchObject({ outcome: 'DENIED', actorType: 'ANONYMOUS' });
    expect(JSON.stringify(event)).not.toContain(token);
    expect(JSON.stringify(event)).not.toContain(hashSecretToken(token));
  });
});

describe('a link outlives no change that ends the account’s sessions', () => {
  it('[STAFF] changing their own password', async () => {
    const { agency, user, token } = await staffWithLink();
    const signedIn = await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: PASSWORD }, someIp());
    if (!signedIn.ok) throw new Error('sign-in failed');
    const actor = (await resolveSession(signedIn.sessionId)) as AgencyActor;
    expect(await changeOwnPassword(actor, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, someIp())).toMatchObject({ ok: true });
    expect(await getResetLinkState(token)).toBe('invalid');
    expect((await reset(token, 'someone else picks this one')).linkInvalid).toBe(true);
  });

  it('[PROVIDER_ADMIN] disabling the account: enabling it again does not bring the link back', async () => {
    const { agency, user, token } = await staffWithLink();
    const admin = await adminOf(agency);
    await expectOk(setUserStatus(admin, { userId: user.id, status: 'DISABLED' }, someIp()));
    await expectOk(setUserStatus(admin, { userId: user.id, status: 'ACTIVE' }, someIp()));
    expect(await getResetLinkState(token)).toBe('invalid');
    expect((await reset(token)).linkInvalid).toBe(true);
  });

  it('[SUPER_ADMIN] changing the account’s role', async () => {
    const { agency, user, token } = await staffWithLink();
    const admin = await adminOf(agency);
    await addTotpFactor(db(), { userId: user.id });
    await expectOk(changeUserRole(admin, { userId: user.id, role: 'PROVIDER_ADMIN', confirm: 'yes', from: 'STAFF', code: await codeOfAppHeldBefore({ userId: admin.userId }) }, someIp()));
    expect((await reset(token)).linkInvalid).toBe(true);
  });

  it('[PROVIDER_ADMIN] clearing the account’s second factors', async () => {
    const { agency, user, token } = await staffWithLink();
    const admin = await adminOf(agency);
    const { sessionVersion } = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    await expectOk(clearUserSecondFactors(admin, { userId: user.id, expectedVersion: sessionVersion, code: await codeOfAppHeldBefore({ userId: admin.userId }) }, someIp()));
    expect((await reset(token)).linkInvalid).toBe(true);
  });

  it('[PROVIDER_ADMIN] a temporary password', async () => {
    const { agency, user, token } = await staffWithLink();
    const admin = await adminOf(agency);
    const { sessionVersion } = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    await expectOk(issueTemporaryPassword(admin, { userId: user.id, expectedVersion: sessionVersion }, someIp()));
    expect((await reset(token)).linkInvalid).toBe(true);
  });
});

describe('a link ended by an instance whose clock runs ahead of the one that reads it (decision 005 addendum)', () => {
  // The change ended the link at its own time, which is still ahead on this instance's clock: only the
  // mark it left can tell the link is over.
  const ahead = () => new Date(Date.now() + 60_000);

  it('an account’s links (a new link, a disable, a password set another way): the page and the use refuse it', async () => {
    const { user, token } = await staffWithLink();
    expect(await db().$transaction((tx) => revokeResetLinksOf(tx, user.id, ahead()))).toBe(1);
    expect(await getResetLinkState(token)).toBe('invalid');
    const since = (await db().auditEvent.aggregate({ _max: { seq: true } }))._max.seq ?? 0;
    expect((await reset(token)).linkInvalid).toBe(true);
    const refused = await db().auditEvent.findFirstOrThrow({ where: { action: 'RESET_LINK_REFUSED', seq: { gt: since } } });
    expect(JSON.parse(refused.details!)).toEqual({ reason: 'link ended' });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(user.passwordHash);
  });

  it('an approved request’s link (its request cancelled or expired): refused, and the approval lapses at once', async () => {
    const { request, token } = await approvedRequest();
    expect(await db().$transaction((tx) => revokeResetLinksOfRequest(tx, request.id, ahead()))).toBe(1);
    expect(await getResetLinkState(token)).toBe('invalid');
    expect((await reset(token)).linkInvalid).toBe(true);
    expect(await lapseApprovals()).toBeGreaterThanOrEqual(1);
    expect((await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).state).toBe('EXPIRED');
  });
});

describe.skipIf(databaseKind(process.env.DATABASE_URL!) !== 'postgresql')('a link used while another change holds its rows (PostgreSQL)', () => {
  const linkInvalid = { ok: false, linkInvalid: true, message: LINK_INVALID_MESSAGE };
  // Why each use since `seq` was refused: one that lost the race, not one that read the link already ended.
  const lastAuditSeq = async () => (await db().auditEvent.aggregate({ _max: { seq: true } }))._max.seq ?? 0;
  const refusalsSince = async (seq: number) =>
    (await db().auditEvent.findMany({ where: { action: 'RESET_LINK_REFUSED', seq: { gt: seq } }, orderBy: { seq: 'asc' } })).map((record) => JSON.parse(record.details!).reason);

  it('an admin’s reset of the account (its row, then its links): the link waits, then finds itself used', async () => {
    const { user, token } = await staffWithLink();
    const used = await whileCompetingTransactionHolds(
      {
        holds: { sql: 'SELECT "id" FROM "User" WHERE "id" = $1 FOR UPDATE', params: [user.id] },
        then: { sql: 'UPDATE "PasswordResetToken" SET "usedAt" = now() WHERE "userId" = $1 AND "usedAt" IS NULL', params: [user.id] },
      },
      () => reset(token),
    );
    expect(used).toEqual(linkInvalid);
  });

  it('a cancel or expiry of the request (its row, then its links): the link waits, then finds itself revoked', async () => {
    const { request, token } = await approvedRequest();
    const used = await whileCompetingTransactionHolds(
      {
        holds: { sql: 'SELECT "id" FROM "SuperAdminResetRequest" WHERE "id" = $1 FOR UPDATE', params: [request.id] },
        then: { sql: 'UPDATE "PasswordResetToken" SET "expiresAt" = now() WHERE "requestId" = $1 AND "usedAt" IS NULL', params: [request.id] },
      },
      () => reset(token),
    );
    expect(used).toEqual(linkInvalid);
  });

  it('a revocation from an instance whose clock runs ahead, while the use waits: the link is refused all the same (review r38d F2)', async () => {
    const { user, token } = await staffWithLink();
    const since = await lastAuditSeq();
    const used = await whileCompetingTransactionHolds(
      {
        holds: { sql: 'SELECT "id" FROM "User" WHERE "id" = $1 FOR UPDATE', params: [user.id] },
        then: { sql: `UPDATE "PasswordResetToken" SET "expiresAt" = clock_timestamp() + interval '5 seconds' WHERE "userId" = $1 AND "usedAt" IS NULL`, params: [user.id] },
      },
      () => reset(token),
    );
    expect(used).toEqual(linkInvalid);
    expect(await refusalsSince(since)).toEqual(['link used or revoked meanwhile']);
  });

  it('[SUPER_ADMIN] a use that waited for its request’s row past the link’s end is refused: it is judged when it goes through (review r40d F1)', async () => {
    const { request, token } = await approvedRequest();
    const endsAt = new Date(Date.now() + 4_000);
    await db().passwordResetToken.updateMany({ where: { requestId: request.id }, data: { expiresAt: endsAt } });
    const since = await lastAuditSeq();
    const used = await whileCompetingTransactionHolds(
      {
        holds: { sql: 'SELECT "id" FROM "SuperAdminResetRequest" WHERE "id" = $1 FOR UPDATE', params: [request.id] },
        // No change to anything: only the link's end passes while the use waits.
        then: { meanwhile: () => new Promise((resolve) => setTimeout(resolve, Math.max(0, endsAt.getTime() - Date.now()) + 20)) },
      },
      () => reset(token),
    );
    expect(used).toEqual(linkInvalid);
    expect(await refusalsSince(since)).toEqual(['link used or revoked meanwhile']);
    expect((await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).state).toBe('APPROVED');
  });

  // A change that revokes the link commits while the use waits for the account's row: the revocation's time
  // is later than any the use read before it waited, and the use must lose all the same (review r38a F1).
  const holdAccount = (userId: string) => ({ sql: 'SELECT "id" FROM "User" WHERE "id" = $1 FOR UPDATE', params: [userId] });
  const liveLinks = (userId: string) => db().passwordResetToken.count({ where: { userId, usedAt: null, expiresAt: { gt: new Date() } } });

  it('[PROVIDER_ADMIN] sends a new link while the old one is used: the old one loses, the new one lives (review r38a F1)', async () => {
    const { agency, user, token } = await staffWithLink();
    const since = await lastAuditSeq();
    const admin = await adminOf(agency);
    const [sent, used] = await queuedBehindHeldRow(holdAccount(user.id), [
      () => sendResetLink(admin, { userId: user.id, formKey: formKeyFor(admin) }, someIp()),
      () => reset(token),
    ]);
    expect(sent).toMatchObject({ ok: true });
    expect(used).toEqual(linkInvalid);
    expect(await refusalsSince(since)).toEqual(['link used or revoked meanwhile']);
    expect(await liveLinks(user.id)).toBe(1);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'PASSWORD_RESET_WITH_LINK', outcome: 'SUCCESS' } })).toBe(0);
  });

  it('[PROVIDER_ADMIN] disables the account while its link is used: no password is set on the disabled account (review r38a F1)', async () => {
    const { agency, user, token } = await staffWithLink();
    const since = await lastAuditSeq();
    const admin = await adminOf(agency);
    const [disabled, used] = await queuedBehindHeldRow(holdAccount(user.id), [() => setUserStatus(admin, { userId: user.id, status: 'DISABLED' }, someIp()), () => reset(token)]);
    expect(disabled).toMatchObject({ ok: true });
    expect(used).toEqual(linkInvalid);
    expect(await refusalsSince(since)).toEqual(['link used or revoked meanwhile']);
    expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ status: 'DISABLED', passwordHash: user.passwordHash });
  });

  it('[STAFF] changes their own password while their link is used: the change stands (review r38a F1)', async () => {
    const { agency, user, token } = await staffWithLink();
    const since = await lastAuditSeq();
    const signedIn = await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: PASSWORD }, someIp());
    if (!signedIn.ok) throw new Error('sign-in failed');
    const owner = (await resolveSession(signedIn.sessionId)) as AgencyActor;
    // A key share lets the change's attempt update the row and stops its write's hold (lockRow), the link's behind it.
    const [changed, used] = await queuedBehindHeldRow({ sql: 'SELECT "id" FROM "User" WHERE "id" = $1 FOR KEY SHARE', params: [user.id] }, [
      () => changeOwnPassword(owner, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, someIp()),
      () => reset(token, 'someone else picks this one'),
    ]);
    expect(changed).toMatchObject({ ok: true });
    expect(used).toEqual(linkInvalid);
    expect(await refusalsSince(since)).toEqual(['link used or revoked meanwhile']);
    expect((await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: NEW_PASSWORD }, someIp())).ok).toBe(true);
  });

  it('a help request from the same account (a key-share on it, then the audit chain): the link waits, then completes', async () => {
    const { request, admin, token } = await approvedRequest();
    const used = await whileCompetingTransactionHolds(
      { holds: { sql: 'SELECT "id" FROM "User" WHERE "id" = $1 FOR KEY SHARE', params: [admin.id] }, then: TAKE_AUDIT_HEAD },
      () => reset(token),
    );
    expect(used).toMatchObject({ ok: true });
    expect((await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).state).toBe('COMPLETED');
  });
});
