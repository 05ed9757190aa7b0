// Builders for the super-admin and reset-link integration tests (not a test file itself).
import { randomInt } from 'node:crypto';
import { openSession, type VendorActor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import type { VendorRole } from '@/lib/generated/sqlite/enums';
import { unseal } from '@/lib/mail/seal';
import { approveRequest } from '@/lib/super-admin/approve-request';
import { claimRequest } from '@/lib/super-admin/claim-request';
import { recordCallback } from '@/lib/super-admin/record-callback';
import { parseReference } from '@/lib/super-admin/reference';
import { newIdempotencyKey, submitRequest } from '@/lib/super-admin/submit-request';
import { verifyRequest } from '@/lib/super-admin/verify-request';
import { createAgency, createUser, createVendorAccount, uniqueSuffix } from '@/prisma/factories';

export const PASSWORD = 'quiet meadow copper bicycle';
export const NEW_PASSWORD = 'harbor pixel lantern sequoia';

/** A fresh address per call, so the per-address limits of one test never touch another. */
export function someIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

export async function agencyWithLoneSuperAdmin(options: { email?: string | null; otherAdmins?: number } = {}) {
  const suffix = uniqueSuffix();
  const agency = await createAgency(db(), { name: `Lone Star Care ${suffix}`, phoneOnRecord: '+1 512 555 0177' });
  const admin = await createUser(db(), agency.id, PASSWORD, {
    loginName: `owner.${suffix}`,
    displayName: 'Olive Ownerson',
    role: 'SUPER_ADMIN',
    email: options.email === undefined ? `olive.${suffix}@lonestar.example` : options.email,
    phone: '+1 512 555 0178',
  });
  const others = [];
  for (let i = 0; i < (options.otherAdmins ?? 0); i++) {
    others.push(
      await createUser(db(), agency.id, PASSWORD, {
        loginName: `admin${i}.${suffix}`,
        displayName: `Other Admin ${i}`,
        role: 'PROVIDER_ADMIN',
        email: `admin${i}.${suffix}@lonestar.example`,
      }),
    );
  }
  return { agency, admin, others };
}

/** A vendor account of `role`, signed in: its session is a real one, as every step checks it again. */
export async function vendorActor(role: VendorRole = 'VERIFIER'): Promise<VendorActor> {
  const account = await createVendorAccount(db(), role, PASSWORD);
  const sessionId = await db().$transaction((tx) => openSession(tx, { kind: 'vendor', id: account.id }, account.sessionVersion, someIp()));
  return { kind: 'vendor', sessionId, vendorAccountId: account.id, role, email: account.email, displayName: account.displayName, secondFactorPending: false, mustEnrolSecondFactor: false };
}

export function formFor(target: { providerCode: string; loginName: string }, overrides: Record<string, string | undefined> = {}) {
  return {
    providerCode: target.providerCode,
    loginName: target.loginName,
    fullName: 'Olive Ownerson',
    jobTitle: 'Executive Director',
    workEmail: 'attacker-controlled@elsewhere.example',
    workPhone: '+1 737 555 0199',
    reason: 'I am the only administrator and I am locked out after a holiday.',
    attestation: 'yes',
    // A fresh rendering of the form each time, as a new visit to the page would give.
    idempotencyKey: newIdempotencyKey(),
    ...overrides,
  };
}

/** The public form's use case without its answer floor, so the suite does not wait 500 ms a time. */
export const submit = (raw: unknown, ip: string) => submitRequest(raw, ip, { answerFloorMs: 0 });

/** Files the form and returns the stored request (the open one it attached to, for a repeat). */
export async function fileRequest(target: { providerCode: string; loginName: string }, overrides: Record<string, string | undefined> = {}) {
  const result = await submit(formFor(target, overrides), someIp());
  if (!result.ok) throw new Error(`submission refused: ${result.message}`);
  const submission = await db().superAdminRequestSubmission.findUniqueOrThrow({ where: { reference: parseReference(result.reference)! } });
  return db().superAdminResetRequest.findUniqueOrThrow({ where: { id: submission.requestId } });
}

/** A login name no other test types, so an unmatched request is a new one, not a repeat. */
export const ghost = (name: string) => `${name}.${uniqueSuffix()}`;

export async function expectOk(promise: Promise<{ ok: boolean; message?: string }>) {
  const result = await promise;
  if (!result.ok) throw new Error(`expected success, got: ${result.message}`);
  return result;
}

/** The whole checklist, as a verifier saves it after the call-back to the number on record. */
export const CHECKLIST_DONE = {
  callbackDone: true,
  callbackNotes: 'Called the agency number on record; the office manager put Olive on the line.',
  identityConfirmed: true,
  noOtherAdminConfirmed: true,
};

/** A request for the lone super admin, claimed, checked and verified by `verifier`. */
export async function verifiedRequest(options: { email?: string | null; otherAdmins?: number } = {}) {
  const { agency, admin, others } = await agencyWithLoneSuperAdmin(options);
  const request = await fileRequest({ providerCode: agency.code, loginName: admin.loginName });
  const verifier = await vendorActor();
  const ip = someIp();
  await expectOk(claimRequest(verifier, { requestId: request.id, claimerSeen: '' }, ip));
  await expectOk(recordCallback(verifier, { requestId: request.id, ...CHECKLIST_DONE }, ip));
  await expectOk(verifyRequest(verifier, { requestId: request.id }, ip));
  return { agency, admin, others, request, verifier };
}

/** An approved request, and the token read back from the sealed outbox message (tests only). */
export async function approvedRequest(options: { email?: string | null; otherAdmins?: number } = {}) {
  const verified = await verifiedRequest(options);
  const approver = await vendorActor();
  await expectOk(approveRequest(approver, { requestId: verified.request.id }, someIp()));
  const token = await tokenMailedTo(verified.admin.email!);
  return { ...verified, approver, token };
}

export async function mailsTo(to: string, template?: string) {
  return db().outboxMessage.findMany({ where: { toAddress: to, ...(template ? { template } : {}) }, orderBy: { createdAt: 'asc' } });
}

/** The newest reset link mailed to `to`, unsealed from the outbox as the mail worker would. */
export async function tokenMailedTo(to: string): Promise<string> {
  const [message] = await db().outboxMessage.findMany({ where: { toAddress: to, template: 'reset-link' }, orderBy: { createdAt: 'desc' }, take: 1 });
  if (!message) throw new Error(`no reset link mailed to ${to}`);
  const token = /\/reset\/([A-Za-z0-9_-]{43})/.exec(unseal(message.textBody))?.[1];
  if (!token) throw new Error('no link in the message');
  return token;
}

export function cancelTokenIn(textBody: string): string {
  const token = /\/super-admin-reset\/cancel\/([A-Za-z0-9_-]{43})/.exec(unseal(textBody))?.[1];
  if (!token) throw new Error('no cancel link in the message');
  return token;
}
