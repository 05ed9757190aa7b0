// Every use case that declares a permission, called as every role, past the gate: the gate already
// refuses the wrong audience, so this proves each use case checks again by itself. Refused means a
// typed refusal (`Refused`, or an audited `{ ok: false }` for the console's writes) and no change.
import { afterAll, describe, expect, it } from 'vitest';
import { bulkUnlockUsers } from '@/lib/admin/bulk-unlock-users';
import { changeUserRole } from '@/lib/admin/change-user-role';
import { clearUserSecondFactors } from '@/lib/admin/clear-user-second-factors';
import { getUserForAdmin } from '@/lib/admin/get-user-for-admin';
import { handleHelpRequest, listHelpRequests } from '@/lib/admin/help-requests';
import { issueTemporaryPassword } from '@/lib/admin/issue-temporary-password';
import { exportAgencyAuditCsv, listAgencyAudit, namesForAudit } from '@/lib/admin/list-agency-audit';
import { listAgencyUsers, userListQuerySchema } from '@/lib/admin/list-agency-users';
import { FAILURE_LOCKS_PER_UNLOCK, listFailureLocks } from '@/lib/admin/list-failure-locks';
import { sendResetLink } from '@/lib/admin/send-reset-link';
import { setUserStatus } from '@/lib/admin/set-user-status';
import { unlockUser } from '@/lib/admin/unlock-user';
import { updateAgencyPolicy } from '@/lib/admin/update-agency-policy';
import type { Actor, AgencyActor, VendorActor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import type { Role, VendorRole } from '@/lib/generated/sqlite/enums';
import { DEFAULT_POLICY } from '@/lib/policy/agency-policy';
import { Refused } from '@/lib/result';
import { cancelMaintenance, endMaintenanceNow, extendMaintenance, extendMaintenanceSchema, startMaintenanceNow } from '@/lib/maintenance/change-maintenance';
import { openIncident, openIncidentSchema } from '@/lib/status/open-incident';
import { postIncidentUpdate } from '@/lib/status/post-incident-update';
import { scheduleMaintenance, scheduleMaintenanceSchema } from '@/lib/maintenance/schedule-maintenance';
import { setComponentStatus } from '@/lib/status/set-component-status';
import { approveRequest } from '@/lib/super-admin/approve-request';
import { claimRequest } from '@/lib/super-admin/claim-request';
import { exportQueue } from '@/lib/super-admin/export-queue';
import { getRequestForVerifier } from '@/lib/super-admin/get-request-for-verifier';
import { listQueue } from '@/lib/super-admin/list-queue';
import { recordCallback } from '@/lib/super-admin/record-callback';
import { rejectRequest } from '@/lib/super-admin/reject-request';
import { requestMoreInfo } from '@/lib/super-admin/request-more-info';
import { verifyRequest } from '@/lib/super-admin/verify-request';
import { getOperatorOverview } from '@/lib/vendor/get-operator-overview';
import { createAgency, createUser, createVendorAccount, uniqueSuffix } from '@/prisma/factories';
import { clearStatusData } from './status-support';
import { agencyWithLoneSuperAdmin, fileRequest } from './super-admin-fixtures';

/** A press of the banner's bulk unlock as drawn now: up to a press's worth of accounts, locked by then. */
const pressBulkUnlock = () => ({ confirm: 'yes' as const, shown: FAILURE_LOCKS_PER_UNLOCK, shownAt: Date.now() });

const PASSWORD = 'copper lantern meadow river';
const IP = '198.51.100.23';
const ROLES = ['STAFF', 'PROVIDER_ADMIN', 'SUPER_ADMIN', 'VERIFIER', 'OPERATOR'] as const;
type AnyRole = (typeof ROLES)[number];

const ADMINS: AnyRole[] = ['PROVIDER_ADMIN', 'SUPER_ADMIN'];
const SUPER_ADMINS: AnyRole[] = ['SUPER_ADMIN'];
const VERIFIERS: AnyRole[] = ['VERIFIER'];
const OPERATORS: AnyRole[] = ['OPERATOR'];

/** One agency with someone of each role, a locked staff member to act on, and vendor staff. */
async function world() {
  const agency = await createAgency(db(), { name: `Matrix Care ${uniqueSuffix()}` });
  const member = (role: Role) => createUser(db(), agency.id, PASSWORD, { role, email: `m.${uniqueSuffix()}@matrix.example` });
  const people = { STAFF: await member('STAFF'), PROVIDER_ADMIN: await member('PROVIDER_ADMIN'), SUPER_ADMIN: await member('SUPER_ADMIN') };
  await member('SUPER_ADMIN');
  // Each actor's session is a real one: every write checks, in its transaction, that it is still open.
  for (const user of Object.values(people)) await db().authSession.create({ data: { id: `test-${user.id}`, userId: user.id, sessionVersion: user.sessionVersion } });
  const created = await createUser(db(), agency.id, PASSWORD, { email: `t.${uniqueSuffix()}@matrix.example` });
  // Locked by failures within the hour: what a spray leaves, for the unlock and bulk unlock.
  const target = await db().user.update({
    where: { id: created.id },
    data: { failedSignInCount: 6, lastFailedSignInAt: new Date(), lockedUntil: new Date(Date.now() + 600_000) },
  });
  const help = await db().helpRequest.create({ data: { agencyId: agency.id, userId: target.id, message: 'Locked out' } });
  const agencyActor = (user: (typeof people)[keyof typeof people]): AgencyActor => ({
    kind: 'agency',
    sessionId: `test-${user.id}`,
    userId: user.id,
    agencyId: agency.id,
    agencyCode: agency.code,
    agencyName: agency.name,
    agencyTimeZone: agency.timeZone,
    role: user.role,
    loginName: user.loginName,
    displayName: user.displayName,
    mustChangePassword: false,
    secondFactorPending: false,
    mustEnrolSecondFactor: false,
  });
  const vendorActor = async (role: VendorRole): Promise<VendorActor> => {
    const account = await createVendorAccount(db(), role, PASSWORD);
    await db().authSession.create({ data: { id: `test-${account.id}`, vendorAccountId: account.id, sessionVersion: account.sessionVersion } });
    return { kind: 'vendor', sessionId: `test-${account.id}`, vendorAccountId: account.id, role, email: account.email, displayName: account.displayName, secondFactorPending: false, mustEnrolSecondFactor: false };
  };
  const actors: Record<AnyRole, Actor> = {
    STAFF: agencyActor(people.STAFF),
    PROVIDER_ADMIN: agencyActor(people.PROVIDER_ADMIN),
    SUPER_ADMIN: agencyActor(people.SUPER_ADMIN),
    VERIFIER: await vendorActor('VERIFIER'),
    OPERATOR: await vendorActor('OPERATOR'),
  };
  const lone = await agencyWithLoneSuperAdmin();
  const request = await fileRequest({ providerCode: lone.agency.code, loginName: lone.admin.loginName });
  const component = await db().statusComponent.create({ data: { name: `Matrix ${uniqueSuffix()}`, slug: `matrix-${uniqueSuffix()}` } });
  const incident = await db().incident.create({
    data: { title: 'Matrix incident', impact: 'DEGRADED_PERFORMANCE', status: 'INVESTIGATING', components: { create: [{ componentId: component.id }] } },
  });
  const window = await db().maintenanceWindow.create({
    data: { title: 'Matrix window', startsAt: new Date(Date.now() + 86_400_000), endsAt: new Date(Date.now() + 90_000_000), blocksSignIn: false, components: { create: [{ componentId: component.id }] } },
  });
  return { agency, target, help, actors, request, component, incident, window };
}
type World = Awaited<ReturnType<typeof world>>;

const utc = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString().slice(0, 16);

// The use cases that declare a permission, each with the roles that hold it.
const USE_CASES: [string, AnyRole[], (actor: never, w: World) => Promise<unknown>][] = [
  ['listAgencyUsers', ADMINS, (a: AgencyActor) => listAgencyUsers(a, userListQuerySchema.parse({}))],
  ['getUserForAdmin', ADMINS, (a: AgencyActor, w) => getUserForAdmin(a, w.target.id)],
  ['listFailureLocks', ADMINS, (a: AgencyActor) => listFailureLocks(a)],
  ['listAgencyAudit', ADMINS, (a: AgencyActor) => listAgencyAudit(a, { page: 1 })],
  ['namesForAudit', ADMINS, (a: AgencyActor, w) => namesForAudit(a, [w.target.id])],
  ['exportAgencyAuditCsv', ADMINS, (a: AgencyActor) => exportAgencyAuditCsv(a, { page: 1 }, IP)],
  ['listHelpRequests', ADMINS, (a: AgencyActor) => listHelpRequests(a)],
  ['handleHelpRequest', ADMINS, (a: AgencyActor, w) => handleHelpRequest(a, { requestId: w.help.id, shown: [w.help.id], outcome: 'RESOLVED' }, IP)],
  ['issueTemporaryPassword', ADMINS, (a: AgencyActor, w) => issueTemporaryPassword(a, { userId: w.target.id, expectedVersion: w.target.sessionVersion }, IP)],
  ['sendResetLink', ADMINS, (a: AgencyActor, w) => sendResetLink(a, { userId: w.target.id }, IP)],
  ['unlockUser', ADMINS, (a: AgencyActor, w) => unlockUser(a, { userId: w.target.id }, IP)],
  ['bulkUnlockUsers', ADMINS, (a: AgencyActor) => bulkUnlockUsers(a, pressBulkUnlock(), IP)],
  ['clearUserSecondFactors', ADMINS, (a: AgencyActor, w) => clearUserSecondFactors(a, { userId: w.target.id, expectedVersion: w.target.sessionVersion }, IP)],
  ['setUserStatus', ADMINS, (a: AgencyActor, w) => setUserStatus(a, { userId: w.target.id, status: 'DISABLED' }, IP)],
  ['changeUserRole', SUPER_ADMINS, (a: AgencyActor, w) => changeUserRole(a, { userId: w.target.id, role: 'PROVIDER_ADMIN' }, IP)],
  ['updateAgencyPolicy', SUPER_ADMINS, (a: AgencyActor) => updateAgencyPolicy(a, { ...DEFAULT_POLICY, minPasswordLength: 16 }, IP)],
  ['listQueue', VERIFIERS, (a: VendorActor) => listQueue(a)],
  ['getRequestForVerifier', VERIFIERS, (a: VendorActor, w) => getRequestForVerifier(a, w.request.id)],
  ['exportQueue', VERIFIERS, (a: VendorActor) => exportQueue(a, {}, IP)],
  ['claimRequest', VERIFIERS, (a: VendorActor, w) => claimRequest(a, { requestId: w.request.id, claimerSeen: '' }, IP)],
  [
    'recordCallback',
    VERIFIERS,
    (a: VendorActor, w) =>
      recordCallback(a, { requestId: w.request.id, callbackDone: true, callbackNotes: 'Called the number on record.', identityConfirmed: true, noOtherAdminConfirmed: true }, IP),
  ],
  ['verifyRequest', VERIFIERS, (a: VendorActor, w) => verifyRequest(a, { requestId: w.request.id }, IP)],
  ['approveRequest', VERIFIERS, (a: VendorActor, w) => approveRequest(a, { requestId: w.request.id }, IP)],
  ['requestMoreInfo', VERIFIERS, (a: VendorActor, w) => requestMoreInfo(a, { requestId: w.request.id, message: 'Please call us back on Monday.' }, IP)],
  ['rejectRequest', VERIFIERS, (a: VendorActor, w) => rejectRequest(a, { requestId: w.request.id, reason: 'Not the administrator.' }, IP)],
  ['getOperatorOverview', OPERATORS, (a: VendorActor) => getOperatorOverview(a)],
  ['setComponentStatus', OPERATORS, (a: VendorActor, w) => setComponentStatus(a, { componentId: w.component.id, status: 'MAJOR_OUTAGE' }, IP)],
  [
    'openIncident',
    OPERATORS,
    (a: VendorActor, w) => openIncident(a, openIncidentSchema.parse({ title: 'Matrix', impact: 'MAJOR_OUTAGE', status: 'INVESTIGATING', message: 'Down.', [`component-${w.component.id}`]: 'on' }), IP),
  ],
  ['postIncidentUpdate', OPERATORS, (a: VendorActor, w) => postIncidentUpdate(a, { incidentId: w.incident.id, status: 'IDENTIFIED', message: 'Found it.' }, IP)],
  [
    'scheduleMaintenance',
    OPERATORS,
    (a: VendorActor, w) => scheduleMaintenance(a, scheduleMaintenanceSchema.parse({ title: 'Matrix', startsAt: utc(2 * 86_400_000), endsAt: utc(3 * 86_400_000), [`component-${w.component.id}`]: 'on' }), IP),
  ],
  ['extendMaintenance', OPERATORS, (a: VendorActor, w) => extendMaintenance(a, extendMaintenanceSchema.parse({ windowId: w.window.id, endsAt: utc(2 * 86_400_000) }), IP)],
  ['startMaintenanceNow', OPERATORS, (a: VendorActor, w) => startMaintenanceNow(a, { windowId: w.window.id }, IP)],
  ['endMaintenanceNow', OPERATORS, (a: VendorActor, w) => endMaintenanceNow(a, { windowId: w.window.id }, IP)],
  ['cancelMaintenance', OPERATORS, (a: VendorActor, w) => cancelMaintenance(a, { windowId: w.window.id }, IP)],
];

// Everything a use case here could change, but the audit log (refusals are recorded there).
const WATCHED = [
  'agency',
  'user',
  'authSession',
  'helpRequest',
  'outboxMessage',
  'passwordResetToken',
  'mfaFactor',
  'superAdminResetRequest',
  'statusComponent',
  'incident',
  'incidentUpdate',
  'maintenanceWindow',
  'statusAlertFanOut',
] as const;

async function snapshot() {
  const tables = WATCHED.map((name) => db()[name] as unknown as { findMany(args: object): Promise<unknown[]> });
  const rows = await Promise.all(tables.map((table) => table.findMany({ orderBy: { id: 'asc' } })));
  // BigInt columns (a passkey's signature counter, left by other files' passkeys) compare as text.
  return JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

type Outcome = { refused: boolean; result?: unknown };

async function attempt(run: () => Promise<unknown>, actor: Actor): Promise<Outcome> {
  const actorId = actor.kind === 'agency' ? actor.userId : actor.vendorAccountId;
  const deniedBefore = await db().auditEvent.count({ where: { actorId, action: 'ADMIN_ACTION_DENIED' } });
  try {
    const result = await run();
    const denied = (await db().auditEvent.count({ where: { actorId, action: 'ADMIN_ACTION_DENIED' } })) > deniedBefore;
    // The console's writes answer a refusal as an audited result, as they answer a foreign user id.
    return { refused: denied && (result as { ok?: boolean } | null)?.ok === false, result };
  } catch (error) {
    if (error instanceof Refused) return { refused: true };
    throw error;
  }
}

// Status data is global: leave none behind for the files that follow.
afterAll(clearStatusData);

describe('every use case checks the permission it declares, whoever calls it', () => {
  it.each(USE_CASES.map(([name, allowed, run]) => [name, allowed, run] as const))('%s: allowed for %j, refused with no change for every other role', async (_name, allowed, run) => {
    const w = await world();
    const refusedRoles = ROLES.filter((role) => !allowed.includes(role));
    const before = await snapshot();
    for (const role of refusedRoles) {
      const outcome = await attempt(() => run(w.actors[role] as never, w), w.actors[role]);
      expect(outcome.refused, `[${role}] must be refused`).toBe(true);
    }
    expect(await snapshot(), 'a refusal changes nothing').toBe(before);
    for (const role of allowed) {
      const outcome = await attempt(() => run(w.actors[role] as never, w), w.actors[role]);
      expect(outcome.refused, `[${role}] must be allowed`).toBe(false);
    }
  });
});
