import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bulkUnlockUsers } from '@/lib/admin/bulk-unlock-users';
import { FAILURE_LOCKS_PER_UNLOCK } from '@/lib/admin/list-failure-locks';
import { changeUserRole } from '@/lib/admin/change-user-role';
import { clearUserSecondFactors } from '@/lib/admin/clear-user-second-factors';
import { getUserForAdmin } from '@/lib/admin/get-user-for-admin';
import { handleHelpRequest, listHelpRequests } from '@/lib/admin/help-requests';
import { issueTemporaryPassword } from '@/lib/admin/issue-temporary-password';
import { EXPORT_BUSY, exportAgencyAuditCsv, listAgencyAudit } from '@/lib/admin/list-agency-audit';
import { listAgencyUsers, userListQuerySchema } from '@/lib/admin/list-agency-users';
import { searchTermRows } from '@/lib/admin/user-search-terms';
import { setUserStatus } from '@/lib/admin/set-user-status';
import { unlockUser } from '@/lib/admin/unlock-user';
import { getAgencyPolicy, POLICY_CHANGED_MESSAGE, policyVersion, updateAgencyPolicy } from '@/lib/admin/update-agency-policy';
import { resolveSession, SESSION_IDLE_MS, type AgencyActor } from '@/lib/auth/session';
import { signInAgencyUser } from '@/lib/auth/sign-in';
import { sealFactorSecret } from '@/lib/mfa/secret-box';
import { newTotpSecret } from '@/lib/mfa/totp';
import { db } from '@/lib/db/client';
import { databaseKind } from '@/lib/db/kind';
import type { Role } from '@/lib/generated/sqlite/enums';
import { DEFAULT_POLICY } from '@/lib/policy/agency-policy';
import { recordAudit } from '@/lib/audit/record';
import { RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import { addTotpFactor, createAgency, createUser, createVendorAccount, uniqueSuffix } from '@/prisma/factories';
import { logger } from '@/lib/observability/logger.mjs';
import { whileCompetingTransactionHolds } from '../support/competing-transaction';
import { codeOfAppHeldBefore } from '../support/next-totp-code';

/** A press of the banner's bulk unlock as drawn now: up to a press's worth of accounts, locked by then. */
const pressBulkUnlock = () => ({ confirm: 'yes' as const, shown: FAILURE_LOCKS_PER_UNLOCK, shownAt: Date.now() });

const PASSWORD = 'granite willow ocean falcon';
const IP = '192.0.2.10';

async function member(agencyId: string, role: Role = 'STAFF', overrides: Parameters<typeof createUser>[3] = {}) {
  return createUser(db(), agencyId, PASSWORD, { role, email: `u.${uniqueSuffix()}@agency.example`, ...overrides });
}

async function signIn(agency: { code: string }, user: { loginName: string }, password = PASSWORD) {
  return signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password }, IP);
}

async function actorFor(agency: { code: string }, user: { loginName: string }): Promise<AgencyActor> {
  const result = await signIn(agency, user);
  if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
  return (await resolveSession(result.sessionId)) as AgencyActor;
}

/** The actor's own code, from an app held since before their session: a raise or a less strict policy asks for it (review r55g F1). */
const ownCode = (actor: AgencyActor) => codeOfAppHeldBefore({ userId: actor.userId });

/** Two agencies: A with a super admin, a provider admin and staff; B with its own staff. */
/** An Unlock that has something to unlock: the account is locked first, as a run of wrong passwords leaves it. */
async function unlockLocked(actor: AgencyActor, userId: string, ip: string) {
  await db().user.update({ where: { id: userId }, data: { failedSignInCount: 5, lockedUntil: new Date(Date.now() + 60_000) } });
  expect(await unlockUser(actor, { userId }, ip)).toEqual({ ok: true, value: undefined });
}

/** A temporary password for `userId`, issued by `admin` at the account's version as it is now. */
async function temporaryPasswordFor(admin: AgencyActor, userId: string): Promise<string> {
  const { sessionVersion } = await db().user.findUniqueOrThrow({ where: { id: userId }, select: { sessionVersion: true } });
  const issued = await issueTemporaryPassword(admin, { userId, expectedVersion: sessionVersion }, IP);
  if (!issued.ok) throw new Error(issued.message);
  return issued.value.temporaryPassword;
}

async function twoAgencies() {
  const a = await createAgency(db(), { name: 'Agency Alpha' });
  const b = await createAgency(db(), { name: 'Agency Beta' });
  const superAdmin = await member(a.id, 'SUPER_ADMIN', { displayName: 'Sue Super' });
  const admin = await member(a.id, 'PROVIDER_ADMIN', { displayName: 'Pat Admin' });
  const staff = await member(a.id, 'STAFF', { displayName: 'Sam Staff' });
  const foreign = await member(b.id, 'STAFF', { displayName: 'Fay Foreign' });
  const foreignSuper = await member(b.id, 'SUPER_ADMIN');
  return {
    a,
    b,
    superAdmin,
    admin,
    staff,
    foreign,
    foreignSuper,
    superActor: await actorFor(a, superAdmin),
    adminActor: await actorFor(a, admin),
  };
}

let consoleOutput: string[] = [];
beforeEach(() => {
  consoleOutput = [];
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      consoleOutput.push(args.map(String).join(' '));
    });
  }
  // The app logs through pino (to stdout, not console): what it hands the logger counts too.
  for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) {
    vi.spyOn(logger, level).mockImplementation((...args: unknown[]) => {
      consoleOutput.push(JSON.stringify(args));
    });
  }
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('temporary password reset', () => {
  it('[PROVIDER_ADMIN] can reset a staff member: shown once, forced change, unlocked, sessions ended, notice without the password', async () => {
    const { a, adminActor, staff } = await twoAgencies();
    await db().user.update({ where: { id: staff.id }, data: { hardLockedAt: new Date(), failedSignInCount: 20 } });
    const staffSession = await signIn(a, staff);
    expect(staffSession.ok).toBe(false); // locked
    await db().user.update({ where: { id: staff.id }, data: { hardLockedAt: null, failedSignInCount: 0 } });
    const openSession = await signIn(a, staff);
    await db().user.update({ where: { id: staff.id }, data: { hardLockedAt: new Date(), failedSignInCount: 20 } });

    const result = await issueTemporaryPassword(adminActor, { userId: staff.id, expectedVersion: staff.sessionVersion }, IP);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const temporary = result.value.temporaryPassword;
    expect(temporary).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{16}$/);
    expect(result.value.expiresAt.getTime() - Date.now()).toBeGreaterThan(71 * 3600_000);

    // The session opened before the reset is refused on its next request.
    expect(await resolveSession(openSession.ok ? openSession.sessionId : '')).toBeNull();
    const after = await db().user.findUniqueOrThrow({ where: { id: staff.id } });
    expect(after).toMatchObject({ mustChangePassword: true, hardLockedAt: null, failedSignInCount: 0 });
    expect((await signIn(a, staff)).ok).toBe(false);
    const withTemporary = await signIn(a, staff, temporary);
    expect(withTemporary.ok).toBe(true);
    expect(await resolveSession(withTemporary.ok ? withTemporary.sessionId : '')).toMatchObject({ mustChangePassword: true });
    // Single use: the console says it opened a sign-in, and it opens no other.
    expect((await getUserForAdmin(adminActor, staff.id))?.temporaryPassword.state).toBe('signed-in');
    expect(await signIn(a, staff, temporary)).toEqual({ ok: false, reason: 'TEMPORARY_PASSWORD_USED' });
    // A new reset issues one that works again, once.
    const again = await issueTemporaryPassword(adminActor, { userId: staff.id, expectedVersion: after.sessionVersion }, IP);
    if (!again.ok) throw new Error(again.message);
    expect((await getUserForAdmin(adminActor, staff.id))?.temporaryPassword.state).toBe('issued');
    expect((await signIn(a, staff, again.value.temporaryPassword)).ok).toBe(true);

    const notice = await db().outboxMessage.findFirstOrThrow({ where: { toAddress: staff.email!, template: 'password-reset-by-admin' } });
    // The temporary password is nowhere but in the admin's answer.
    const everywhere = JSON.stringify([
      notice,
      await db().outboxMessage.findMany({ where: { createdAt: { gte: new Date(Date.now() - 60_000) } } }),
      await db().auditEvent.findMany({ where: { targetId: staff.id } }),
      await getUserForAdmin(adminActor, staff.id),
      consoleOutput,
    ]);
    expect(everywhere).not.toContain(temporary);
    expect(everywhere).not.toContain(again.value.temporaryPassword);
    expect(everywhere).not.toContain(after.passwordHash);
  });

  it('a double submit leaves exactly one temporary password valid', async () => {
    const { a, adminActor, staff } = await twoAgencies();
    const input = { userId: staff.id, expectedVersion: staff.sessionVersion };
    const [first, second] = await Promise.all([issueTemporaryPassword(adminActor, input, IP), issueTemporaryPassword(adminActor, input, IP)]);
    const winners = [first, second].filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const loser = [first, second].find((r) => !r.ok)!;
    expect(loser.ok ? '' : loser.message).toMatch(/changed while you were looking/);
    const temporary = winners[0]!.ok ? winners[0]!.value.temporaryPassword : '';
    expect((await signIn(a, staff, temporary)).ok).toBe(true);
  });

  it('[PROVIDER_ADMIN] resetting another admin mails a receipt to the super admins and to the account', async () => {
    const { a, adminActor, superAdmin } = await twoAgencies();
    const otherAdmin = await member(a.id, 'PROVIDER_ADMIN');
    const result = await issueTemporaryPassword(adminActor, { userId: otherAdmin.id, expectedVersion: otherAdmin.sessionVersion }, IP);
    expect(result.ok).toBe(true);
    const receipts = await db().outboxMessage.findMany({ where: { template: 'admin-reset-receipt', toAddress: { in: [superAdmin.email!, otherAdmin.email!] } } });
    expect(receipts.map((r) => r.toAddress).sort()).toEqual([superAdmin.email!, otherAdmin.email!].sort());
    expect(receipts[0]!.textBody).toContain('This wasn’t expected?');
    expect(receipts[0]!.textBody).toContain('Pat Admin');
  });

  it('[PROVIDER_ADMIN] cannot reset an admin when the policy keeps that to super admins; [SUPER_ADMIN] can', async () => {
    const { a, adminActor, superActor } = await twoAgencies();
    await db().agency.update({ where: { id: a.id }, data: { onlySuperAdminsResetAdmins: true } });
    const otherAdmin = await member(a.id, 'PROVIDER_ADMIN');
    const input = { userId: otherAdmin.id, expectedVersion: otherAdmin.sessionVersion };
    expect(await issueTemporaryPassword(adminActor, input, IP)).toMatchObject({ ok: false });
    expect(await issueTemporaryPassword(superActor, input, IP)).toMatchObject({ ok: true });
  });
});

