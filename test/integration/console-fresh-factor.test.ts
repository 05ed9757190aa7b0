// A super admin's session alone (a stolen or borrowed cookie, no factor) must not weaken the agency's sign-in
// nor make anyone an administrator: the confirming submit asks for the super admin's own factor, one held
// before the session opened, as "Clear second factors" does (review r55g F1; lib/admin/permissions.ts).
import { describe, expect, it } from 'vitest';
import { changeUserRole } from '@/lib/admin/change-user-role';
import { getAgencyPolicy, LOOSER_ASKED, policyVersion, updateAgencyPolicy } from '@/lib/admin/update-agency-policy';
import { resolveSession, type AgencyActor } from '@/lib/auth/session';
import { signInAgencyUser } from '@/lib/auth/sign-in';
import { db } from '@/lib/db/client';
import type { Role } from '@/lib/generated/sqlite/enums';
import { unseal } from '@/lib/mail/seal';
import { replaceRecoveryCodes } from '@/lib/mfa/recovery-codes';
import { totpCodeFor, totpStep } from '@/lib/mfa/totp';
import type { AgencyPolicy } from '@/lib/policy/agency-policy';
import { addTotpFactor, createAgency, createUser, uniqueSuffix } from '@/prisma/factories';
import { formKeyFor } from '../support/form-key-for';
import { codeOfAppHeldBefore } from '../support/next-totp-code';
import { mailsTo, PASSWORD, someIp } from './super-admin-fixtures';

/** A policy stricter than the defaults in every setting, so that each can be made less strict. */
const STRICT: AgencyPolicy = {
  minPasswordLength: 20,
  passwordHistoryCount: 10,
  softLockThreshold: 4,
  hardLockThreshold: 15,
  temporaryPasswordHours: 24,
  resetLinkHours: 12,
  signInAlertThreshold: 5,
  onlySuperAdminsResetAdmins: true,
  requireSecondFactorForAllStaff: true,
  requirePasskeyForAdmins: false,
  timeZone: 'America/Chicago',
};

/** Each way a save makes signing in less strict, as the form sends it. */
const LOOSER: Array<[keyof AgencyPolicy, string | undefined]> = [
  ['minPasswordLength', '12'],
  ['passwordHistoryCount', '0'],
  ['softLockThreshold', '10'],
  ['hardLockThreshold', '100'],
  ['temporaryPasswordHours', '168'],
  ['resetLinkHours', '24'],
  ['signInAlertThreshold', '1000'],
  ['onlySuperAdminsResetAdmins', undefined],
  ['requireSecondFactorForAllStaff', undefined],
];

/** The policy as its form sends it: numbers as typed, a ticked box as "on", an unticked one absent. */
function asSent(policy: AgencyPolicy): Record<string, string> {
  return Object.fromEntries(Object.entries(policy).flatMap(([key, value]) => (value === false ? [] : [[key, value === true ? 'on' : String(value)]])));
}

function withSetting(policy: AgencyPolicy, setting: keyof AgencyPolicy, sent: string | undefined): Record<string, string> {
  const form = asSent(policy);
  if (sent === undefined) delete form[setting];
  else form[setting] = sent;
  return form;
}

async function member(agencyId: string, role: Role, displayName: string) {
  const suffix = uniqueSuffix();
  return createUser(db(), agencyId, PASSWORD, { role, displayName, loginName: `m.${suffix}`, email: `m.${suffix}@fresh.example` });
}

async function sessionOf(agency: { code: string }, user: { loginName: string }): Promise<AgencyActor> {
  const result = await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: PASSWORD }, someIp());
  if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
  return (await resolveSession(result.sessionId)) as AgencyActor;
}

