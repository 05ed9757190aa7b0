import { describe, expect, it } from 'vitest';
import { CLEARED_ALREADY, clearUserSecondFactors } from '@/lib/admin/clear-user-second-factors';
import { decideAccess } from '@/lib/auth/access';
import { resolveSession, type AgencyActor } from '@/lib/auth/session';
import { signInAgencyUser, signInVendorAccount } from '@/lib/auth/sign-in';
import { db } from '@/lib/db/client';
import { databaseKind } from '@/lib/db/kind';
import type { Role } from '@/lib/generated/sqlite/enums';
import { unseal } from '@/lib/mail/seal';
import { replaceRecoveryCodes } from '@/lib/mfa/recovery-codes';
import { resetVendorSecondFactors } from '@/lib/mfa/reset-vendor-second-factors';
import { RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import { unlockVendorAccount } from '@/lib/vendor/unlock-vendor-account';
import { resetPasswordWithLink } from '@/lib/password-reset/reset-password-with-link';
import { totpCodeFor, totpStep } from '@/lib/mfa/totp';
import { addTotpFactor, createAgency, createUser, createVendorAccount, uniqueSuffix } from '@/prisma/factories';
import { whileCompetingTransactionHolds } from '../support/competing-transaction';
import { formKeyFor } from '../support/form-key-for';
import { nextTotpCode } from '../support/next-totp-code';
import { approvedRequest, mailsTo, NEW_PASSWORD, PASSWORD, someIp } from './super-admin-fixtures';

async function member(agencyId: string, role: Role = 'STAFF') {
  const user = await createUser(db(), agencyId, PASSWORD, { role, email: `m.${uniqueSuffix()}@example.test` });
  await addTotpFactor(db(), { userId: user.id });
  return user;
}

async function fullActor(agency: { code: string }, user: { loginName: string }): Promise<AgencyActor> {
  const result = await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: PASSWORD }, someIp());
  if (!result.ok) throw new Error('sign-in failed');
  const actor = await resolveSession(result.sessionId);
  if (actor?.kind !== 'agency') throw new Error('no actor');
  return actor;
}

const factorsOf = (userId: string) => db().mfaFactor.count({ where: { userId } });