describe('one agency only, never oneself', () => {
  it('[PROVIDER_ADMIN] of agency A cannot list, read, reset, unlock, disable or change the role of a user of agency B; every try is audited', async () => {
    const { adminActor, superActor, foreign } = await twoAgencies();
    const listed = await listAgencyUsers(adminActor, userListQuerySchema.parse({ q: foreign.loginName }));
    expect(listed.users).toEqual([]);
    expect(await getUserForAdmin(adminActor, foreign.id)).toBeNull();
    const attempts = [
      issueTemporaryPassword(adminActor, { userId: foreign.id, expectedVersion: foreign.sessionVersion }, IP),
      unlockUser(adminActor, { userId: foreign.id }, IP),
      setUserStatus(adminActor, { userId: foreign.id, status: 'DISABLED' }, IP),
      changeUserRole(superActor, { userId: foreign.id, role: 'PROVIDER_ADMIN' }, IP),
    ];
    for (const result of await Promise.all(attempts)) expect(result).toEqual({ ok: false, message: 'No such user in your agency.' });
    const untouched = await db().user.findUniqueOrThrow({ where: { id: foreign.id } });
    expect(untouched).toMatchObject({ status: 'ACTIVE', role: 'STAFF', mustChangePassword: false, passwordHash: foreign.passwordHash });
    expect(await db().auditEvent.count({ where: { targetId: foreign.id, action: 'ADMIN_ACTION_DENIED' } })).toBe(4);
  });

  it('[PROVIDER_ADMIN] of agency A refused on a user of agency B: the record names both agencies, the admin learns nothing', async () => {
    const { a, b, adminActor, foreign } = await twoAgencies();
    const madeUp = `c${uniqueSuffix()}nosuchuser`;
    const [onForeign, onMadeUp] = await Promise.all([
      unlockUser(adminActor, { userId: foreign.id }, IP),
      unlockUser(adminActor, { userId: madeUp }, IP),
    ]);
    // The same answer for a user who exists elsewhere and for one who exists nowhere.
    expect(onForeign).toEqual({ ok: false, message: 'No such user in your agency.' });
    expect(onMadeUp).toEqual(onForeign);

    const denied = async (targetId: string) => {
      const record = await db().auditEvent.findFirstOrThrow({ where: { targetId, action: 'ADMIN_ACTION_DENIED' } });
      return { agencyId: record.agencyId, actorId: record.actorId, details: JSON.parse(record.details!) as Record<string, unknown> };
    };
    expect(await denied(foreign.id)).toEqual({
      agencyId: a.id,
      actorId: adminActor.userId,
      details: { capability: 'users:unlock', reason: 'other-agency', targetAgencyId: b.id },
    });
    expect(await denied(madeUp)).toEqual({
      agencyId: a.id,
      actorId: adminActor.userId,
      details: { capability: 'users:unlock', reason: 'other-agency' },
    });
    // The agency's own export cannot serve as an oracle for which foreign ids exist.
    const csv = await exportAgencyAuditCsv(adminActor, { page: 1, action: 'ADMIN_ACTION_DENIED' }, IP);
    expect(csv).toContain(foreign.id);
    expect(csv).not.toContain(b.id);
    expect(csv).not.toContain('targetAgencyId');
    const rowFor = (id: string) => csv.split('\r\n').find((line) => line.includes(id))!.split(',').slice(-2).join(',');
    expect(rowFor(foreign.id)).toBe(rowFor(madeUp));
  });

  it('[SUPER_ADMIN] cannot reset, unlock, disable or demote themselves', async () => {
    const { superActor, superAdmin } = await twoAgencies();
    const results = await Promise.all([
      issueTemporaryPassword(superActor, { userId: superAdmin.id, expectedVersion: superAdmin.sessionVersion }, IP),
      unlockUser(superActor, { userId: superAdmin.id }, IP),
      setUserStatus(superActor, { userId: superAdmin.id, status: 'DISABLED' }, IP),
      changeUserRole(superActor, { userId: superAdmin.id, role: 'STAFF' }, IP),
    ]);
    for (const result of results) expect(result.ok ? '' : result.message).toMatch(/Ask another administrator/);
  });

  it('[STAFF] cannot use any console use case', async () => {
    const { a, staff, admin } = await twoAgencies();
    const staffActor = await actorFor(a, staff);
    expect(await unlockUser(staffActor, { userId: admin.id }, IP)).toMatchObject({ ok: false });
    expect(await issueTemporaryPassword(staffActor, { userId: admin.id, expectedVersion: admin.sessionVersion }, IP)).toMatchObject({ ok: false });
    expect(await updateAgencyPolicy(staffActor, { ...DEFAULT_POLICY }, IP)).toMatchObject({ ok: false });
  });
});

