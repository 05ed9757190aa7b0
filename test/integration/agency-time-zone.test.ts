import { describe, expect, it } from 'vitest';
import { changeUserRole } from '@/lib/admin/change-user-role';
import { clearUserSecondFactors } from '@/lib/admin/clear-user-second-factors';
import { updateAgencyPolicy } from '@/lib/admin/update-agency-policy';
import { resolveSession, type AgencyActor } from '@/lib/auth/session';
import { signInAgencyUser } from '@/lib/auth/sign-in';
import { db } from '@/lib/db/client';
import { formatDateTime } from '@/lib/format/date';
import { requestAdminHelp } from '@/lib/help/request-admin-help';
import { regenerateRecoveryCodes } from '@/lib/mfa/regenerate-recovery-codes';
import { totpCodeFor, totpStep } from '@/lib/mfa/totp';
import { DEFAULT_POLICY } from '@/lib/policy/agency-policy';
import { addTotpFactor, createAgency, createUser, uniqueSuffix } from '@/prisma/factories';
import { codeOfAppHeldBefore } from '../support/next-totp-code';

const PASSWORD = 'copper lantern rainy tulip';

async function superAdminOf(agency: { id: string; code: string }): Promise<AgencyActor> {
  const user = await createUser(db(), agency.id, PASSWORD, { role: 'SUPER_ADMIN', loginName: 'sam.super', email: `sam.${uniqueSuffix()}@tz.example` });
  const result = await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: PASSWORD }, '192.0.2.40');
  if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
  return (await resolveSession(result.sessionId)) as AgencyActor;
}