describe('lost second factors', () => {
  it('[PROVIDER_ADMIN] clears a staff member’s factors: the password is reset with them, sessions end, audited, the person is mailed once', async () => {
    const agency = await createAgency(db());
    const admin = await member(agency.id, 'PROVIDER_ADMIN');
    const staff = await member(agency.id);
    const staffSession = await fullActor(agency, staff);
    const result = await clearUserSecondFactors(await fullActor(agency, admin), { userId: staff.id, expectedVersion: staff.sessionVersion, code: await nextTotpCode({ userId: admin.id }) }, someIp());
    if (!result.ok) throw new Error(result.message);
    expect(await factorsOf(staff.id)).toBe(0);
    expect(await resolveSession(staffSession.sessionId)).toBeNull();
    expect(await db().auditEvent.count({ where: { targetId: staff.id, action: { in: ['ADMIN_SECOND_FACTORS_CLEARED', 'ADMIN_TEMPORARY_PASSWORD_ISSUED'] } } })).toBe(2);
    const [mail, ...more] = await mailsTo(staff.email!);
    expect(more).toEqual([]);
    expect(mail!.textBody).toContain('reset your CareNotes password and cleared your second factors');
    expect(mail!.textBody).not.toContain(result.value.temporaryPassword);
    // The old password is no way in; the temporary one is, to a new password first.
    const signIn = (password: string) => signInAgencyUser({ providerCode: agency.code, loginName: staff.loginName, password }, someIp());
    expect(await signIn(PASSWORD)).toMatchObject({ ok: false });
    const withTemporary = await signIn(result.value.temporaryPassword);
    if (!withTemporary.ok) throw new Error('the temporary password did not sign in');
    expect(decideAccess(await resolveSession(withTemporary.sessionId), { principal: 'agency' })).toBe('password-change-required');
  });

  it('[PROVIDER_ADMIN] after a clearing, whoever knew the admin’s password cannot sign in to set up a factor of their own (r29b F1)', async () => {
    const agency = await createAgency(db());
    const superAdmin = await member(agency.id, 'SUPER_ADMIN');
    const admin = await member(agency.id, 'PROVIDER_ADMIN');
    const cleared = await clearUserSecondFactors(await fullActor(agency, superAdmin), { userId: admin.id, expectedVersion: admin.sessionVersion, code: await nextTotpCode({ userId: superAdmin.id }) }, someIp());
    if (!cleared.ok) throw new Error(cleared.message);
    const intruder = await signInAgencyUser({ providerCode: agency.code, loginName: admin.loginName, password: PASSWORD }, someIp());
    expect(intruder).toMatchObject({ ok: false });
    expect(await db().mfaFactor.count({ where: { userId: admin.id } })).toBe(0);
    // The owner, with the temporary password from the super admin: a new password, then a new factor.
    const owner = await signInAgencyUser({ providerCode: agency.code, loginName: admin.loginName, password: cleared.value.temporaryPassword }, someIp());
    if (!owner.ok) throw new Error('the temporary password did not sign in');
    expect(decideAccess(await resolveSession(owner.sessionId), { principal: 'agency' })).toBe('password-change-required');
  });

  it('[PROVIDER_ADMIN] a second press of the same clearing changes nothing more: the page’s version is spent, and the code sent with it is not used up', async () => {
    const agency = await createAgency(db());
    const admin = await member(agency.id, 'PROVIDER_ADMIN');
    const staff = await member(agency.id);
    const actor = await fullActor(agency, admin);
    const input = { userId: staff.id, expectedVersion: staff.sessionVersion };
    expect(await clearUserSecondFactors(actor, { ...input, code: await nextTotpCode({ userId: admin.id }) }, someIp())).toMatchObject({ ok: true });
    const lastUsedStep = async () => (await db().mfaFactor.findFirstOrThrow({ where: { userId: admin.id } })).lastUsedStep;
    const usedBefore = await lastUsedStep();
    expect(await clearUserSecondFactors(actor, { ...input, code: await nextTotpCode({ userId: admin.id }) }, someIp())).toEqual({
      ok: false,
      message: expect.stringMatching(/changed while you were looking/),
    });
    expect(await lastUsedStep()).toBe(usedBefore);
    expect(await db().auditEvent.count({ where: { actorId: admin.id, action: 'SECOND_FACTOR_FAILURE' } })).toBe(0);
    expect(await db().auditEvent.count({ where: { targetId: staff.id, action: 'ADMIN_TEMPORARY_PASSWORD_ISSUED' } })).toBe(1);
    expect(await mailsTo(staff.email!)).toHaveLength(1);
  });

  it('[PROVIDER_ADMIN] copies of one confirmation sent at once (a double press without JavaScript) clear once; the other waits, spends no code and says so (review r43f F2)', async () => {
    const agency = await createAgency(db());
    const admin = await member(agency.id, 'PROVIDER_ADMIN');
    const staff = await member(agency.id);
    const actor = await fullActor(agency, admin);
    const input = { userId: staff.id, expectedVersion: staff.sessionVersion, code: await nextTotpCode({ userId: admin.id }), formKey: formKeyFor(actor) };
    const answers = await Promise.all([clearUserSecondFactors(actor, input, someIp()), clearUserSecondFactors(actor, input, someIp())]);
    expect(answers.filter((result) => result.ok)).toHaveLength(1);
    expect(answers.find((result) => !result.ok)).toEqual(CLEARED_ALREADY);
    expect(await db().auditEvent.count({ where: { actorId: admin.id, action: 'SECOND_FACTOR_FAILURE' } })).toBe(0);
    expect(await db().auditEvent.count({ where: { targetId: staff.id, action: 'ADMIN_TEMPORARY_PASSWORD_ISSUED' } })).toBe(1);
    expect(await mailsTo(staff.email!)).toHaveLength(1);
  });

  it('[PROVIDER_ADMIN session alone, a borrowed screen or a stolen cookie] cannot take a super admin’s account: the clearing asks for a factor the admin held before the session (review r43d F1)', async () => {
    const agency = await createAgency(db());
    const superAdmin = await member(agency.id, 'SUPER_ADMIN');
    const admin = await member(agency.id, 'PROVIDER_ADMIN');
    const actor = await fullActor(agency, admin);
    const input = { userId: superAdmin.id, expectedVersion: superAdmin.sessionVersion };
    const unchanged = async () => {
      expect(await factorsOf(superAdmin.id)).toBe(1);
      expect((await db().user.findUniqueOrThrow({ where: { id: superAdmin.id } })).sessionVersion).toBe(superAdmin.sessionVersion);
      expect(await db().auditEvent.count({ where: { targetId: superAdmin.id, action: { in: ['ADMIN_SECOND_FACTORS_CLEARED', 'ADMIN_TEMPORARY_PASSWORD_ISSUED'] } } })).toBe(0);
      expect(await mailsTo(superAdmin.email!)).toHaveLength(0);
    };
    expect(await clearUserSecondFactors(actor, input, someIp())).toMatchObject({ ok: false, askAgain: true, fieldErrors: { code: [expect.any(String)] } });
    expect(await clearUserSecondFactors(actor, { ...input, code: '000000' }, someIp())).toMatchObject({ ok: false, askAgain: true });
    // An app the session added itself does not count: it is the borrowed session's own.
    const secret = await addTotpFactor(db(), { userId: admin.id }, undefined, 'Added in this session');
    const ownStep = totpStep(new Date());
    expect(await clearUserSecondFactors(actor, { ...input, code: await totpCodeFor(secret, ownStep) }, someIp())).toMatchObject({ ok: false, askAgain: true });
    await unchanged();
    // Each wrong code counts on the acting admin's own lock, as at sign-in (the missing one is no try).
    expect(await db().auditEvent.count({ where: { actorId: admin.id, action: 'SECOND_FACTOR_FAILURE' } })).toBe(2);
  });

  it('[PROVIDER_ADMIN] confirms a clearing with a recovery code: the clearing says so, the code’s use is on the record and its owner is told; a wrong code’s record names whose factors (review r44d F1, F2)', async () => {
    const agency = await createAgency(db());
    const admin = await member(agency.id, 'PROVIDER_ADMIN');
    const staff = await member(agency.id);
    const [recovery] = await db().$transaction((tx) => replaceRecoveryCodes(tx, { kind: 'user', id: admin.id }));
    const actor = await fullActor(agency, admin);
    const input = { userId: staff.id, expectedVersion: staff.sessionVersion };
    expect(await clearUserSecondFactors(actor, { ...input, code: '000000' }, someIp())).toMatchObject({ ok: false, askAgain: true });
    const wrong = await db().auditEvent.findFirstOrThrow({ where: { actorId: admin.id, action: 'SECOND_FACTOR_FAILURE' } });
    expect(JSON.parse(wrong.details!)).toMatchObject({ for: 'clear second factors', aboutUserId: staff.id });

    expect(await clearUserSecondFactors(actor, { ...input, code: recovery! }, someIp())).toMatchObject({ ok: true });
    const cleared = await db().auditEvent.findFirstOrThrow({ where: { targetId: staff.id, action: 'ADMIN_SECOND_FACTORS_CLEARED' } });
    expect(JSON.parse(cleared.details!)).toMatchObject({ confirmedWith: 'RECOVERY_CODE' });
    const used = await db().auditEvent.findMany({ where: { actorId: admin.id, action: 'RECOVERY_CODE_USED' } });
    expect(used.map((record) => JSON.parse(record.details!))).toEqual([{ for: 'clear second factors', aboutUserId: staff.id }]);
    const told = await mailsTo(admin.email!, 'second-factor-changed');
    expect(told.map((mail) => unseal(mail.textBody))).toEqual([expect.stringContaining('recovery code used to confirm it was you')]);
  });

  it('[PROVIDER_ADMIN] cannot clear their own factors, nor those of another agency; refusals are audited', async () => {
    const agency = await createAgency(db());
    const admin = await member(agency.id, 'PROVIDER_ADMIN');
    const other = await createAgency(db());
    const foreign = await member(other.id, 'SUPER_ADMIN');
    const actor = await fullActor(agency, admin);
    expect(await clearUserSecondFactors(actor, { userId: admin.id, expectedVersion: admin.sessionVersion }, someIp())).toMatchObject({ ok: false });
    expect(await clearUserSecondFactors(actor, { userId: foreign.id, expectedVersion: foreign.sessionVersion }, someIp())).toMatchObject({ ok: false });
    expect(await factorsOf(admin.id)).toBe(1);
    expect(await factorsOf(foreign.id)).toBe(1);
    expect(await db().auditEvent.count({ where: { actorId: admin.id, action: 'ADMIN_ACTION_DENIED' } })).toBe(2);
  });

  it('[STAFF] cannot clear anyone’s factors', async () => {
    const agency = await createAgency(db());
    const staff = await member(agency.id);
    const colleague = await member(agency.id);
    expect(await clearUserSecondFactors(await fullActor(agency, staff), { userId: colleague.id, expectedVersion: colleague.sessionVersion }, someIp())).toMatchObject({ ok: false });
    expect(await factorsOf(colleague.id)).toBe(1);
  });

  it('[PROVIDER_ADMIN] clearing another admin sends the receipt to the super admins; a policy of super admins only is kept', async () => {
    const agency = await createAgency(db());
    const admin = await member(agency.id, 'PROVIDER_ADMIN');
    const otherAdmin = await member(agency.id, 'PROVIDER_ADMIN');
    const superAdmin = await member(agency.id, 'SUPER_ADMIN');
    const actor = await fullActor(agency, admin);
    await db().agency.update({ where: { id: agency.id }, data: { onlySuperAdminsResetAdmins: true } });
    const input = { userId: otherAdmin.id, expectedVersion: otherAdmin.sessionVersion };
    expect(await clearUserSecondFactors(actor, input, someIp())).toMatchObject({ ok: false });
    await db().agency.update({ where: { id: agency.id }, data: { onlySuperAdminsResetAdmins: false } });
    const cleared = await clearUserSecondFactors(actor, { ...input, code: await nextTotpCode({ userId: admin.id }) }, someIp());
    if (!cleared.ok) throw new Error(cleared.message);
    expect(await mailsTo(superAdmin.email!)).not.toHaveLength(0);
    // Next sign-in, with the temporary password and then a new one of their own: the admin must enrol again before anything else.
    await db().user.update({ where: { id: otherAdmin.id }, data: { passwordHash: (await db().user.findUniqueOrThrow({ where: { id: admin.id } })).passwordHash, mustChangePassword: false } });
    const again = await fullActor(agency, otherAdmin);
    expect(decideAccess(again, { principal: 'agency' })).toBe('enrolment-required');
  });

  it('[SUPER_ADMIN alone] the four-eyes link sets a new password and clears the factors', async () => {
    const { admin, token, request } = await approvedRequest();
    await addTotpFactor(db(), { userId: admin.id });
    expect(await resetPasswordWithLink(token, NEW_PASSWORD, NEW_PASSWORD, someIp())).toMatchObject({ ok: true });
    expect(await factorsOf(admin.id)).toBe(0);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { targetId: request.id, action: 'SUPER_ADMIN_RESET_COMPLETED' } });
    expect(JSON.parse(audit.details!)).toMatchObject({ secondFactorsCleared: 1 });
  });

  it('[VERIFIER] vendor staff factors are cleared only by the command, with the password: the old one opens nothing, the new one enrols; audited and mailed (review r42d F2)', async () => {
    const account = await createVendorAccount(db(), 'VERIFIER', PASSWORD);
    await addTotpFactor(db(), { vendorAccountId: account.id });
    const reset = await resetVendorSecondFactors(db(), account.email.toUpperCase(), 'ops');
    if (typeof reset === 'string') throw new Error(reset);
    expect(reset).toEqual({ newPassword: expect.stringMatching(/^[2-9A-HJKMNP-Z]{16}$/), endedLock: false });
    expect(await db().mfaFactor.count({ where: { vendorAccountId: account.id } })).toBe(0);
    const [record, ...more] = await db().auditEvent.findMany({ where: { targetId: account.id, action: 'VENDOR_SECOND_FACTORS_CLEARED' } });
    expect(more).toEqual([]);
    expect(JSON.parse(record!.details!)).toMatchObject({ passwordReplaced: true, by: 'command line (ops)' });
    expect(JSON.parse(record!.details!)).not.toHaveProperty('endedLock');
    expect(record!.details).not.toContain(reset.newPassword);
    // Whoever knew the old password can no longer enrol their own app with it.
    expect(await signInVendorAccount({ email: account.email, password: PASSWORD }, someIp())).toEqual({ ok: false, reason: 'INVALID' });
    expect(await signInVendorAccount({ email: account.email, password: reset.newPassword }, someIp())).toMatchObject({ ok: true });
    const [mail] = await db().outboxMessage.findMany({ where: { toAddress: account.email, template: 'second-factor-changed' } });
    expect(mail!.textBody).toContain('second factors cleared and password replaced by an administrator');
    expect(mail!.textBody).not.toContain(reset.newPassword);
    expect(await resetVendorSecondFactors(db(), 'nobody@vendor.test', 'ops')).toBe('no-such-account');
    // A disabled account is given no new way in (review r42f F3).
    await db().vendorAccount.update({ where: { id: account.id }, data: { active: false } });
    const { passwordHash } = await db().vendorAccount.findUniqueOrThrow({ where: { id: account.id } });
    expect(await resetVendorSecondFactors(db(), account.email, 'ops')).toBe('disabled');
    expect((await db().vendorAccount.findUniqueOrThrow({ where: { id: account.id } })).passwordHash).toBe(passwordHash);
  });

  it.runIf(databaseKind(process.env.DATABASE_URL!) === 'postgresql')(
    '[VERIFIER] disabled while the command waits for the account’s row: given no new password (review r43e F4)',
    async () => {
      const account = await createVendorAccount(db(), 'VERIFIER', PASSWORD);
      await addTotpFactor(db(), { vendorAccountId: account.id });
      const disable = {
        holds: { sql: 'SELECT "id" FROM "VendorAccount" WHERE "id" = $1 FOR UPDATE', params: [account.id] },
        then: { sql: 'UPDATE "VendorAccount" SET "active" = false WHERE "id" = $1', params: [account.id] },
      };
      expect(await whileCompetingTransactionHolds(disable, () => resetVendorSecondFactors(db(), account.email, 'ops'))).toBe('disabled');
      const after = await db().vendorAccount.findUniqueOrThrow({ where: { id: account.id } });
      expect(after.passwordHash).toBe(account.passwordHash);
      expect(await db().mfaFactor.count({ where: { vendorAccountId: account.id } })).toBe(1);
    },
  );

  it('[VERIFIER] locked by wrong codes on a lost phone, signs in with the new password once the command cleared the factors (review r41i F4)', async () => {
    const account = await createVendorAccount(db(), 'VERIFIER', PASSWORD);
    await addTotpFactor(db(), { vendorAccountId: account.id });
    // The budget of wrong codes spent, and the lock it set.
    await db().rateLimitBucket.create({ data: { key: `${RATE_LIMITS.wrongCodesPerAccount.name}:vendor:${account.id}`, windowStart: new Date(), count: RATE_LIMITS.wrongCodesPerAccount.limit } });
    await db().vendorAccount.update({ where: { id: account.id }, data: { lockedUntil: new Date(Date.now() + 3_600_000), failedSignInCount: 5, lastFailedSignInAt: new Date() } });
    expect(await signInVendorAccount({ email: account.email, password: PASSWORD }, someIp())).toEqual({ ok: false, reason: 'INVALID' });
    const reset = await resetVendorSecondFactors(db(), account.email, 'ops');
    expect(reset).toMatchObject({ endedLock: true });
    expect(await signInVendorAccount({ email: account.email, password: (reset as { newPassword: string }).newPassword }, someIp())).toMatchObject({ ok: true });
    expect(await db().rateLimitBucket.count({ where: { key: `${RATE_LIMITS.wrongCodesPerAccount.name}:vendor:${account.id}` } })).toBe(0);
  });

  it('[VERIFIER] hard-locked by a stranger’s wrong passwords when the command clears the factors: the lock ends, and the record and the command say so (review r41j F2)', async () => {
    const account = await createVendorAccount(db(), 'VERIFIER', PASSWORD);
    await addTotpFactor(db(), { vendorAccountId: account.id });
    await db().vendorAccount.update({ where: { id: account.id }, data: { hardLockedAt: new Date(), failedSignInCount: 20, lastFailedSignInAt: new Date() } });
    expect(await resetVendorSecondFactors(db(), account.email, 'ops')).toMatchObject({ endedLock: true });
    const audited = await db().auditEvent.findFirstOrThrow({ where: { targetId: account.id, action: 'VENDOR_SECOND_FACTORS_CLEARED' } });
    expect(JSON.parse(audited.details!)).toMatchObject({ endedLock: 'hard', failedSignIns: 20, by: 'command line (ops)' });
  });

  it('[VERIFIER] locked by a stranger’s wrong passwords, hard or not, is unlocked by the command, audited', async () => {
    const account = await createVendorAccount(db(), 'VERIFIER', PASSWORD);
    const signIn = (password: string) => signInVendorAccount({ email: account.email, password }, someIp());
    for (let i = 0; i < 5; i++) expect(await signIn('not the password at all')).toMatchObject({ ok: false });
    expect(await signIn(PASSWORD)).toEqual({ ok: false, reason: 'INVALID' });
    // A hard lock (20 failures) has no end of its own.
    await db().vendorAccount.update({ where: { id: account.id }, data: { hardLockedAt: new Date(), lockedUntil: null } });
    expect(await signIn(PASSWORD)).toEqual({ ok: false, reason: 'INVALID' });
    expect(await unlockVendorAccount(db(), ` ${account.email.toUpperCase()}`, 'ops')).toBe('unlocked');
    expect(await signIn(PASSWORD)).toMatchObject({ ok: true });
    const audited = await db().auditEvent.findFirstOrThrow({ where: { targetId: account.id, action: 'VENDOR_ACCOUNT_UNLOCKED' } });
    expect(JSON.parse(audited.details!)).toMatchObject({ hardLocked: true, by: 'command line (ops)' });
    expect(await unlockVendorAccount(db(), account.email, 'ops')).toBe('not-locked');
    // Ten wrong second-factor codes in the hour lock it till the hour is over; the unlock forgets them with the lock.
    const codes = RATE_LIMITS.wrongCodesPerAccount;
    await db().rateLimitBucket.create({ data: { key: `${codes.name}:vendor:${account.id}`, count: codes.limit, windowStart: new Date() } });
    await db().vendorAccount.update({ where: { id: account.id }, data: { lockedUntil: new Date(Date.now() + 3_600_000) } });
    expect(await unlockVendorAccount(db(), account.email, 'ops')).toBe('unlocked');
    expect(await db().rateLimitBucket.count({ where: { key: `${codes.name}:vendor:${account.id}` } })).toBe(0);
    expect(await unlockVendorAccount(db(), 'nobody@vendor.test', 'ops')).toBe('no-such-account');
  });
});