describe('unlock, disable, roles', () => {
  it('[PROVIDER_ADMIN] unlocks without changing the password or ending sessions', async () => {
    const { a, adminActor, staff } = await twoAgencies();
    const session = await signIn(a, staff);
    await db().user.update({ where: { id: staff.id }, data: { hardLockedAt: new Date(), failedSignInCount: 20 } });
    expect(await unlockUser(adminActor, { userId: staff.id }, IP)).toEqual({ ok: true, value: undefined });
    expect(await resolveSession(session.ok ? session.sessionId : '')).not.toBeNull();
    expect((await signIn(a, staff)).ok).toBe(true);
  });

  it('[PROVIDER_ADMIN] Unlock pressed on an account with nothing to unlock, or several times at once, changes and records nothing more (r26c N4)', async () => {
    const { adminActor, staff } = await twoAgencies();
    const records = () => db().auditEvent.count({ where: { targetId: staff.id, action: 'ADMIN_ACCOUNT_UNLOCKED' } });
    expect(await unlockUser(adminActor, { userId: staff.id }, IP)).toEqual({ ok: false, message: 'This account is not locked: there was nothing to unlock.' });
    expect(await records()).toBe(0);
    await db().user.update({ where: { id: staff.id }, data: { hardLockedAt: new Date(), failedSignInCount: 20 } });
    const answers = await Promise.all(Array.from({ length: 3 }, () => unlockUser(adminActor, { userId: staff.id }, IP)));
    expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
    expect(await records()).toBe(1);
    // Failures short of a lock are something to clear.
    await db().user.update({ where: { id: staff.id }, data: { failedSignInCount: 3 } });
    expect((await unlockUser(adminActor, { userId: staff.id }, IP)).ok).toBe(true);
    expect(await records()).toBe(2);
  });

  it('[PROVIDER_ADMIN] disabling ends the sessions; enabling lets the person in again', async () => {
    const { a, adminActor, staff } = await twoAgencies();
    const session = await signIn(a, staff);
    expect((await setUserStatus(adminActor, { userId: staff.id, status: 'DISABLED' }, IP)).ok).toBe(true);
    expect(await resolveSession(session.ok ? session.sessionId : '')).toBeNull();
    expect(await signIn(a, staff)).toEqual({ ok: false, reason: 'INVALID' });
    expect((await setUserStatus(adminActor, { userId: staff.id, status: 'ACTIVE' }, IP)).ok).toBe(true);
    expect((await signIn(a, staff)).ok).toBe(true);
  });

  it('[PROVIDER_ADMIN] a temporary password given before a disable does not open the account once enabled again; a disabled account is given none, nor a clearing of its factors (review r42e F1)', async () => {
    const { a, adminActor, staff } = await twoAgencies();
    const temporary = await temporaryPasswordFor(adminActor, staff.id);
    expect((await setUserStatus(adminActor, { userId: staff.id, status: 'DISABLED' }, IP)).ok).toBe(true);
    const disabled = await db().user.findUniqueOrThrow({ where: { id: staff.id } });
    const asSeen = { userId: staff.id, expectedVersion: disabled.sessionVersion };
    expect(await issueTemporaryPassword(adminActor, asSeen, IP)).toEqual({ ok: false, message: 'This account is disabled. Enable it first, then reset the password.' });
    expect(await clearUserSecondFactors(adminActor, asSeen, IP)).toEqual({ ok: false, message: 'This account is disabled. Enable it first, then clear the second factors.' });
    expect(await db().user.findUniqueOrThrow({ where: { id: staff.id } })).toMatchObject({ passwordHash: disabled.passwordHash, sessionVersion: disabled.sessionVersion });
    expect((await setUserStatus(adminActor, { userId: staff.id, status: 'ACTIVE' }, IP)).ok).toBe(true);
    expect((await signIn(a, staff, temporary)).ok).toBe(false);
    // A reset after the enable gives one that works.
    expect((await signIn(a, staff, await temporaryPasswordFor(adminActor, staff.id))).ok).toBe(true);
  });

  it('[PROVIDER_ADMIN] enabling an active account, or disabling a disabled one, is said to change nothing and records nothing', async () => {
    const { adminActor, staff } = await twoAgencies();
    const records = () => db().auditEvent.count({ where: { targetId: staff.id, action: { in: ['ADMIN_ACCOUNT_ENABLED', 'ADMIN_ACCOUNT_DISABLED'] } } });
    expect(await setUserStatus(adminActor, { userId: staff.id, status: 'ACTIVE' }, IP)).toEqual({ ok: false, message: 'This account is already active.' });
    expect(await records()).toBe(0);
    expect((await setUserStatus(adminActor, { userId: staff.id, status: 'DISABLED' }, IP)).ok).toBe(true);
    const { sessionVersion } = await db().user.findUniqueOrThrow({ where: { id: staff.id } });
    expect(await setUserStatus(adminActor, { userId: staff.id, status: 'DISABLED' }, IP)).toEqual({ ok: false, message: 'This account is already disabled.' });
    expect(await records()).toBe(1);
    expect((await db().user.findUniqueOrThrow({ where: { id: staff.id } })).sessionVersion).toBe(sessionVersion);
  });

  it('[SUPER_ADMIN] grants and revokes roles; [PROVIDER_ADMIN] cannot', async () => {
    const { adminActor, superActor, staff } = await twoAgencies();
    await addTotpFactor(db(), { userId: staff.id });
    expect(await changeUserRole(adminActor, { userId: staff.id, role: 'PROVIDER_ADMIN' }, IP)).toMatchObject({ ok: false });
    expect(await changeUserRole(superActor, { userId: staff.id, role: 'PROVIDER_ADMIN', confirm: 'yes', from: 'STAFF', code: await ownCode(superActor) }, IP)).toMatchObject({ ok: true, value: { state: 'changed' } });
    expect((await db().user.findUniqueOrThrow({ where: { id: staff.id } })).role).toBe('PROVIDER_ADMIN');
    expect(await changeUserRole(superActor, { userId: staff.id, role: 'STAFF', confirm: 'yes', from: 'PROVIDER_ADMIN' }, IP)).toMatchObject({ ok: true, value: { state: 'changed' } });
  });

  it('[SUPER_ADMIN] a role change without "yes" only asks, and "no" changes nothing; neither is audited or mailed', async () => {
    const { superActor, staff } = await twoAgencies();
    await addTotpFactor(db(), { userId: staff.id });
    const before = await db().user.findUniqueOrThrow({ where: { id: staff.id }, select: { role: true, sessionVersion: true } });
    const asked = await Promise.all([
      changeUserRole(superActor, { userId: staff.id, role: 'SUPER_ADMIN' }, IP),
      changeUserRole(superActor, { userId: staff.id, role: 'SUPER_ADMIN' }, IP),
      changeUserRole(superActor, { userId: staff.id, role: 'SUPER_ADMIN', confirm: 'no' }, IP),
    ]);
    expect(asked.map((r) => (r.ok ? r.value.state : r.message))).toEqual(['ask', 'ask', 'cancelled']);
    expect(asked[0]).toMatchObject({ ok: true, value: { name: 'Sam Staff', from: 'STAFF', to: 'SUPER_ADMIN' } });
    expect(await db().user.findUniqueOrThrow({ where: { id: staff.id }, select: { role: true, sessionVersion: true } })).toEqual(before);
    expect(await db().auditEvent.count({ where: { targetId: staff.id, action: 'ADMIN_ROLE_CHANGED' } })).toBe(0);
    expect(await db().outboxMessage.count({ where: { template: 'role-changed-receipt', toAddress: staff.email! } })).toBe(0);
  });

  it('[SUPER_ADMIN] a confirmed role change is audited and mailed once to the account and each super admin with an address', async () => {
    const { a, superActor, superAdmin, staff } = await twoAgencies();
    await addTotpFactor(db(), { userId: staff.id });
    const otherSuper = await member(a.id, 'SUPER_ADMIN', { displayName: 'Otto Other' });
    const noAddress = await member(a.id, 'SUPER_ADMIN', { email: null });
    const result = await changeUserRole(superActor, { userId: staff.id, role: 'PROVIDER_ADMIN', confirm: 'yes', from: 'STAFF', code: await ownCode(superActor) }, IP);
    expect(result).toMatchObject({ ok: true, value: { state: 'changed', from: 'STAFF', to: 'PROVIDER_ADMIN' } });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { targetId: staff.id, action: 'ADMIN_ROLE_CHANGED' } });
    const mails = await db().outboxMessage.findMany({ where: { template: 'role-changed-receipt', createdAt: { gte: audit.createdAt } }, select: { toAddress: true, textBody: true } });
    const ours = mails.filter((m) => [staff.email, superAdmin.email, otherSuper.email].includes(m.toAddress));
    expect(ours.map((m) => m.toAddress).sort()).toEqual([staff.email, superAdmin.email, otherSuper.email].sort());
    expect(noAddress.email).toBeNull();
    for (const mail of ours) {
      expect(mail.textBody).toContain('from Staff to Provider administrator');
      expect(mail.textBody).toContain(superActor.displayName);
      expect(mail.textBody).toContain('This wasn’t expected?');
    }
    // Confirming again changes nothing more and mails nobody.
    expect(await changeUserRole(superActor, { userId: staff.id, role: 'PROVIDER_ADMIN', confirm: 'yes', from: 'STAFF' }, IP)).toMatchObject({ ok: true, value: { state: 'unchanged' } });
    expect(await db().outboxMessage.count({ where: { template: 'role-changed-receipt', toAddress: staff.email! } })).toBe(1);
  });

  it('[SUPER_ADMIN] a yes to a question about another role asks again: a stale tab does not demote the super admin another tab made (review r38b F2)', async () => {
    const { superActor, staff } = await twoAgencies();
    await addTotpFactor(db(), { userId: staff.id });
    // Tab A asks to make the staff member a provider administrator; tab B makes them a super administrator meanwhile.
    expect(await changeUserRole(superActor, { userId: staff.id, role: 'PROVIDER_ADMIN' }, IP)).toMatchObject({ ok: true, value: { state: 'ask', from: 'STAFF' } });
    expect(await changeUserRole(superActor, { userId: staff.id, role: 'SUPER_ADMIN', confirm: 'yes', from: 'STAFF', code: await ownCode(superActor) }, IP)).toMatchObject({ ok: true, value: { state: 'changed' } });
    const stale = await changeUserRole(superActor, { userId: staff.id, role: 'PROVIDER_ADMIN', confirm: 'yes', from: 'STAFF' }, IP);
    expect(stale).toMatchObject({ ok: true, value: { state: 'ask-again', from: 'SUPER_ADMIN', to: 'PROVIDER_ADMIN' } });
    // A yes that names no role (no browser sends one) changes nothing and is asked plainly: it is not told the role changed (review r38e F3).
    expect(await changeUserRole(superActor, { userId: staff.id, role: 'PROVIDER_ADMIN', confirm: 'yes' }, IP)).toMatchObject({ ok: true, value: { state: 'ask', from: 'SUPER_ADMIN' } });
    expect((await db().user.findUniqueOrThrow({ where: { id: staff.id } })).role).toBe('SUPER_ADMIN');
    expect(await db().auditEvent.count({ where: { targetId: staff.id, action: 'ADMIN_ROLE_CHANGED' } })).toBe(1);
  });

  it('[SUPER_ADMIN] an account with no second factor is not raised to an admin role, asked or confirmed: its password alone would add the first factor, for whoever knows it (review r41c F1)', async () => {
    const { a, superActor, staff } = await twoAgencies();
    const before = await db().user.findUniqueOrThrow({ where: { id: staff.id }, select: { role: true, sessionVersion: true } });
    const refusal = {
      ok: false,
      message: 'Sam Staff has no second factor yet, so they cannot be made a provider administrator: whoever knows their password could add one first and take the account. Ask them to add an authenticator app or a passkey on their Sign-in security page, then try again. Nothing was changed.',
    };
    expect(await changeUserRole(superActor, { userId: staff.id, role: 'PROVIDER_ADMIN' }, IP)).toEqual(refusal);
    expect(await changeUserRole(superActor, { userId: staff.id, role: 'PROVIDER_ADMIN', confirm: 'yes', from: 'STAFF' }, IP)).toEqual(refusal);
    expect(await changeUserRole(superActor, { userId: staff.id, role: 'SUPER_ADMIN', confirm: 'yes', from: 'STAFF' }, IP)).toMatchObject({ ok: false, message: expect.stringContaining('cannot be made a super administrator') });
    // An enrolment begun but not confirmed is no factor: it signs no one in.
    await db().mfaFactor.create({ data: { userId: staff.id, kind: 'TOTP', name: 'Phone', secret: sealFactorSecret(newTotpSecret()) } });
    expect(await changeUserRole(superActor, { userId: staff.id, role: 'PROVIDER_ADMIN', confirm: 'yes', from: 'STAFF' }, IP)).toEqual(refusal);
    // "No" is still no.
    expect(await changeUserRole(superActor, { userId: staff.id, role: 'PROVIDER_ADMIN', confirm: 'no' }, IP)).toMatchObject({ ok: true, value: { state: 'cancelled' } });
    expect(await db().user.findUniqueOrThrow({ where: { id: staff.id }, select: { role: true, sessionVersion: true } })).toEqual(before);
    expect(await db().auditEvent.count({ where: { targetId: staff.id, action: 'ADMIN_ROLE_CHANGED' } })).toBe(0);
    expect(await db().outboxMessage.count({ where: { template: 'role-changed-receipt', toAddress: staff.email! } })).toBe(0);

    // Lowering a role is never refused for it, and a provider administrator with no factor is not raised further.
    const admin = await member(a.id, 'PROVIDER_ADMIN');
    expect(await changeUserRole(superActor, { userId: admin.id, role: 'SUPER_ADMIN', confirm: 'yes', from: 'PROVIDER_ADMIN' }, IP)).toMatchObject({ ok: false, message: expect.stringContaining('has no second factor yet') });
    const formerSuper = await member(a.id, 'SUPER_ADMIN');
    expect(await changeUserRole(superActor, { userId: formerSuper.id, role: 'PROVIDER_ADMIN', confirm: 'yes', from: 'SUPER_ADMIN' }, IP)).toMatchObject({ ok: true, value: { state: 'changed' } });
    expect(await changeUserRole(superActor, { userId: admin.id, role: 'STAFF', confirm: 'yes', from: 'PROVIDER_ADMIN' }, IP)).toMatchObject({ ok: true, value: { state: 'changed' } });

    // Once the account holds a factor of its own, it is raised.
    await addTotpFactor(db(), { userId: staff.id });
    expect(await changeUserRole(superActor, { userId: staff.id, role: 'PROVIDER_ADMIN', confirm: 'yes', from: 'STAFF', code: await ownCode(superActor) }, IP)).toMatchObject({ ok: true, value: { state: 'changed' } });
  });

  it('never leaves an agency without an active super admin, even when two demote each other at once', async () => {
    const { a, superActor, superAdmin } = await twoAgencies();
    const second = await member(a.id, 'SUPER_ADMIN');
    const secondActor = await actorFor(a, second);
    const results = await Promise.all([
      changeUserRole(superActor, { userId: second.id, role: 'STAFF', confirm: 'yes', from: 'SUPER_ADMIN' }, IP),
      changeUserRole(secondActor, { userId: superAdmin.id, role: 'STAFF', confirm: 'yes', from: 'SUPER_ADMIN' }, IP),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await db().user.count({ where: { agencyId: a.id, role: 'SUPER_ADMIN', status: 'ACTIVE' } })).toBe(1);
  });

  it('refuses to disable the last active super admin, even when two disable each other at once', async () => {
    const { a, superAdmin, superActor } = await twoAgencies();
    const second = await member(a.id, 'SUPER_ADMIN');
    const secondActor = await actorFor(a, second);
    expect((await changeUserRole(secondActor, { userId: second.id, role: 'STAFF' }, IP)).ok).toBe(false);
    const results = await Promise.all([
      setUserStatus(superActor, { userId: second.id, status: 'DISABLED' }, IP),
      setUserStatus(secondActor, { userId: superAdmin.id, status: 'DISABLED' }, IP),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    // The one who lost the race was disabled by the other by the time their own turn came.
    const refused = results.find((r) => !r.ok);
    expect(refused?.ok === false && refused.message).toMatch(/Your own account changed/);
    expect(await db().user.count({ where: { agencyId: a.id, role: 'SUPER_ADMIN', status: 'ACTIVE' } })).toBe(1);
  });

  it('[PROVIDER_ADMIN] cannot disable or enable an administrator’s account, only staff; [SUPER_ADMIN] can, and the refusal is audited', async () => {
    const { a, superAdmin, superActor, adminActor, staff } = await twoAgencies();
    const otherAdmin = await member(a.id, 'PROVIDER_ADMIN');
    const secondSuper = await member(a.id, 'SUPER_ADMIN');
    const onlySuperAdmins = { ok: false, message: 'Only a super administrator can disable or enable an administrator’s account.' };
    for (const target of [superAdmin, secondSuper, otherAdmin]) {
      expect(await setUserStatus(adminActor, { userId: target.id, status: 'DISABLED' }, IP)).toEqual(onlySuperAdmins);
    }
    expect(await db().user.count({ where: { id: { in: [superAdmin.id, secondSuper.id, otherAdmin.id] }, status: 'ACTIVE' } })).toBe(3);
    const denied = await db().auditEvent.findMany({ where: { actorId: adminActor.kind === 'agency' ? adminActor.userId : '', action: 'ADMIN_ACTION_DENIED' } });
    expect(denied.map((event) => JSON.parse(event.details!).reason)).toEqual(['admins-by-super-admins', 'admins-by-super-admins', 'admins-by-super-admins']);
    // Nor bring back one a super admin disabled.
    expect((await setUserStatus(superActor, { userId: otherAdmin.id, status: 'DISABLED' }, IP)).ok).toBe(true);
    expect(await setUserStatus(adminActor, { userId: otherAdmin.id, status: 'ACTIVE' }, IP)).toEqual(onlySuperAdmins);
    expect((await db().user.findUniqueOrThrow({ where: { id: otherAdmin.id } })).status).toBe('DISABLED');
    expect((await setUserStatus(superActor, { userId: otherAdmin.id, status: 'ACTIVE' }, IP)).ok).toBe(true);
    expect((await setUserStatus(adminActor, { userId: staff.id, status: 'DISABLED' }, IP)).ok).toBe(true);
  });
});

describe('policy, lists, audit, help requests', () => {
  it('[SUPER_ADMIN] tightens the policy within bounds; out-of-bounds values change nothing', async () => {
    const { a, superActor, adminActor } = await twoAgencies();
    expect(await updateAgencyPolicy(adminActor, { ...DEFAULT_POLICY, minPasswordLength: 20 }, IP)).toMatchObject({ ok: false });
    const bad = await updateAgencyPolicy(superActor, { ...DEFAULT_POLICY, minPasswordLength: '7', hardLockThreshold: '500' }, IP);
    expect(bad.ok).toBe(false);
    expect(bad.fieldErrors?.minPasswordLength?.[0]).toMatch(/between 8 and 64/);
    expect(bad.fieldErrors?.hardLockThreshold?.[0]).toMatch(/between 10 and 100/);
    expect((await db().agency.findUniqueOrThrow({ where: { id: a.id } })).minPasswordLength).toBe(15);
    // A box ticked some other way than a form does is refused, not saved as unticked (review r50a F2).
    await db().agency.update({ where: { id: a.id }, data: { requirePasskeyForAdmins: true } });
    for (const tick of ['ON', '1', 'yes', 'false', '']) {
      const odd = await updateAgencyPolicy(superActor, { ...DEFAULT_POLICY, requirePasskeyForAdmins: tick }, IP);
      expect(odd.fieldErrors?.requirePasskeyForAdmins, tick).toEqual(['Tick the box, or leave it empty']);
    }
    expect((await db().agency.findUniqueOrThrow({ where: { id: a.id } })).requirePasskeyForAdmins).toBe(true);
    const good = await updateAgencyPolicy(superActor, { ...DEFAULT_POLICY, requirePasskeyForAdmins: 'on', minPasswordLength: '20', onlySuperAdminsResetAdmins: 'on' }, IP);
    expect(good.ok).toBe(true);
    expect(await db().agency.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({ minPasswordLength: 20, onlySuperAdminsResetAdmins: true });
  });

  it('[SUPER_ADMIN] a save from a page that showed an older policy is refused with the policy as saved, and undoes nothing (review r33d F1)', async () => {
    const { a, superActor } = await twoAgencies();
    const other = await actorFor(a, await member(a.id, 'SUPER_ADMIN', { displayName: 'Olu Other' }));
    const shown = policyVersion(await getAgencyPolicy(a.id));
    // Both opened the page; the other tightens first.
    const tightened = { ...DEFAULT_POLICY, minPasswordLength: '20', requireSecondFactorForAllStaff: 'on' };
    expect(await updateAgencyPolicy(other, tightened, IP, { seen: shown })).toMatchObject({ ok: true });
    const auditBefore = await db().auditEvent.count({ where: { agencyId: a.id, action: 'AGENCY_POLICY_UPDATED' } });
    // The first one's form still holds the old values, with its own change.
    const stale = await updateAgencyPolicy(superActor, { ...DEFAULT_POLICY, timeZone: 'America/Chicago' }, IP, { seen: shown });
    expect(stale).toMatchObject({ ok: false, message: POLICY_CHANGED_MESSAGE, saved: { minPasswordLength: 20, requireSecondFactorForAllStaff: true, timeZone: DEFAULT_POLICY.timeZone } });
    expect(await db().agency.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({ minPasswordLength: 20, requireSecondFactorForAllStaff: true, timeZone: DEFAULT_POLICY.timeZone });
    expect(await db().auditEvent.count({ where: { agencyId: a.id, action: 'AGENCY_POLICY_UPDATED' } })).toBe(auditBefore);
    // Made again on the form as saved, it goes through and keeps the other's tightening.
    const again = await updateAgencyPolicy(superActor, { ...tightened, timeZone: 'America/Chicago' }, IP, { seen: policyVersion(stale.saved!) });
    expect(again).toMatchObject({ ok: true });
    expect(await db().agency.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({ minPasswordLength: 20, requireSecondFactorForAllStaff: true, timeZone: 'America/Chicago' });
  });

  it('[SUPER_ADMIN] saving the policy as it is changes nothing and records no change (review r51g F3)', async () => {
    const { a, superActor } = await twoAgencies();
    const records = () => db().auditEvent.count({ where: { agencyId: a.id, action: 'AGENCY_POLICY_UPDATED' } });
    const saved = await getAgencyPolicy(a.id);
    const asShown = Object.fromEntries(Object.entries(saved).flatMap(([key, value]) => (value === false ? [] : [[key, value === true ? 'on' : String(value)]])));
    expect(await updateAgencyPolicy(superActor, asShown, IP, { seen: policyVersion(saved) })).toMatchObject({ ok: true });
    expect(await records()).toBe(0);
    expect(await updateAgencyPolicy(superActor, { ...asShown, minPasswordLength: '20' }, IP, { seen: policyVersion(saved) })).toMatchObject({ ok: true });
    expect(await records()).toBe(1);
  });

  it('[SUPER_ADMIN] a shorter temporary-password lifetime applies to those already issued, counted from their issue (review r33d F4)', async () => {
    const { a, superActor, adminActor, staff } = await twoAgencies();
    const other = await member(a.id, 'STAFF', { displayName: 'Tao Temp' });
    expect(await updateAgencyPolicy(superActor, { ...DEFAULT_POLICY, temporaryPasswordHours: '168' }, IP, { code: await ownCode(superActor) })).toMatchObject({ ok: true });
    const issue = async (user: { id: string; sessionVersion: number }) => {
      const result = await issueTemporaryPassword(adminActor, { userId: user.id, expectedVersion: user.sessionVersion }, IP);
      if (!result.ok) throw new Error(result.message);
      return result.value.temporaryPassword;
    };
    const fresh = await issue(staff);
    const older = await issue(other);
    // Issued three hours ago, for a week.
    const threeHoursAgo = new Date(Date.now() - 3 * 3_600_000);
    await db().user.update({ where: { id: other.id }, data: { temporaryPasswordIssuedAt: threeHoursAgo, temporaryPasswordExpiresAt: new Date(threeHoursAgo.getTime() + 168 * 3_600_000) } });

    expect(await updateAgencyPolicy(superActor, { ...DEFAULT_POLICY, temporaryPasswordHours: '2' }, IP)).toMatchObject({ ok: true });
    const shortened = await db().user.findUniqueOrThrow({ where: { id: staff.id } });
    const expired = await db().user.findUniqueOrThrow({ where: { id: other.id } });
    expect(shortened.temporaryPasswordExpiresAt!.getTime()).toBe(shortened.temporaryPasswordIssuedAt!.getTime() + 2 * 3_600_000);
    expect(expired.temporaryPasswordExpiresAt!.getTime()).toBe(threeHoursAgo.getTime() + 2 * 3_600_000);
    expect(await signIn(a, other, older)).toEqual({ ok: false, reason: 'TEMPORARY_PASSWORD_EXPIRED' });
    expect(await signIn(a, staff, fresh)).toMatchObject({ ok: true });
    // A longer lifetime gives none back.
    expect(await updateAgencyPolicy(superActor, { ...DEFAULT_POLICY, temporaryPasswordHours: '168' }, IP, { code: await ownCode(superActor) })).toMatchObject({ ok: true });
    expect((await db().user.findUniqueOrThrow({ where: { id: other.id } })).temporaryPasswordExpiresAt).toEqual(expired.temporaryPasswordExpiresAt);
  });

  it('[SUPER_ADMIN] a blank box, or a number written any other way than in digits, is refused and changes nothing', async () => {
    const { a, superActor } = await twoAgencies();
    for (const written of ['', '   ', '1e1', '0x10', '5.0', '-0', '٥', ['5'], null, true]) {
      const result = await updateAgencyPolicy(superActor, { ...DEFAULT_POLICY, passwordHistoryCount: written }, IP);
      expect(result.ok, JSON.stringify(written)).toBe(false);
      expect(result.fieldErrors?.passwordHistoryCount?.[0], JSON.stringify(written)).toMatch(/whole number/);
    }
    expect((await db().agency.findUniqueOrThrow({ where: { id: a.id } })).passwordHistoryCount).toBe(DEFAULT_POLICY.passwordHistoryCount);
    // Digits, with the spaces a phone's keyboard may add, and 0 written as such: history off, on purpose.
    expect(await updateAgencyPolicy(superActor, { ...DEFAULT_POLICY, passwordHistoryCount: ' 0 ' }, IP, { code: await ownCode(superActor) })).toMatchObject({ ok: true });
    expect((await db().agency.findUniqueOrThrow({ where: { id: a.id } })).passwordHistoryCount).toBe(0);
  });

  it('lists only the own agency, searches login and name prefixes, and filters', async () => {
    const { a, adminActor, staff } = await twoAgencies();
    await db().user.update({ where: { id: staff.id }, data: { lockedUntil: new Date(Date.now() + 60_000) } });
    const list = (q: Record<string, string>) => listAgencyUsers(adminActor, userListQuerySchema.parse(q));
    expect((await list({})).users.map((u) => u.id).sort()).toEqual(
      (await db().user.findMany({ where: { agencyId: a.id }, select: { id: true } })).map((u) => u.id).sort(),
    );
    expect((await list({ q: 'SAM st' })).users.map((u) => u.id)).toEqual([staff.id]);
    expect((await list({ q: staff.loginName.toUpperCase() })).users.map((u) => u.id)).toEqual([staff.id]);
    expect((await list({ filter: 'locked' })).users.map((u) => u.id)).toEqual([staff.id]);
    expect((await list({ filter: 'admins' })).users).toHaveLength(2);
    expect((await list({ filter: 'nonsense', page: '-3' })).users.length).toBeGreaterThan(0);
    // A search longer than the box holds searches for its start, rather than listing everyone (review r34b F4).
    expect((await list({ q: `${staff.loginName}${'x'.repeat(300)}` })).users).toEqual([]);
    expect((await list({ q: staff.loginName.padEnd(300, ' ') })).users.map((u) => u.id)).toEqual([staff.id]);
  });

  it('pages a filter in its own order: latest sign-in first (never signed in last), or by name; each kind of lock once', async () => {
    const agency = await createAgency(db());
    const adminActor = await actorFor(agency, await member(agency.id, 'PROVIDER_ADMIN'));
    const now = Date.now();
    const locked = Array.from({ length: 30 }, (_, i) => ({
      agencyId: agency.id,
      loginName: `locked.${i}`,
      loginKey: `locked.${i}`,
      displayName: `Person ${String(29 - i).padStart(2, '0')}`,
      nameKey: `person ${String(29 - i).padStart(2, '0')}`,
      passwordHash: 'not used to sign in',
      // Hard locks, soft locks, and some with both.
      hardLockedAt: i % 3 === 0 ? new Date(now) : null,
      lockedUntil: i % 3 !== 0 || i % 2 === 0 ? new Date(now + 600_000) : null,
      lastSignInAt: i % 5 === 4 ? null : new Date(now - i * 60_000),
    }));
    await db().user.createMany({ data: locked });
    const expired = { ...locked[0]!, loginName: 'was.locked', loginKey: 'was.locked', hardLockedAt: null, lockedUntil: new Date(now - 1000) };
    await db().user.create({ data: expired });
    // Their search terms, as the app writes them with every user.
    await db().userSearchTerm.createMany({ data: (await db().user.findMany({ where: { agencyId: agency.id, searchTerms: { none: {} } } })).flatMap(searchTermRows) });
    const list = async (query: Record<string, string>) => {
      const pages = [await listAgencyUsers(adminActor, userListQuerySchema.parse({ filter: 'locked', ...query }))];
      pages.push(await listAgencyUsers(adminActor, userListQuerySchema.parse({ filter: 'locked', page: '2', ...query })));
      expect(pages.map((page) => page.hasNextPage)).toEqual([true, false]);
      return pages.flatMap((page) => page.users);
    };

    const bySignIn = (await list({})).map((user) => user.loginName);
    const signedIn = locked.filter((user) => user.lastSignInAt).map((user) => user.loginName);
    expect(bySignIn.slice(0, signedIn.length)).toEqual(signedIn);
    expect(bySignIn.slice(signedIn.length).sort()).toEqual(locked.filter((user) => !user.lastSignInAt).map((user) => user.loginName).sort());
    expect((await list({ sort: 'name' })).map((user) => user.displayName)).toEqual(locked.map((user) => user.displayName).sort());

    const search = async (q: string) =>
      (await listAgencyUsers(adminActor, userListQuerySchema.parse({ filter: 'locked', sort: 'name', q }))).users.map((user) => user.loginName);
    expect(await search('PERSON 0')).toEqual(['locked.29', 'locked.28', 'locked.27', 'locked.26', 'locked.25', 'locked.24', 'locked.23', 'locked.22', 'locked.21', 'locked.20']);
    expect((await search('Locked.1')).sort()).toEqual(['locked.1', ...Array.from({ length: 10 }, (_, i) => `locked.1${i}`)].sort());
    expect(await search('was.')).toEqual([]);
  });

  it('shows why an account is locked: failures and the addresses they came from', async () => {
    const { a, adminActor, staff } = await twoAgencies();
    for (const ip of ['198.51.100.7', '198.51.100.8']) {
      await signInAgencyUser({ providerCode: a.code, loginName: staff.loginName, password: 'not the password at all' }, ip);
    }
    const detail = await getUserForAdmin(adminActor, staff.id);
    expect(detail?.lock).toMatchObject({ failures: 2 });
    expect(detail?.lock.addresses.sort()).toEqual(['198.51.100.7', '198.51.100.8']);
  });

  it('an export past its size holds the newest records and says the oldest were left out', async () => {
    const { adminActor, staff } = await twoAgencies();
    for (let i = 0; i < 4; i++) await unlockLocked(adminActor, staff.id, IP);
    const events = await db().auditEvent.findMany({ where: { agencyId: adminActor.agencyId, action: 'ADMIN_ACCOUNT_UNLOCKED' }, orderBy: { seq: 'asc' } });
    const csv = await exportAgencyAuditCsv(adminActor, { page: 1, action: 'ADMIN_ACCOUNT_UNLOCKED' }, IP, 3);
    const [, notice, ...rows] = csv.trimEnd().split('\r\n');
    expect(notice).toContain('"EXPORT_INCOMPLETE","Only the newest 3 records are in this file: choose dates to export the older ones"');
    expect(rows.map((row) => Number(row.split(',')[0]!.replaceAll('"', '')))).toEqual(events.slice(-3).map((event) => event.seq));
    expect((await exportAgencyAuditCsv(adminActor, { page: 1, action: 'ADMIN_ACCOUNT_UNLOCKED' }, IP, 4)).split('\r\n')[1]).not.toContain('EXPORT_INCOMPLETE');
  });

  it('one audit export at a time on an instance: the second asked meanwhile is told to wait, the next one runs', async () => {
    const { adminActor } = await twoAgencies();
    const [first, second] = await Promise.all([exportAgencyAuditCsv(adminActor, { page: 1 }, IP), exportAgencyAuditCsv(adminActor, { page: 1 }, IP)]);
    expect(first).toMatch(/^seq,time,/);
    expect(second).toBe(EXPORT_BUSY);
    expect(await exportAgencyAuditCsv(adminActor, { page: 1 }, IP)).toMatch(/^seq,time,/);
  });

  it('the agency’s audit view and export name the vendor’s staff “CareNotes staff”, without their id, address or their own notes', async () => {
    const { a, adminActor, superAdmin } = await twoAgencies();
    const verifier = await createVendorAccount(db(), 'VERIFIER', PASSWORD);
    await db().$transaction((tx) =>
      recordAudit(tx, {
        actorType: 'VENDOR',
        actorId: verifier.id,
        agencyId: a.id,
        action: 'SUPER_ADMIN_RESET_CLAIMED',
        targetType: 'SuperAdminResetRequest',
        targetId: superAdmin.id,
        ip: '203.0.113.99',
        outcome: 'SUCCESS',
        details: { reference: 'ABCDE12345', previousClaimerId: 'vendor-1', previousCallbackNotes: 'receptionist Mary; voice did not match' },
      }),
    );
    // The approval names the verifier who verified: a vendor account too.
    await db().$transaction((tx) =>
      recordAudit(tx, {
        actorType: 'VENDOR',
        actorId: verifier.id,
        agencyId: a.id,
        action: 'SUPER_ADMIN_RESET_APPROVED',
        targetType: 'SuperAdminResetRequest',
        targetId: superAdmin.id,
        ip: '203.0.113.99',
        outcome: 'SUCCESS',
        details: { reference: 'ABCDE12345', verifiedById: 'vendor-2', linkExpiresAt: '2026-12-04T00:00:00.000Z' },
      }),
    );
    const { events } = await listAgencyAudit(adminActor, { page: 1, action: 'SUPER_ADMIN_RESET_CLAIMED' });
    expect(events.map((event) => [event.actorId, event.ip])).toEqual([[null, null]]);
    for (const action of ['SUPER_ADMIN_RESET_CLAIMED', 'SUPER_ADMIN_RESET_APPROVED']) {
      const csv = await exportAgencyAuditCsv(adminActor, { page: 1, action }, IP);
      expect(csv).toContain('"CareNotes staff"');
      expect(csv).toContain('ABCDE12345');
      for (const secret of [verifier.id, '203.0.113.99', 'vendor-1', 'vendor-2', 'Mary', 'previousCallbackNotes', 'verifiedById']) expect(csv, action).not.toContain(secret);
    }
  });

  it('the audit view and its CSV hold only the own agency’s records, with formulas defused', async () => {
    const { adminActor, foreign, staff, foreignSuper, b } = await twoAgencies();
    const foreignActor = await actorFor(b, foreignSuper);
    await unlockLocked(foreignActor, foreign.id, '=cmd|calc');
    await unlockLocked(adminActor, staff.id, '=HYPERLINK("x")');
    const { events } = await listAgencyAudit(adminActor, { page: 1 });
    expect(events.every((e) => e.targetId !== foreign.id)).toBe(true);
    const csv = await exportAgencyAuditCsv(adminActor, { page: 1, action: 'ADMIN_ACCOUNT_UNLOCKED' }, IP);
    expect(csv.split('\r\n')[0]).toBe('seq,time,actor_type,actor,action,action_label,target_type,target,address,outcome,details');
    expect(csv).toContain('"ADMIN_ACCOUNT_UNLOCKED","Account unlocked by an admin"');
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv).not.toContain(foreign.id);
    expect(csv).toContain('Sam Staff');
  });

  it('a date range reaching the last day a date can name still holds the records in it', async () => {
    const { adminActor, staff } = await twoAgencies();
    await unlockLocked(adminActor, staff.id, IP);
    const today = new Date().toISOString().slice(0, 10);
    for (const range of [{ to: '9999-12-31' }, { from: '0001-01-01', to: '9999-12-31' }, { from: today, to: today }, { to: '9999-12-30' }]) {
      const { events } = await listAgencyAudit(adminActor, { page: 1, action: 'ADMIN_ACCOUNT_UNLOCKED', ...range });
      expect(events.map((event) => event.targetId), JSON.stringify(range)).toEqual([staff.id]);
    }
    const { events } = await listAgencyAudit(adminActor, { page: 1, action: 'ADMIN_ACCOUNT_UNLOCKED', to: '2000-01-01' });
    expect(events).toEqual([]);
  });

  it('an admin handles only their own agency’s help requests', async () => {
    const { a, b, adminActor, staff, foreign } = await twoAgencies();
    const own = await db().helpRequest.create({ data: { agencyId: a.id, userId: staff.id, message: 'locked out' } });
    const other = await db().helpRequest.create({ data: { agencyId: b.id, userId: foreign.id } });
    expect(await handleHelpRequest(adminActor, { requestId: other.id, shown: [], outcome: 'RESOLVED' }, IP)).toEqual({ ok: false, message: 'That request is no longer open.', gone: true });
    expect((await db().helpRequest.findUniqueOrThrow({ where: { id: other.id } })).status).toBe('OPEN');
    // Answered like a request that is gone, and audited like any foreign id (in the actor's agency, with the other one named).
    const denied = await db().auditEvent.findFirstOrThrow({ where: { actorId: adminActor.userId, action: 'ADMIN_ACTION_DENIED' } });
    expect(denied.agencyId).toBe(a.id);
    expect(JSON.parse(denied.details!)).toEqual({ capability: 'help-requests:handle', reason: 'other-agency', targetAgencyId: b.id });
    expect(await handleHelpRequest(adminActor, { requestId: own.id, shown: [own.id], outcome: 'RESOLVED' }, IP)).toMatchObject({ ok: true });
    // A made-up id leaves, in the agency's own view, the very record a foreign one does.
    expect(await handleHelpRequest(adminActor, { requestId: 'made-up-request-id', shown: [], outcome: 'RESOLVED' }, IP)).toEqual({ ok: false, message: 'That request is no longer open.', gone: true });
    const { events } = await listAgencyAudit(adminActor, { page: 1, action: 'ADMIN_ACTION_DENIED' });
    const [madeUp, foreignOne] = events.filter((event) => event.actorId === adminActor.userId);
    expect([madeUp!.details, madeUp!.targetId]).toEqual([foreignOne!.details, foreignOne!.targetId]);
  });

  it('an admin cannot close help asked in their own name; another admin can (review r33d F2)', async () => {
    const { a, superAdmin, superActor, adminActor } = await twoAgencies();
    const asked = await db().helpRequest.create({ data: { agencyId: a.id, userId: superAdmin.id, message: 'Someone took over my account' } });
    for (const outcome of ['RESOLVED', 'DISMISSED'] as const) {
      expect(await handleHelpRequest(superActor, { requestId: asked.id, shown: [asked.id], outcome }, IP)).toEqual({
        ok: false,
        message: 'You cannot do this to your own account. Ask another administrator of your agency.',
      });
    }
    expect((await db().helpRequest.findUniqueOrThrow({ where: { id: asked.id } })).status).toBe('OPEN');
    const refusals = await db().auditEvent.findMany({ where: { actorId: superAdmin.id, action: 'ADMIN_ACTION_DENIED' } });
    expect(refusals.map((event) => JSON.parse(event.details!))).toEqual([
      { capability: 'help-requests:handle', reason: 'self' },
      { capability: 'help-requests:handle', reason: 'self' },
    ]);
    expect((await listHelpRequests(superActor)).noOtherAdministrator).toBe(false);
    expect(await handleHelpRequest(adminActor, { requestId: asked.id, shown: [asked.id], outcome: 'RESOLVED' }, IP)).toMatchObject({ ok: true });
    expect((await db().helpRequest.findUniqueOrThrow({ where: { id: asked.id } })).status).toBe('RESOLVED');
    // Once the agency's only administrator, the page tells them no one can close one (review r41g F1's rest).
    await db().helpRequest.create({ data: { agencyId: a.id, userId: superAdmin.id, message: 'Someone took over my account, again' } });
    await db().user.updateMany({ where: { agencyId: a.id, role: { in: ['PROVIDER_ADMIN', 'SUPER_ADMIN'] }, NOT: { id: superAdmin.id } }, data: { status: 'DISABLED' } });
    expect((await listHelpRequests(superActor)).noOtherAdministrator).toBe(true);
  });
});

describe('reset link by e-mail', () => {
  it('[PROVIDER_ADMIN] mails a single-use link to the address on record; the admin never gets it', async () => {
    const { a, adminActor, staff } = await twoAgencies();
    const { sendResetLink } = await import('@/lib/admin/send-reset-link');
    const { unseal } = await import('@/lib/mail/seal');
    const { resetPasswordWithLink } = await import('@/lib/password-reset/reset-password-with-link');
    const result = await sendResetLink(adminActor, { userId: staff.id }, IP);
    expect(result).toMatchObject({ ok: true });
    expect(JSON.stringify(result)).not.toMatch(/\/reset\//);
    const mail = await db().outboxMessage.findFirstOrThrow({ where: { toAddress: staff.email!, template: 'reset-link' } });
    const link = /\/reset\/([A-Za-z0-9_-]+)/.exec(unseal(mail.textBody))![1]!;
    const changed = await resetPasswordWithLink(link, 'brass meadow lantern quietly', 'brass meadow lantern quietly', IP);
    expect(changed.ok).toBe(true);
    expect((await signIn(a, staff, 'brass meadow lantern quietly')).ok).toBe(true);
    expect(JSON.stringify(await db().auditEvent.findMany({ where: { targetId: staff.id } }))).not.toContain(link);
  });

  it('[PROVIDER_ADMIN] a link sent after a temporary password ends it: it opens no sign-in, and a session it opened cannot change the password with it (review r36b F1)', async () => {
    const { a, adminActor, staff } = await twoAgencies();
    const { sendResetLink } = await import('@/lib/admin/send-reset-link');
    const { changeOwnPassword } = await import('@/lib/auth/change-own-password');
    const issue = () => temporaryPasswordFor(adminActor, staff.id);
    // Overheard and used before the link: that session may no longer set the password with it.
    const used = await issue();
    const opened = await signIn(a, staff, used);
    if (!opened.ok) throw new Error(opened.reason);
    expect(await sendResetLink(adminActor, { userId: staff.id }, IP)).toMatchObject({ ok: true });
    const actor = (await resolveSession(opened.sessionId)) as AgencyActor;
    const chosen = 'copper harbour signal evening';
    expect(await changeOwnPassword(actor, { currentPassword: used, newPassword: chosen, confirmPassword: chosen }, IP)).toMatchObject({ ok: false });
    // Not yet used: it opens no sign-in once the link is sent.
    const unused = await issue();
    expect(await sendResetLink(adminActor, { userId: staff.id }, IP)).toMatchObject({ ok: true });
    expect(await signIn(a, staff, unused)).toEqual({ ok: false, reason: 'TEMPORARY_PASSWORD_EXPIRED' });
    expect((await getUserForAdmin(adminActor, staff.id))?.temporaryPassword.state).toBe('expired');
    // The link is the way in.
    const { unseal } = await import('@/lib/mail/seal');
    const { resetPasswordWithLink } = await import('@/lib/password-reset/reset-password-with-link');
    const mail = await db().outboxMessage.findFirstOrThrow({ where: { toAddress: staff.email!, template: 'reset-link' }, orderBy: { createdAt: 'desc' } });
    const link = /\/reset\/([A-Za-z0-9_-]+)/.exec(unseal(mail.textBody))![1]!;
    expect((await resetPasswordWithLink(link, chosen, chosen, IP)).ok).toBe(true);
    expect((await signIn(a, staff, chosen)).ok).toBe(true);
  });

  it('[PROVIDER_ADMIN] a link sent by an instance whose clock runs ahead ends a temporary password all the same: the mark it leaves is read, not its time (review r37c F2)', async () => {
    const { a, adminActor, staff } = await twoAgencies();
    const { sendResetLink } = await import('@/lib/admin/send-reset-link');
    const { changeOwnPassword } = await import('@/lib/auth/change-own-password');
    const issue = () => temporaryPasswordFor(adminActor, staff.id);
    // The end that instance wrote, still a minute ahead on this one's clock.
    const sendLinkAhead = async () => {
      expect(await sendResetLink(adminActor, { userId: staff.id }, IP)).toMatchObject({ ok: true });
      await db().user.update({ where: { id: staff.id }, data: { temporaryPasswordExpiresAt: new Date(Date.now() + 60_000) } });
    };
    const used = await issue();
    const opened = await signIn(a, staff, used);
    if (!opened.ok) throw new Error(opened.reason);
    await sendLinkAhead();
    const actor = (await resolveSession(opened.sessionId)) as AgencyActor;
    const chosen = 'copper harbour signal evening';
    expect(await changeOwnPassword(actor, { currentPassword: used, newPassword: chosen, confirmPassword: chosen }, IP)).toMatchObject({ ok: false });
    const unused = await issue();
    await sendLinkAhead();
    expect(await signIn(a, staff, unused)).toEqual({ ok: false, reason: 'TEMPORARY_PASSWORD_EXPIRED' });
    expect((await getUserForAdmin(adminActor, staff.id))?.temporaryPassword.state).toBe('expired');
    // A temporary password issued after it is the way in again: the mark went with the ended one.
    const next = await issue();
    expect((await signIn(a, staff, next)).ok).toBe(true);
  });

  it('[PROVIDER_ADMIN] a link sent by an instance whose clock runs ahead of a temporary password’s last minutes ends it all the same (review r40c F3)', async () => {
    const { a, adminActor, staff } = await twoAgencies();
    const { sendResetLink } = await import('@/lib/admin/send-reset-link');
    const unused = await temporaryPasswordFor(adminActor, staff.id);
    const lastMinutes = new Date(Date.now() + 30_000);
    await db().user.update({ where: { id: staff.id }, data: { temporaryPasswordExpiresAt: lastMinutes } });
    // That instance's clock is a minute ahead: to it, the temporary password has run out already.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 60_000);
      expect(await sendResetLink(adminActor, { userId: staff.id }, IP)).toMatchObject({ ok: true });
    } finally {
      vi.useRealTimers();
    }
    expect(await signIn(a, staff, unused)).toEqual({ ok: false, reason: 'TEMPORARY_PASSWORD_EXPIRED' });
    // Its time stays its own: the link's came later.
    expect((await db().user.findUniqueOrThrow({ where: { id: staff.id } })).temporaryPasswordExpiresAt).toEqual(lastMinutes);
  });

  it('[PROVIDER_ADMIN] the form sent twice (a double click, both at once or one after the other) mails one live link and uses one of the five (r26c N5)', async () => {
    const { adminActor, staff } = await twoAgencies();
    const { sendResetLink } = await import('@/lib/admin/send-reset-link');
    const { formKeyFor } = await import('../support/form-key-for');
    const sent = { userId: staff.id, formKey: formKeyFor(adminActor) };
    const answers = await Promise.all([sendResetLink(adminActor, sent, IP), sendResetLink(adminActor, sent, IP)]);
    answers.push(await sendResetLink(adminActor, sent, IP));
    expect(answers).toEqual(Array.from({ length: 3 }, () => ({ ok: true, value: { sentTo: expect.any(String) } })));
    expect(await db().outboxMessage.count({ where: { toAddress: staff.email!, template: 'reset-link' } })).toBe(1);
    expect(await db().passwordResetToken.count({ where: { userId: staff.id } })).toBe(1);
    // Four more renderings still send: the copies used none of the account's five an hour.
    for (let i = 0; i < 4; i++) expect(await sendResetLink(adminActor, { userId: staff.id, formKey: formKeyFor(adminActor) }, IP)).toMatchObject({ ok: true });
    expect(await db().outboxMessage.count({ where: { toAddress: staff.email!, template: 'reset-link' } })).toBe(5);
  });

  it('[PROVIDER_ADMIN] the hour’s fifth link sent twice: the copy is told the link is on its way, not “nothing was sent”, and no refusal is audited (review r39a F2)', async () => {
    const { adminActor, staff } = await twoAgencies();
    const { sendResetLink } = await import('@/lib/admin/send-reset-link');
    const { formKeyFor } = await import('../support/form-key-for');
    for (let i = 0; i < 4; i++) expect(await sendResetLink(adminActor, { userId: staff.id, formKey: formKeyFor(adminActor) }, IP)).toMatchObject({ ok: true });
    const sent = { userId: staff.id, formKey: formKeyFor(adminActor) };
    const answers = await Promise.all([sendResetLink(adminActor, sent, IP), sendResetLink(adminActor, sent, IP)]);
    answers.push(await sendResetLink(adminActor, sent, IP));
    expect(answers).toEqual(Array.from({ length: 3 }, () => ({ ok: true, value: { sentTo: expect.any(String) } })));
    expect(await db().outboxMessage.count({ where: { toAddress: staff.email!, template: 'reset-link' } })).toBe(5);
    expect(await db().auditEvent.count({ where: { targetId: staff.id, outcome: 'DENIED' } })).toBe(0);
  });

  it('[PROVIDER_ADMIN] a link refused by the hourly limit leaves its rendering free: the same form sent again is refused again, never told a link is on its way (review r39b F2)', async () => {
    const { adminActor, staff } = await twoAgencies();
    const { sendResetLink } = await import('@/lib/admin/send-reset-link');
    const { formKeyFor } = await import('../support/form-key-for');
    for (let i = 0; i < 5; i++) expect(await sendResetLink(adminActor, { userId: staff.id, formKey: formKeyFor(adminActor) }, IP)).toMatchObject({ ok: true });
    const sixth = { userId: staff.id, formKey: formKeyFor(adminActor) };
    expect(await sendResetLink(adminActor, sixth, IP)).toMatchObject({ ok: false, message: expect.stringContaining('the most allowed') });
    expect(await sendResetLink(adminActor, sixth, IP)).toMatchObject({ ok: false, message: expect.stringContaining('the most allowed') });
    expect(await db().sentForm.count({ where: { key: { endsWith: sixth.formKey } } })).toBe(0);
    expect(await db().outboxMessage.count({ where: { toAddress: staff.email!, template: 'reset-link' } })).toBe(5);
  });

  it('[PROVIDER_ADMIN] a rendering’s key sent again naming another account is that account’s own form: its link is mailed, not answered “on its way” unsent (review r50a F1)', async () => {
    const { a, adminActor, staff } = await twoAgencies();
    const other = await member(a.id, 'STAFF', { displayName: 'Olly Other' });
    const { sendResetLink } = await import('@/lib/admin/send-reset-link');
    const { formKeyFor } = await import('../support/form-key-for');
    const formKey = formKeyFor(adminActor);
    expect(await sendResetLink(adminActor, { userId: staff.id, formKey }, IP)).toMatchObject({ ok: true });
    expect(await sendResetLink(adminActor, { userId: other.id, formKey }, IP)).toMatchObject({ ok: true });
    expect(await db().outboxMessage.count({ where: { toAddress: other.email!, template: 'reset-link' } })).toBe(1);
    expect(await db().auditEvent.count({ where: { targetId: other.id, action: 'ADMIN_RESET_LINK_SENT' } })).toBe(1);
  });

  it('[SUPER_ADMIN] a rendering’s key another admin claimed, or drawn for another admin, is stale: nothing is sent, and it is not told a link is on its way (reviews r39a F4, r48e F3)', async () => {
    const { a, adminActor, superActor, staff } = await twoAgencies();
    const other = await member(a.id, 'STAFF', { displayName: 'Olly Other' });
    const { sendResetLink } = await import('@/lib/admin/send-reset-link');
    const { formKeyFor } = await import('../support/form-key-for');
    const formKey = formKeyFor(adminActor);
    expect(await sendResetLink(adminActor, { userId: staff.id, formKey }, IP)).toMatchObject({ ok: true });
    expect(await sendResetLink(superActor, { userId: other.id, formKey }, IP)).toEqual({ ok: false, message: 'Reload the page and send the form again.' });
    // Nor one drawn for the other admin and never sent (the same browser, signed in as another: review r48e F3).
    expect(await sendResetLink(superActor, { userId: other.id, formKey: formKeyFor(adminActor) }, IP)).toEqual({ ok: false, message: 'Reload the page and send the form again.' });
    expect(await db().outboxMessage.count({ where: { toAddress: other.email!, template: 'reset-link' } })).toBe(0);
  });

  it('refuses a disabled account: enabling it later must not bring a link back', async () => {
    const { a, adminActor } = await twoAgencies();
    const disabled = await member(a.id, 'STAFF', { status: 'DISABLED' });
    const { sendResetLink } = await import('@/lib/admin/send-reset-link');
    expect(await sendResetLink(adminActor, { userId: disabled.id }, IP)).toEqual({ ok: false, message: 'This account is disabled. Enable it first, then send the link.' });
    expect(await db().passwordResetToken.count({ where: { userId: disabled.id } })).toBe(0);
  });

  it('[PROVIDER_ADMIN] sends one account at most 5 links an hour: the 6th is refused with when to try again, writes no token and no mail, and is audited; another account still gets one', async () => {
    const { a, adminActor, superAdmin, staff } = await twoAgencies();
    const otherAdmin = await member(a.id, 'PROVIDER_ADMIN');
    const { sendResetLink } = await import('@/lib/admin/send-reset-link');
    const { limit } = RATE_LIMITS.adminResetsPerAccount;
    expect(limit).toBe(5);
    const written = async () => ({
      tokens: await db().passwordResetToken.count({ where: { userId: otherAdmin.id } }),
      mails: await db().outboxMessage.count({ where: { toAddress: { in: [superAdmin.email!, otherAdmin.email!] } } }),
    });
    for (let i = 0; i < limit; i++) expect(await sendResetLink(adminActor, { userId: otherAdmin.id }, IP)).toMatchObject({ ok: true });
    // Each link to an admin's account: the link, and a receipt to the super admin and to the account.
    expect(await written()).toEqual({ tokens: limit, mails: limit * 3 });
    const refused = await sendResetLink(adminActor, { userId: otherAdmin.id }, IP);
    expect(refused).toEqual({ ok: false, message: expect.stringMatching(/^5 reset links were sent to this account in the last hour.+Nothing was changed or sent\. Try again in (60|59) minutes\./) });
    expect(await written()).toEqual({ tokens: limit, mails: limit * 3 });
    // The last link sent still works: the refusal revoked nothing.
    expect(await db().passwordResetToken.count({ where: { userId: otherAdmin.id, usedAt: null, expiresAt: { gt: new Date() } } })).toBe(1);
    const denied = await db().auditEvent.findMany({ where: { targetId: otherAdmin.id, action: 'ADMIN_ACTION_DENIED' } });
    expect(denied.map((event) => [event.outcome, JSON.parse(event.details!)])).toEqual([['DENIED', { capability: 'users:send-reset-link', reason: 'too-many-resets', targetAgencyId: a.id }]]);

    expect(await sendResetLink(adminActor, { userId: staff.id }, IP)).toMatchObject({ ok: true });
    expect(await db().outboxMessage.count({ where: { toAddress: staff.email!, template: 'reset-link' } })).toBe(1);
  });

  it('[PROVIDER_ADMIN] clicks arriving together send one account no more than 5 links', async () => {
    const { adminActor, staff } = await twoAgencies();
    const { sendResetLink } = await import('@/lib/admin/send-reset-link');
    const answers = await Promise.all(Array.from({ length: 8 }, () => sendResetLink(adminActor, { userId: staff.id }, IP)));
    expect(answers.filter((answer) => answer.ok)).toHaveLength(5);
    expect(await db().outboxMessage.count({ where: { toAddress: staff.email!, template: 'reset-link' } })).toBe(5);
  });

  it('[PROVIDER_ADMIN] gives one account at most 5 temporary passwords an hour, on the same rule: the 6th changes nothing and mails no receipt; links are counted apart', async () => {
    const { a, adminActor, superAdmin } = await twoAgencies();
    const otherAdmin = await member(a.id, 'PROVIDER_ADMIN');
    const reset = async () => {
      const { sessionVersion } = await db().user.findUniqueOrThrow({ where: { id: otherAdmin.id } });
      return issueTemporaryPassword(adminActor, { userId: otherAdmin.id, expectedVersion: sessionVersion }, IP);
    };
    for (let i = 0; i < 5; i++) expect(await reset()).toMatchObject({ ok: true });
    const receipts = () => db().outboxMessage.count({ where: { template: 'admin-reset-receipt', toAddress: { in: [superAdmin.email!, otherAdmin.email!] } } });
    expect(await receipts()).toBe(10);
    const before = await db().user.findUniqueOrThrow({ where: { id: otherAdmin.id } });
    expect(await reset()).toEqual({ ok: false, message: expect.stringMatching(/^5 temporary passwords were given for this account in the last hour.+Try again in (60|59) minutes\.$/) });
    const after = await db().user.findUniqueOrThrow({ where: { id: otherAdmin.id } });
    expect([after.passwordHash, after.sessionVersion]).toEqual([before.passwordHash, before.sessionVersion]);
    expect(await receipts()).toBe(10);
    const denied = await db().auditEvent.findMany({ where: { targetId: otherAdmin.id, action: 'ADMIN_ACTION_DENIED' } });
    expect(denied.map((event) => JSON.parse(event.details!))).toEqual([{ capability: 'users:reset-password', reason: 'too-many-resets', targetAgencyId: a.id }]);
    // A person whose temporary passwords went astray can still be sent a link.
    const { sendResetLink } = await import('@/lib/admin/send-reset-link');
    expect(await sendResetLink(adminActor, { userId: otherAdmin.id }, IP)).toMatchObject({ ok: true });
  });

  it('[PROVIDER_ADMIN] a stale second submit of the temporary-password form spends none of the five resets', async () => {
    const { a, adminActor } = await twoAgencies();
    const staff = await member(a.id, 'STAFF');
    const stale = { userId: staff.id, expectedVersion: staff.sessionVersion };
    expect(await issueTemporaryPassword(adminActor, stale, IP)).toMatchObject({ ok: true });
    for (let i = 0; i < 3; i++) expect(await issueTemporaryPassword(adminActor, stale, IP)).toMatchObject({ ok: false, message: expect.stringMatching(/changed while you were looking/) });
    for (let i = 0; i < 4; i++) {
      const { sessionVersion } = await db().user.findUniqueOrThrow({ where: { id: staff.id } });
      expect(await issueTemporaryPassword(adminActor, { userId: staff.id, expectedVersion: sessionVersion }, IP)).toMatchObject({ ok: true });
    }
  });

  it('refuses when there is no e-mail on record', async () => {
    const { a, adminActor } = await twoAgencies();
    const noEmail = await member(a.id, 'STAFF', { email: null });
    const { sendResetLink } = await import('@/lib/admin/send-reset-link');
    const result = await sendResetLink(adminActor, { userId: noEmail.id }, IP);
    expect(result.ok ? '' : result.message).toMatch(/no e-mail address on record/);
  });
});

describe('an admin’s request in flight while the admin is disabled, demoted or signed out', () => {
  // The gate let the admin in as `adminActor`; what changes below lands before the request's write.
  for (const [what, change] of [
    ['disabled', { status: 'DISABLED' as const, sessionVersion: { increment: 1 } }],
    ['demoted', { role: 'STAFF' as const }],
    ['signed out everywhere', { sessionVersion: { increment: 1 } }],
  ] as const) {
    it(`[PROVIDER_ADMIN] ${what}: a temporary password, a link, an unlock or a clearing of factors lands on nobody, and is audited`, async () => {
      const { admin, adminActor, staff } = await twoAgencies();
      const before = await db().user.findUniqueOrThrow({ where: { id: staff.id } });
      await db().user.update({ where: { id: admin.id }, data: change });
      const { sendResetLink } = await import('@/lib/admin/send-reset-link');
      const { clearUserSecondFactors } = await import('@/lib/admin/clear-user-second-factors');
      for (const attempt of [
        () => issueTemporaryPassword(adminActor, { userId: staff.id, expectedVersion: before.sessionVersion }, IP),
        () => sendResetLink(adminActor, { userId: staff.id }, IP),
        () => unlockUser(adminActor, { userId: staff.id }, IP),
        async () => clearUserSecondFactors(adminActor, { userId: staff.id, expectedVersion: before.sessionVersion, code: await codeOfAppHeldBefore({ userId: admin.id }) }, IP),
        () => setUserStatus(adminActor, { userId: staff.id, status: 'DISABLED' }, IP),
      ]) {
        expect(await attempt()).toMatchObject({ ok: false, message: expect.stringMatching(/Your own account changed/) });
      }
      expect(await db().user.findUniqueOrThrow({ where: { id: staff.id } })).toMatchObject({ passwordHash: before.passwordHash, sessionVersion: before.sessionVersion, status: 'ACTIVE' });
      expect(await db().passwordResetToken.count({ where: { userId: staff.id } })).toBe(0);
      const denied = await db().auditEvent.findMany({ where: { actorId: admin.id, action: 'ADMIN_ACTION_DENIED' } });
      expect(denied.map((event) => JSON.parse(event.details!).reason)).toEqual(Array(5).fill('actor-changed'));
    });
  }

  it('[SUPER_ADMIN] disabled meanwhile, cannot still change the agency’s policy', async () => {
    const { a, superAdmin, superActor } = await twoAgencies();
    await db().user.update({ where: { id: superAdmin.id }, data: { status: 'DISABLED', sessionVersion: { increment: 1 } } });
    const before = await db().agency.findUniqueOrThrow({ where: { id: a.id } });
    const result = await updateAgencyPolicy(superActor, { ...DEFAULT_POLICY, softLockThreshold: String(before.softLockThreshold - 1) }, IP);
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/Your own account changed/) });
    expect((await db().agency.findUniqueOrThrow({ where: { id: a.id } })).softLockThreshold).toBe(before.softLockThreshold);
  });

  it('[SUPER_ADMIN] demoted meanwhile, cannot still make someone an administrator', async () => {
    const { superAdmin, superActor, staff } = await twoAgencies();
    // Another super admin, so the demotion leaves the agency one.
    await member(superAdmin.agencyId, 'SUPER_ADMIN');
    await addTotpFactor(db(), { userId: staff.id });
    await db().user.update({ where: { id: superAdmin.id }, data: { role: 'PROVIDER_ADMIN', sessionVersion: { increment: 1 } } });
    expect(await changeUserRole(superActor, { userId: staff.id, role: 'PROVIDER_ADMIN', confirm: 'yes', from: 'STAFF', code: await ownCode(superActor) }, IP)).toMatchObject({ ok: false, message: expect.stringMatching(/Your own account changed/) });
    expect((await db().user.findUniqueOrThrow({ where: { id: staff.id } })).role).toBe('STAFF');
  });

  it('[PROVIDER_ADMIN] a session ended (signed out) meanwhile changes nothing either', async () => {
    const { adminActor, staff } = await twoAgencies();
    await db().authSession.update({ where: { id: adminActor.sessionId }, data: { endedAt: new Date() } });
    const before = await db().user.findUniqueOrThrow({ where: { id: staff.id } });
    expect(await issueTemporaryPassword(adminActor, { userId: staff.id, expectedVersion: before.sessionVersion }, IP)).toMatchObject({ ok: false });
    expect((await db().user.findUniqueOrThrow({ where: { id: staff.id } })).passwordHash).toBe(before.passwordHash);
  });
  it('[PROVIDER_ADMIN] a session past its idle limit meanwhile changes nothing: the gate’s own rule, read again in the write', async () => {
    const { admin, adminActor, staff } = await twoAgencies();
    const idle = new Date(Date.now() - SESSION_IDLE_MS - 60_000);
    await db().authSession.update({ where: { id: adminActor.sessionId }, data: { lastSeenAt: idle } });
    const before = await db().user.findUniqueOrThrow({ where: { id: staff.id } });
    const result = await issueTemporaryPassword(adminActor, { userId: staff.id, expectedVersion: before.sessionVersion }, IP);
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/Your own account changed/) });
    expect((await db().user.findUniqueOrThrow({ where: { id: staff.id } })).passwordHash).toBe(before.passwordHash);
    const denied = await db().auditEvent.findFirstOrThrow({ where: { actorId: admin.id, action: 'ADMIN_ACTION_DENIED' } });
    expect(JSON.parse(denied.details!)).toMatchObject({ reason: 'actor-changed' });
  });

  it('[PROVIDER_ADMIN] disabled meanwhile, a bulk unlock unlocks nobody, and is audited', async () => {
    const { admin, adminActor, staff } = await twoAgencies();
    const locked = { failedSignInCount: 5, lastFailedSignInAt: new Date(), lockedUntil: new Date(Date.now() + 10 * 60_000) };
    await db().user.update({ where: { id: staff.id }, data: locked });
    await db().user.update({ where: { id: admin.id }, data: { status: 'DISABLED', sessionVersion: { increment: 1 } } });
    expect(await bulkUnlockUsers(adminActor, pressBulkUnlock(), IP)).toMatchObject({ ok: false, message: expect.stringMatching(/Your own account changed/) });
    expect(await db().user.findUniqueOrThrow({ where: { id: staff.id } })).toMatchObject({ failedSignInCount: 5, lockedUntil: locked.lockedUntil });
    const denied = await db().auditEvent.findMany({ where: { actorId: admin.id, action: { in: ['ADMIN_ACTION_DENIED', 'ADMIN_ACCOUNT_UNLOCKED'] } } });
    expect(denied.map((event) => [event.action, JSON.parse(event.details!).reason])).toEqual([['ADMIN_ACTION_DENIED', 'actor-changed']]);
  });
});