/** An agency with a strict policy, its super admin's session (no factor yet), a second super admin, and a staff member with an app. */
async function strictAgency() {
  const agency = await createAgency(db(), { name: `Fresh Care ${uniqueSuffix()}` });
  await db().agency.update({ where: { id: agency.id }, data: STRICT });
  const superAdmin = await member(agency.id, 'SUPER_ADMIN', 'Sue Super');
  const otherSuper = await member(agency.id, 'SUPER_ADMIN', 'Otto Other');
  const staff = await member(agency.id, 'STAFF', 'Sam Staff');
  await addTotpFactor(db(), { userId: staff.id });
  return { agency, superAdmin, otherSuper, staff, actor: await sessionOf(agency, superAdmin) };
}

const policyRecords = (agencyId: string) => db().auditEvent.count({ where: { agencyId, action: 'AGENCY_POLICY_UPDATED' } });
const wrongCodes = (userId: string) => db().auditEvent.findMany({ where: { actorId: userId, action: 'SECOND_FACTOR_FAILURE' }, orderBy: { seq: 'asc' } });

describe('a less strict security policy needs the super admin’s own fresh factor (review r55g F1)', () => {
  it('[SUPER_ADMIN session alone] cannot make any setting less strict: asked which, then refused without a right code; nothing changes, nobody is mailed, wrong codes are audited', async () => {
    const { agency, superAdmin, otherSuper, actor } = await strictAgency();
    const shown = policyVersion(STRICT);
    for (const [setting, sent] of LOOSER) {
      const form = withSetting(STRICT, setting, sent);
      // Asked first: which setting, before and after; no code was due yet, so none is counted.
      expect(await updateAgencyPolicy(actor, form, someIp(), { seen: shown }), setting).toMatchObject({
        ok: false,
        message: LOOSER_ASKED,
        loosens: [{ setting, looser: true }],
      });
      // The "yes" without a code is refused, as is a wrong one.
      expect(await updateAgencyPolicy(actor, form, someIp(), { seen: shown, confirm: 'yes' }), setting).toMatchObject({ ok: false, askAgain: true, fieldErrors: { code: [expect.any(String)] } });
    }
    expect(await updateAgencyPolicy(actor, withSetting(STRICT, 'minPasswordLength', '12'), someIp(), { seen: shown, confirm: 'yes', code: '000000' })).toMatchObject({ ok: false, askAgain: true, loosens: [{ setting: 'minPasswordLength', from: '20', to: '12' }] });
    // An app the session added itself is no proof: it is the borrowed session's own.
    const secret = await addTotpFactor(db(), { userId: superAdmin.id }, undefined, 'Added in this session');
    expect(await updateAgencyPolicy(actor, withSetting(STRICT, 'minPasswordLength', '12'), someIp(), { seen: shown, code: await totpCodeFor(secret, totpStep(new Date())) })).toMatchObject({ ok: false, askAgain: true });

    expect(await getAgencyPolicy(agency.id)).toEqual(STRICT);
    expect(await policyRecords(agency.id)).toBe(0);
    expect(await mailsTo(otherSuper.email!, 'policy-changed-receipt')).toEqual([]);
    // Each wrong code counts on the super admin's own lock, as at sign-in, and names what it was for.
    expect((await wrongCodes(superAdmin.id)).map((event) => JSON.parse(event.details!).for)).toEqual(['loosen the security policy', 'loosen the security policy']);
  });

  it('[SUPER_ADMIN] with a code of their own app the less strict policy is saved, audited with how it was confirmed, and each super admin is mailed each change, before and after', async () => {
    const { agency, superAdmin, otherSuper, actor } = await strictAgency();
    const noAddress = await createUser(db(), agency.id, PASSWORD, { role: 'SUPER_ADMIN', email: null });
    const disabled = await member(agency.id, 'SUPER_ADMIN', 'Dee Disabled');
    await db().user.update({ where: { id: disabled.id }, data: { status: 'DISABLED' } });
    const form = { ...withSetting(STRICT, 'requireSecondFactorForAllStaff', undefined), minPasswordLength: '25', timeZone: 'America/New_York' };
    expect(await updateAgencyPolicy(actor, form, someIp(), { seen: policyVersion(STRICT), confirm: 'yes', code: await codeOfAppHeldBefore({ userId: superAdmin.id }) })).toMatchObject({ ok: true });
    expect(await getAgencyPolicy(agency.id)).toEqual({ ...STRICT, requireSecondFactorForAllStaff: false, minPasswordLength: 25, timeZone: 'America/New_York' });
    const [record] = await db().auditEvent.findMany({ where: { agencyId: agency.id, action: 'AGENCY_POLICY_UPDATED' } });
    expect(JSON.parse(record!.details!)).toEqual({
      minPasswordLength: '20 -> 25',
      requireSecondFactorForAllStaff: 'true -> false',
      timeZone: 'America/Chicago -> America/New_York',
      confirmedWith: 'TOTP',
    });

    for (const admin of [superAdmin, otherSuper]) {
      const [mail, ...more] = await mailsTo(admin.email!, 'policy-changed-receipt');
      expect(more).toEqual([]);
      const text = unseal(mail!.textBody);
      expect(text).toContain(`Sue Super changed the security policy of ${agency.name}`);
      expect(text).toContain('- Minimum password length: was 20, now 25\n');
      expect(text).toContain('- Every staff member must set up a second factor (administrators always must): was on, now off (less strict)');
      expect(text).toContain('- Time zone: was America/Chicago, now America/New York');
      expect(text).toMatch(/ on [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M E[SD]T:/);
      expect(text).toContain('This wasn’t expected?');
    }
    expect(noAddress.email).toBeNull();
    expect(await mailsTo(disabled.email!, 'policy-changed-receipt')).toEqual([]);
  });

  it('[SUPER_ADMIN held to passkeys] turns the passkey rule off with a recovery code made before the session, not an app code', async () => {
    const { agency, superAdmin } = await strictAgency();
    await db().agency.update({ where: { id: agency.id }, data: { requirePasskeyForAdmins: true } });
    // A passkey of their own, as the rule asks, and recovery codes, both from before this session.
    await db().mfaFactor.create({ data: { userId: superAdmin.id, kind: 'PASSKEY', name: 'Laptop', credentialId: `cred-${uniqueSuffix()}`, publicKey: 'cHVibGlj', signCount: 0, confirmedAt: new Date(Date.now() - 3_600_000) } });
    const [recovery] = await db().$transaction((tx) => replaceRecoveryCodes(tx, { kind: 'user', id: superAdmin.id }));
    const appCode = await codeOfAppHeldBefore({ userId: superAdmin.id });
    const actor = await sessionOf(agency, superAdmin);
    const seen = policyVersion({ ...STRICT, requirePasskeyForAdmins: true });
    expect(await updateAgencyPolicy(actor, asSent(STRICT), someIp(), { seen, confirm: 'yes', code: appCode })).toMatchObject({
      ok: false,
      askAgain: true,
      message: 'Your agency requires administrators to confirm it is them with a passkey.',
      loosens: [{ setting: 'requirePasskeyForAdmins', from: 'on', to: 'off' }],
    });
    expect((await getAgencyPolicy(agency.id)).requirePasskeyForAdmins).toBe(true);
    expect(await updateAgencyPolicy(actor, asSent(STRICT), someIp(), { seen, confirm: 'yes', code: recovery! })).toMatchObject({ ok: true });
    expect((await getAgencyPolicy(agency.id)).requirePasskeyForAdmins).toBe(false);
    const [record] = await db().auditEvent.findMany({ where: { agencyId: agency.id, action: 'AGENCY_POLICY_UPDATED' } });
    expect(JSON.parse(record!.details!)).toMatchObject({ requirePasskeyForAdmins: 'true -> false', confirmedWith: 'RECOVERY_CODE' });
  });

  it('[SUPER_ADMIN session alone] can still make the policy stricter, or change its time zone: saved, audited and mailed to the super admins', async () => {
    const { agency, otherSuper, actor } = await strictAgency();
    const stricter = { ...asSent(STRICT), minPasswordLength: '30', hardLockThreshold: '12', timeZone: 'America/Denver' };
    expect(await updateAgencyPolicy(actor, stricter, someIp(), { seen: policyVersion(STRICT) })).toMatchObject({ ok: true });
    expect(await getAgencyPolicy(agency.id)).toMatchObject({ minPasswordLength: 30, hardLockThreshold: 12, timeZone: 'America/Denver' });
    expect(JSON.parse((await db().auditEvent.findFirstOrThrow({ where: { agencyId: agency.id, action: 'AGENCY_POLICY_UPDATED' } })).details!)).not.toHaveProperty('confirmedWith');
    const [mail] = await mailsTo(otherSuper.email!, 'policy-changed-receipt');
    const text = unseal(mail!.textBody);
    expect(text).toContain('- Minimum password length: was 20, now 30\n');
    expect(text).not.toContain('less strict');
  });

  it('[SUPER_ADMIN] copies of one confirmation sent at once (a double press without JavaScript) save once and use the code once; the other says it is saved', async () => {
    const { agency, superAdmin, otherSuper, actor } = await strictAgency();
    const sent = { seen: policyVersion(STRICT), confirm: 'yes' as const, code: await codeOfAppHeldBefore({ userId: superAdmin.id }), formKey: formKeyFor(actor) };
    const form = withSetting(STRICT, 'softLockThreshold', '8');
    const answers = await Promise.all([updateAgencyPolicy(actor, form, someIp(), sent), updateAgencyPolicy(actor, form, someIp(), sent)]);
    expect(answers).toEqual([
      { ok: true, value: { ...STRICT, softLockThreshold: 8 } },
      { ok: true, value: { ...STRICT, softLockThreshold: 8 } },
    ]);
    expect(await policyRecords(agency.id)).toBe(1);
    expect(await wrongCodes(superAdmin.id)).toEqual([]);
    expect(await mailsTo(otherSuper.email!, 'policy-changed-receipt')).toHaveLength(1);
  });

  it('[SUPER_ADMIN] less strict is judged against the policy as saved now: a save below what another admin saved since is asked about', async () => {
    const { agency, actor } = await strictAgency();
    const other = await sessionOf(agency, await member(agency.id, 'SUPER_ADMIN', 'Ola Other'));
    expect(await updateAgencyPolicy(other, { ...asSent(STRICT), minPasswordLength: '40' }, someIp())).toMatchObject({ ok: true });
    expect(await updateAgencyPolicy(actor, { ...asSent(STRICT), minPasswordLength: '30' }, someIp())).toMatchObject({ ok: false, loosens: [{ setting: 'minPasswordLength', from: '40', to: '30' }] });
    expect((await getAgencyPolicy(agency.id)).minPasswordLength).toBe(40);
  });
});

describe('raising an account to an admin role needs the super admin’s own fresh factor (review r55g F1)', () => {
  for (const to of ['PROVIDER_ADMIN', 'SUPER_ADMIN'] as const) {
    it(`[SUPER_ADMIN session alone] cannot make a staff member ${to === 'SUPER_ADMIN' ? 'a super' : 'a provider'} administrator: the question says a factor is due, and the "yes" without a right one changes nothing`, async () => {
      const { superAdmin, staff, actor } = await strictAgency();
      expect(await changeUserRole(actor, { userId: staff.id, role: to }, someIp())).toMatchObject({ ok: true, value: { state: 'ask', freshFactor: true } });
      const yes = { userId: staff.id, role: to, confirm: 'yes' as const, from: 'STAFF' as const };
      expect(await changeUserRole(actor, yes, someIp())).toMatchObject({ ok: false, askAgain: true, fieldErrors: { code: [expect.any(String)] }, asked: { state: 'ask', from: 'STAFF', to, freshFactor: true } });
      expect(await changeUserRole(actor, { ...yes, code: '000000' }, someIp())).toMatchObject({ ok: false, askAgain: true });
      const before = await db().user.findUniqueOrThrow({ where: { id: staff.id }, select: { role: true, sessionVersion: true } });
      expect(before).toEqual({ role: 'STAFF', sessionVersion: staff.sessionVersion });
      expect(await db().auditEvent.count({ where: { targetId: staff.id, action: 'ADMIN_ROLE_CHANGED' } })).toBe(0);
      expect(await mailsTo(staff.email!, 'role-changed-receipt')).toEqual([]);
      expect((await wrongCodes(superAdmin.id)).map((event) => JSON.parse(event.details!))).toEqual([expect.objectContaining({ for: 'raise a role', aboutUserId: staff.id })]);
    });
  }

  it('[SUPER_ADMIN] with a code of their own app the raise is made, audited with how it was confirmed and mailed; a provider administrator raised to super administrator asks too', async () => {
    const { superAdmin, staff, actor } = await strictAgency();
    const raise = async (from: 'STAFF' | 'PROVIDER_ADMIN', to: 'PROVIDER_ADMIN' | 'SUPER_ADMIN') =>
      changeUserRole(actor, { userId: staff.id, role: to, confirm: 'yes', from, code: await codeOfAppHeldBefore({ userId: superAdmin.id }) }, someIp());
    expect(await raise('STAFF', 'PROVIDER_ADMIN')).toMatchObject({ ok: true, value: { state: 'changed', to: 'PROVIDER_ADMIN' } });
    expect(await changeUserRole(actor, { userId: staff.id, role: 'SUPER_ADMIN', confirm: 'yes', from: 'PROVIDER_ADMIN' }, someIp())).toMatchObject({ ok: false, askAgain: true });
    expect(await raise('PROVIDER_ADMIN', 'SUPER_ADMIN')).toMatchObject({ ok: true, value: { state: 'changed', to: 'SUPER_ADMIN' } });
    const records = await db().auditEvent.findMany({ where: { targetId: staff.id, action: 'ADMIN_ROLE_CHANGED' }, orderBy: { seq: 'asc' } });
    expect(records.map((event) => JSON.parse(event.details!))).toEqual([
      { from: 'STAFF', to: 'PROVIDER_ADMIN', confirmedWith: 'TOTP' },
      { from: 'PROVIDER_ADMIN', to: 'SUPER_ADMIN', confirmedWith: 'TOTP' },
    ]);
    expect(await mailsTo(staff.email!, 'role-changed-receipt')).toHaveLength(2);
  });

  it('[SUPER_ADMIN session alone] lowers a role without a factor: it gives no one anything', async () => {
    const { agency, actor } = await strictAgency();
    const admin = await member(agency.id, 'PROVIDER_ADMIN', 'Pat Admin');
    expect(await changeUserRole(actor, { userId: admin.id, role: 'STAFF' }, someIp())).toMatchObject({ ok: true, value: { state: 'ask', freshFactor: false } });
    expect(await changeUserRole(actor, { userId: admin.id, role: 'STAFF', confirm: 'yes', from: 'PROVIDER_ADMIN' }, someIp())).toMatchObject({ ok: true, value: { state: 'changed' } });
    expect(JSON.parse((await db().auditEvent.findFirstOrThrow({ where: { targetId: admin.id, action: 'ADMIN_ROLE_CHANGED' } })).details!)).toEqual({ from: 'PROVIDER_ADMIN', to: 'STAFF' });
  });

  it('[SUPER_ADMIN] copies of one "yes" sent at once raise once and use the code once; the other is told the account is already that role', async () => {
    const { superAdmin, staff, actor } = await strictAgency();
    const yes = { userId: staff.id, role: 'SUPER_ADMIN' as const, confirm: 'yes' as const, from: 'STAFF' as const, code: await codeOfAppHeldBefore({ userId: superAdmin.id }), formKey: formKeyFor(actor) };
    const answers = await Promise.all([changeUserRole(actor, yes, someIp()), changeUserRole(actor, yes, someIp())]);
    expect(answers.map((answer) => (answer.ok ? answer.value.state : answer.message)).sort()).toEqual(['changed', 'unchanged']);
    expect(await db().auditEvent.count({ where: { targetId: staff.id, action: 'ADMIN_ROLE_CHANGED' } })).toBe(1);
    expect(await wrongCodes(superAdmin.id)).toEqual([]);
  });
});