describe('agency time zone', () => {
  it('a new agency starts in UTC; [SUPER_ADMIN] sets an IANA zone, and anything else changes nothing', async () => {
    const agency = await createAgency(db());
    expect(agency.timeZone).toBe('UTC');
    const actor = await superAdminOf(agency);
    expect(actor.agencyTimeZone).toBe('UTC');
    for (const timeZone of ['Mars/Olympus', 'america/chicago', '', 'America/Chicago\u0000', 'x'.repeat(64)]) {
      const refused = await updateAgencyPolicy(actor, { ...DEFAULT_POLICY, timeZone }, '192.0.2.40');
      expect(refused.ok, timeZone).toBe(false);
      expect(refused.fieldErrors?.timeZone?.[0]).toBe('Choose a time zone from the list');
    }
    expect((await db().agency.findUniqueOrThrow({ where: { id: agency.id } })).timeZone).toBe('UTC');
    expect(await updateAgencyPolicy(actor, { ...DEFAULT_POLICY, timeZone: 'America/Chicago' }, '192.0.2.40')).toMatchObject({ ok: true });
    expect((await db().agency.findUniqueOrThrow({ where: { id: agency.id } })).timeZone).toBe('America/Chicago');
    expect((await resolveSession(actor.sessionId))).toMatchObject({ agencyTimeZone: 'America/Chicago' });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { agencyId: agency.id, action: 'AGENCY_POLICY_UPDATED' }, orderBy: { createdAt: 'desc' } });
    expect(JSON.stringify(audit.details)).toContain('UTC -> America/Chicago');
  });

  it('[SUPER_ADMIN] a role change’s receipt gives the time in the agency’s zone, naming it', async () => {
    const agency = await createAgency(db(), { timeZone: 'America/New_York' });
    const actor = await superAdminOf(agency);
    const suffix = uniqueSuffix();
    const staff = await createUser(db(), agency.id, PASSWORD, { loginName: 'drew', email: `drew.${suffix}@tz.example` });
    await addTotpFactor(db(), { userId: staff.id });
    const code = await codeOfAppHeldBefore({ userId: actor.userId });
    const changed = await changeUserRole(actor, { userId: staff.id, role: 'PROVIDER_ADMIN', confirm: 'yes', from: 'STAFF', code }, '192.0.2.42');
    expect(changed.ok).toBe(true);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { targetId: staff.id, outcome: 'SUCCESS' }, orderBy: { createdAt: 'desc' } });
    const mail = await db().outboxMessage.findFirstOrThrow({ where: { toAddress: `drew.${suffix}@tz.example` } });
    expect(mail.textBody).toMatch(/ on [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M E[SD]T\./);
    // The receipt's minute is the change's minute, in New York.
    const minutes = [audit.createdAt, new Date(audit.createdAt.getTime() - 60_000)].map((at) => formatDateTime(at, 'America/New_York'));
    expect(minutes.some((when) => mail.textBody.includes(`on ${when}.`))).toBe(true);
    expect(mail.textBody).not.toContain('GMT');
  });

  it('[STAFF] asking for help: the admins’ mail gives the time in the agency’s zone, naming it', async () => {
    const agency = await createAgency(db(), { timeZone: 'America/Chicago' });
    const suffix = uniqueSuffix();
    await createUser(db(), agency.id, PASSWORD, { role: 'PROVIDER_ADMIN', email: `pat.${suffix}@tz.example` });
    const staff = await createUser(db(), agency.id, PASSWORD, { loginName: 'riley' });
    await requestAdminHelp({ ip: '192.0.2.41' }, { providerCode: agency.code, loginName: staff.loginName, message: null }, { minDurationMs: 0 });
    const request = await db().helpRequest.findFirstOrThrow({ where: { agencyId: agency.id } });
    const mail = await db().outboxMessage.findFirstOrThrow({ where: { toAddress: `pat.${suffix}@tz.example` } });
    const when = formatDateTime(request.createdAt, 'America/Chicago');
    expect(when).toMatch(/ C[SD]T$/);
    expect(mail.textBody).toContain(`on ${when}.`);
  });

  it('[SUPER_ADMIN] clears an admin’s second factors: the receipts and the mail say so, and that the password went with them, in the agency’s zone', async () => {
    const agency = await createAgency(db(), { timeZone: 'America/New_York' });
    const actor = await superAdminOf(agency);
    const suffix = uniqueSuffix();
    const admin = await createUser(db(), agency.id, PASSWORD, { role: 'PROVIDER_ADMIN', loginName: 'pat', email: `pat.${suffix}@tz.example` });
    await addTotpFactor(db(), { userId: admin.id });
    expect(await clearUserSecondFactors(actor, { userId: admin.id, expectedVersion: admin.sessionVersion, code: await codeOfAppHeldBefore({ userId: actor.userId }) }, '192.0.2.43')).toMatchObject({ ok: true });
    const receipt = await db().outboxMessage.findFirstOrThrow({ where: { toAddress: `pat.${suffix}@tz.example`, template: 'admin-reset-receipt' } });
    expect(receipt.subject).toBe(`Administrator second factors cleared at ${agency.name}`);
    expect(receipt.textBody).toContain('were cleared by');
    expect(receipt.textBody).toContain('its password reset to a temporary one');
    expect(receipt.textBody).toMatch(/ E[SD]T, and its password/);
  });

  it('[PROVIDER_ADMIN] new recovery codes are mailed with the time in the agency’s zone', async () => {
    const agency = await createAgency(db(), { timeZone: 'America/Chicago' });
    const suffix = uniqueSuffix();
    const admin = await createUser(db(), agency.id, PASSWORD, { role: 'PROVIDER_ADMIN', loginName: 'pat', email: `pat.${suffix}@tz.example` });
    const secret = await addTotpFactor(db(), { userId: admin.id });
    const pending = await signInAgencyUser({ providerCode: agency.code, loginName: admin.loginName, password: PASSWORD }, '192.0.2.44');
    if (!pending.ok) throw new Error('sign-in failed');
    const actor = (await resolveSession(pending.sessionId)) as AgencyActor;
    const made = await regenerateRecoveryCodes(actor, { code: await totpCodeFor(secret, totpStep(new Date())) }, '192.0.2.44');
    expect(made.recoveryCodes).toHaveLength(10);
    const mail = await db().outboxMessage.findFirstOrThrow({ where: { toAddress: `pat.${suffix}@tz.example`, template: 'second-factor-changed' } });
    expect(mail.textBody).toMatch(/ C[SD]T: new recovery codes made\./);
  });
});