describe('a user page for an id of no user of the agency', () => {
  it('[PROVIDER_ADMIN] user pages opened for ids of no user of the agency are each on the record, up to a flood, which is sampled with its count (review r43e F5)', async () => {
    const { adminActor, foreign } = await twoAgencies();
    const { auditForeignTargetRead } = await import('@/lib/admin/admin-target');
    for (let i = 0; i < 120; i++) await auditForeignTargetRead(adminActor, foreign.id, IP, true);
    const records = await db().auditEvent.findMany({ where: { actorId: adminActor.userId, action: 'ADMIN_ACTION_DENIED' }, orderBy: { seq: 'asc' } });
    expect(records.map((record) => JSON.parse(record.details!).readsThisMinute)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100]);
    expect(records.every((record) => record.targetId === foreign.id && JSON.parse(record.details!).sentByAnotherSite === true)).toBe(true);
  });
});

describe.skipIf(databaseKind(process.env.DATABASE_URL!) !== 'postgresql')('a promotion while the account’s last factor is removed (PostgreSQL)', () => {
  it('[SUPER_ADMIN] waits for the removal, which holds the account, and counts what it left: refused, nothing changed (review r41c F1)', async () => {
    const { superActor, staff } = await twoAgencies();
    await addTotpFactor(db(), { userId: staff.id });
    // The person's own removal of their factor holds their row first (holdOwnFactors), then deletes it.
    const removal = {
      holds: { sql: 'SELECT "id" FROM "User" WHERE "id" = $1 FOR UPDATE', params: [staff.id] },
      then: { sql: 'DELETE FROM "MfaFactor" WHERE "userId" = $1', params: [staff.id] },
    };
    const code = await ownCode(superActor);
    const result = await whileCompetingTransactionHolds(removal, () => changeUserRole(superActor, { userId: staff.id, role: 'PROVIDER_ADMIN', confirm: 'yes', from: 'STAFF', code }, IP));
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('has no second factor yet') });
    expect((await db().user.findUniqueOrThrow({ where: { id: staff.id } })).role).toBe('STAFF');
  });
});

describe.skipIf(databaseKind(process.env.DATABASE_URL!) !== 'postgresql')('an admin’s request in flight while the account is promoted (PostgreSQL)', () => {
  /** A super admin's promotion of `userId`, held open until the admin's request queues behind it. */
  const promotion = (userId: string) => ({
    holds: { sql: 'SELECT "id" FROM "User" WHERE "id" = $1 FOR UPDATE', params: [userId] },
    then: { sql: `UPDATE "User" SET "role" = 'SUPER_ADMIN', "sessionVersion" = "sessionVersion" + 1 WHERE "id" = $1`, params: [userId] },
  });

  it('[PROVIDER_ADMIN] a temporary password that guessed the next version lands on nobody: refused, audited, nothing changed', async () => {
    const { a, adminActor, staff } = await twoAgencies();
    await db().agency.update({ where: { id: a.id }, data: { onlySuperAdminsResetAdmins: true } });
    const before = await db().user.findUniqueOrThrow({ where: { id: staff.id } });
    const result = await whileCompetingTransactionHolds(promotion(staff.id), () =>
      issueTemporaryPassword(adminActor, { userId: staff.id, expectedVersion: before.sessionVersion + 1 }, IP),
    );
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/changed while you were looking/) });
    const after = await db().user.findUniqueOrThrow({ where: { id: staff.id } });
    expect(after).toMatchObject({ role: 'SUPER_ADMIN', passwordHash: before.passwordHash, mustChangePassword: false });
    const denied = await db().auditEvent.findFirstOrThrow({ where: { targetId: staff.id, action: 'ADMIN_ACTION_DENIED' } });
    expect(JSON.parse(denied.details!)).toMatchObject({ capability: 'users:reset-password', reason: 'target-changed' });
  });

  it('[PROVIDER_ADMIN] a reset link and a clearing of factors in flight are refused the same way', async () => {
    const { adminActor, staff } = await twoAgencies();
    const { sendResetLink } = await import('@/lib/admin/send-reset-link');
    const { clearUserSecondFactors } = await import('@/lib/admin/clear-user-second-factors');
    const sent = await whileCompetingTransactionHolds(promotion(staff.id), () => sendResetLink(adminActor, { userId: staff.id }, IP));
    expect(sent).toMatchObject({ ok: false, message: expect.stringMatching(/changed while you were looking/) });
    expect(await db().passwordResetToken.count({ where: { userId: staff.id } })).toBe(0);
    const other = await member(staff.agencyId, 'STAFF');
    const code = await codeOfAppHeldBefore({ userId: adminActor.userId });
    const cleared = await whileCompetingTransactionHolds(promotion(other.id), () => clearUserSecondFactors(adminActor, { userId: other.id, expectedVersion: other.sessionVersion, code }, IP));
    expect(cleared).toMatchObject({ ok: false, message: expect.stringMatching(/changed while you were looking/) });
  });

  it('[PROVIDER_ADMIN] a temporary password issued while a save shortens the lifetime waits for it and lives the new lifetime (review r33e L2)', async () => {
    const { a, adminActor, staff } = await twoAgencies();
    await db().agency.update({ where: { id: a.id }, data: { temporaryPasswordHours: 168 } });
    const save = {
      holds: { sql: 'SELECT "id" FROM "Agency" WHERE "id" = $1 FOR UPDATE', params: [a.id] },
      then: { sql: 'UPDATE "Agency" SET "temporaryPasswordHours" = 2 WHERE "id" = $1', params: [a.id] },
    };
    const result = await whileCompetingTransactionHolds(save, () => issueTemporaryPassword(adminActor, { userId: staff.id, expectedVersion: staff.sessionVersion }, IP));
    if (!result.ok) throw new Error(result.message);
    const after = await db().user.findUniqueOrThrow({ where: { id: staff.id } });
    expect(after.temporaryPasswordExpiresAt!.getTime()).toBe(after.temporaryPasswordIssuedAt!.getTime() + 2 * 3_600_000);
    // The admin is shown the lifetime the password has.
    expect(result.value.expiresAt).toEqual(after.temporaryPasswordExpiresAt);
  });

  it('[SUPER_ADMIN] a shorter lifetime saved while a reset link ends a temporary password does not bring that password back', async () => {
    const { a, superActor, adminActor, staff } = await twoAgencies();
    await db().agency.update({ where: { id: a.id }, data: { temporaryPasswordHours: 168 } });
    const issued = await issueTemporaryPassword(adminActor, { userId: staff.id, expectedVersion: staff.sessionVersion }, IP);
    if (!issued.ok) throw new Error(issued.message);
    // What a reset link (an approval's, an admin's) writes on the account it mails: the temporary password ends now.
    const linkSent = {
      holds: { sql: 'SELECT "id" FROM "User" WHERE "id" = $1 FOR UPDATE', params: [staff.id] },
      then: { sql: 'UPDATE "User" SET "temporaryPasswordExpiresAt" = now() WHERE "id" = $1', params: [staff.id] },
    };
    const saved = await whileCompetingTransactionHolds(linkSent, () => updateAgencyPolicy(superActor, { ...DEFAULT_POLICY, temporaryPasswordHours: '2' }, IP));
    expect(saved).toMatchObject({ ok: true });
    expect((await db().user.findUniqueOrThrow({ where: { id: staff.id } })).temporaryPasswordExpiresAt!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await signIn(a, staff, issued.value.temporaryPassword)).toEqual({ ok: false, reason: 'TEMPORARY_PASSWORD_EXPIRED' });
  });

  for (const [what, act] of [
    ['a temporary password', (actor: AgencyActor, staff: { id: string; sessionVersion: number }) => issueTemporaryPassword(actor, { userId: staff.id, expectedVersion: staff.sessionVersion }, IP)],
    ['a bulk unlock', (actor: AgencyActor) => bulkUnlockUsers(actor, pressBulkUnlock(), IP)],
  ] as const) {
    it(`[PROVIDER_ADMIN] disabled by another admin at that very moment: ${what} waits for the disable, then changes nothing`, async () => {
      const { admin, adminActor, staff } = await twoAgencies();
      const locked = { failedSignInCount: 5, lastFailedSignInAt: new Date(), lockedUntil: new Date(Date.now() + 10 * 60_000) };
      const before = await db().user.update({ where: { id: staff.id }, data: locked });
      const disable = {
        holds: { sql: 'SELECT "id" FROM "User" WHERE "id" = $1 FOR UPDATE', params: [admin.id] },
        then: { sql: `UPDATE "User" SET "status" = 'DISABLED', "sessionVersion" = "sessionVersion" + 1 WHERE "id" = $1`, params: [admin.id] },
      };
      const result = await whileCompetingTransactionHolds<{ ok: boolean }>(disable, () => act(adminActor, staff));
      expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/Your own account changed/) });
      expect(await db().user.findUniqueOrThrow({ where: { id: staff.id } })).toMatchObject({ passwordHash: before.passwordHash, failedSignInCount: 5 });
    });
  }
});
