import { describe, expect, it } from 'vitest';
import type { VendorActor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { databaseKind } from '@/lib/db/kind';
import { deliverDueMessages, MAX_ATTEMPTS } from '@/lib/mail/worker';
import { approveRequest, CONTACT_CHANGED, NO_EMAIL_ON_RECORD, NOT_AN_ACTIVE_ADMIN } from '@/lib/super-admin/approve-request';
import { cancelRequest } from '@/lib/super-admin/cancel-request';
import { claimRequest } from '@/lib/super-admin/claim-request';
import { getRequestForVerifier } from '@/lib/super-admin/get-request-for-verifier';
import { recordCallback } from '@/lib/super-admin/record-callback';
import { rejectRequest } from '@/lib/super-admin/reject-request';
import { requestMoreInfo } from '@/lib/super-admin/request-more-info';
import { EXPIRED_MESSAGE } from '@/lib/super-admin/take-transition';
import { verifyRequest } from '@/lib/super-admin/verify-request';
import { whileCompetingTransactionHolds } from '../support/competing-transaction';
import { withSmtpSink } from '../support/with-smtp-sink';
import {
  agencyWithLoneSuperAdmin,
  cancelTokenIn,
  CHECKLIST_DONE,
  expectOk,
  fileRequest,
  mailsTo,
  someIp,
  vendorActor,
  verifiedRequest,
} from './super-admin-fixtures';


const pastExpiry = (id: string) =>
  db().superAdminResetRequest.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });

async function filedRequest() {
  const { agency, admin } = await agencyWithLoneSuperAdmin();
  return { request: await fileRequest({ providerCode: agency.code, loginName: admin.loginName }), verifier: await vendorActor() };
}

async function stateOf(id: string) {
  return (await db().superAdminResetRequest.findUniqueOrThrow({ where: { id } })).state;
}

describe('expiry is part of every transition', () => {
  // No page is read in between: the step itself must find the request expired.
  it.each([
    ['claim', 'SUBMITTED'],
    ['recordCallback', 'IN_REVIEW'],
    ['requestMoreInfo', 'IN_REVIEW'],
    ['verify', 'IN_REVIEW'],
    ['reject', 'IN_REVIEW'],
    ['approve', 'VERIFIED'],
  ] as const)('[VERIFIER] cannot %s a request past its expiry: refused, and the request is marked EXPIRED in the same transaction', async (step, from) => {
    const { request, verifier } = from === 'VERIFIED' ? await verifiedRequest() : await filedRequest();
    if (from === 'IN_REVIEW') await expectOk(claimRequest(verifier, { requestId: request.id, claimerSeen: '' }, someIp()));
    if (step === 'recordCallback' || step === 'verify') {
      await expectOk(recordCallback(verifier, { requestId: request.id, ...CHECKLIST_DONE }, someIp()));
    }
    await pastExpiry(request.id);
    const id = { requestId: request.id };
    const ip = someIp();
    const actor = step === 'approve' ? await vendorActor() : verifier;
    const result = await {
      claim: () => claimRequest(actor, { ...id, claimerSeen: '' }, ip),
      recordCallback: () => recordCallback(actor, { ...id, ...CHECKLIST_DONE }, ip),
      requestMoreInfo: () => requestMoreInfo(actor, { ...id, message: 'Please call us back on Monday.' }, ip),
      verify: () => verifyRequest(actor, id, ip),
      reject: () => rejectRequest(actor, { ...id, reason: 'Too late for this one.' }, ip),
      approve: () => approveRequest(actor, id, ip),
    }[step]();
    expect(result).toEqual({ ok: false, message: EXPIRED_MESSAGE, gone: true });
    expect(await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ state: 'EXPIRED', openKey: null });
    expect(await db().auditEvent.count({ where: { targetId: request.id, action: 'SUPER_ADMIN_RESET_EXPIRED', actorType: 'SYSTEM' } })).toBe(1);
    expect(await db().passwordResetToken.count({ where: { requestId: request.id } })).toBe(0);
    expect(await db().outboxMessage.count({ where: { template: { in: ['reset-link', 'super-admin-needs-info', 'super-admin-rejected'] }, toAddress: (await db().user.findUniqueOrThrow({ where: { id: request.userId! } })).email! } })).toBe(0);
  });

  it('[two VERIFIERS] approving a verified request the moment it expires, in parallel, mail no link', async () => {
    const { admin, request } = await verifiedRequest();
    await pastExpiry(request.id);
    const results = await Promise.all([approveRequest(await vendorActor(), { requestId: request.id }, someIp()), approveRequest(await vendorActor(), { requestId: request.id }, someIp())]);
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(await stateOf(request.id)).toBe('EXPIRED');
    expect(await mailsTo(admin.email!, 'reset-link')).toEqual([]);
    expect(await db().auditEvent.count({ where: { targetId: request.id, action: 'SUPER_ADMIN_RESET_EXPIRED' } })).toBe(1);
  });

  it('[ANONYMOUS with the notice] cannot cancel an expired request; it is marked EXPIRED, not CANCELLED', async () => {
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    const request = await fileRequest({ providerCode: agency.code, loginName: admin.loginName });
    const [notice] = await mailsTo(admin.email!, 'super-admin-request-notice');
    await pastExpiry(request.id);
    expect((await cancelRequest(cancelTokenIn(notice!.textBody), someIp())).ok).toBe(false);
    expect(await stateOf(request.id)).toBe('EXPIRED');
  });
});

describe('the address as it was when the request was filed', () => {
  it.each([
    ['e-mail', { email: 'olive.new@elsewhere.example' }],
    ['phone', { phone: '+1 512 555 0999' }],
  ])('[VERIFIER] cannot approve when the account’s %s changed after filing: refused, back to review, no link', async (_what, change) => {
    const { admin, request, verifier } = await verifiedRequest();
    await db().user.update({ where: { id: admin.id }, data: change });
    const victor = await vendorActor();
    expect(await approveRequest(victor, { requestId: request.id }, someIp())).toEqual({ ok: false, message: CONTACT_CHANGED });
    const after = await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(after).toMatchObject({ state: 'IN_REVIEW', claimedById: verifier.vendorAccountId, verifiedById: null, callbackDone: false, identityConfirmed: false });
    expect(after.contactChangedAt).not.toBeNull();
    expect(await db().passwordResetToken.count({ where: { requestId: request.id } })).toBe(0);
    expect(await db().outboxMessage.count({ where: { template: 'reset-link', toAddress: { in: [admin.email!, 'olive.new@elsewhere.example'] } } })).toBe(0);
    const page = await getRequestForVerifier(victor, request.id);
    expect(page).toMatchObject({ state: 'IN_REVIEW', contactChangedAt: expect.any(Date), contactChanged: false });
  });

  it('[VERIFIER] sees the change before approving; after verifying again, the link goes to the address on record then', async () => {
    const { admin, request, verifier } = await verifiedRequest();
    await db().user.update({ where: { id: admin.id }, data: { email: 'olive.new@lonestar.example' } });
    const victor = await vendorActor();
    expect((await getRequestForVerifier(victor, request.id))!.contactChanged).toBe(true);
    await approveRequest(victor, { requestId: request.id }, someIp());
    await expectOk(recordCallback(verifier, { requestId: request.id, ...CHECKLIST_DONE }, someIp()));
    await expectOk(verifyRequest(verifier, { requestId: request.id }, someIp()));
    await expectOk(approveRequest(victor, { requestId: request.id }, someIp()));
    expect(await mailsTo(admin.email!, 'reset-link')).toEqual([]);
    expect(await mailsTo('olive.new@lonestar.example', 'reset-link')).toHaveLength(1);
  });

  it('[VERIFIER] an approval that races a change of address still mails only the address on record at filing', async () => {
    const { admin, request } = await verifiedRequest();
    const victor = await vendorActor();
    const [approval] = await Promise.all([
      approveRequest(victor, { requestId: request.id }, someIp()),
      db().user.update({ where: { id: admin.id }, data: { email: 'hijacker@elsewhere.example' } }),
    ]);
    expect(await mailsTo('hijacker@elsewhere.example', 'reset-link')).toEqual([]);
    if (approval.ok) expect(await mailsTo(admin.email!, 'reset-link')).toHaveLength(1);
    else expect(await stateOf(request.id)).toBe('IN_REVIEW');
  });

  it('[VERIFIER] sees what to do when no e-mail was on record; an address added after filing does not make it approvable', async () => {
    const { admin, request } = await verifiedRequest({ email: null });
    const victor = await vendorActor();
    const page = await getRequestForVerifier(victor, request.id);
    expect(page).toMatchObject({ noEmailAtFiling: true, approveBlocked: NO_EMAIL_ON_RECORD });
    expect(await approveRequest(victor, { requestId: request.id }, someIp())).toEqual({ ok: false, message: NO_EMAIL_ON_RECORD });

    await db().user.update({ where: { id: admin.id }, data: { email: 'added.later@lonestar.example' } });
    expect(await approveRequest(victor, { requestId: request.id }, someIp())).toEqual({ ok: false, message: CONTACT_CHANGED });
    expect(await stateOf(request.id)).toBe('IN_REVIEW');
    expect(await mailsTo('added.later@lonestar.example', 'reset-link')).toEqual([]);
  });
});

/** What the approval left for the account: its live links, the reset links queued to it, the approval's audit record. */
async function afterApproval(admin: { id: string; email: string | null }, requestId: string) {
  return {
    liveLinks: await db().passwordResetToken.count({ where: { userId: admin.id, usedAt: null, expiresAt: { gt: new Date() } } }),
    linksMailed: (await mailsTo(admin.email!, 'reset-link')).length,
    audited: (await db().auditEvent.findMany({ where: { targetId: requestId, action: 'SUPER_ADMIN_RESET_APPROVED' }, select: { outcome: true, details: true } })).map(
      (event) => ({ outcome: event.outcome, refused: (JSON.parse(event.details ?? '{}') as { refused?: string }).refused }),
    ),
  };
}

describe('the account as it is when approved', () => {
  it.each([
    ['disabled', { status: 'DISABLED' }],
    ['demoted', { role: 'STAFF' }],
  ] as const)('[VERIFIER] cannot approve for an account %s after verifying: refused, no link, the audit says why', async (_what, change) => {
    const { admin, request } = await verifiedRequest({ otherAdmins: 1 });
    await db().user.update({ where: { id: admin.id }, data: change });
    expect(await approveRequest(await vendorActor(), { requestId: request.id }, someIp())).toEqual({ ok: false, message: NOT_AN_ACTIVE_ADMIN });
    expect(await stateOf(request.id)).toBe('VERIFIED');
    expect(await afterApproval(admin, request.id)).toEqual({ liveLinks: 0, linksMailed: 0, audited: [{ outcome: 'DENIED', refused: NOT_AN_ACTIVE_ADMIN }] });
  });
});

// An agency admin's change commits while the approval waits for the approver's own row, after its
// first reads: the approval must decide on the account as that change left it (review r37b F2).
describe.skipIf(databaseKind(process.env.DATABASE_URL!) !== 'postgresql')('an account changed by its agency at the moment of approval (PostgreSQL)', () => {
  const holdingApprover = (approver: { vendorAccountId: string }) => ({ sql: 'SELECT "id" FROM "VendorAccount" WHERE "id" = $1 FOR UPDATE', params: [approver.vendorAccountId] });
  // What set-user-status writes for a disable: status and version, sessions and links ended.
  const DISABLE = `WITH disabled AS (UPDATE "User" SET "status" = 'DISABLED', "sessionVersion" = "sessionVersion" + 1 WHERE "id" = $1 RETURNING "id"),
                        ended AS (UPDATE "AuthSession" SET "endedAt" = now() WHERE "userId" = $1 AND "endedAt" IS NULL RETURNING "id")
                   UPDATE "PasswordResetToken" SET "expiresAt" = now() WHERE "userId" = $1 AND "usedAt" IS NULL AND "expiresAt" > now()`;
  const DEMOTE = `UPDATE "User" SET "role" = 'STAFF', "sessionVersion" = "sessionVersion" + 1 WHERE "id" = $1`;
  const NEW_EMAIL = `UPDATE "User" SET "email" = 'olive.moved.' || "id" || '@elsewhere.example' WHERE "id" = $1`;

  it.each([
    ['disables', DISABLE, NOT_AN_ACTIVE_ADMIN, 'VERIFIED'],
    ['demotes', DEMOTE, NOT_AN_ACTIVE_ADMIN, 'VERIFIED'],
    ['changes the e-mail of', NEW_EMAIL, CONTACT_CHANGED, 'IN_REVIEW'],
  ])('[VERIFIER] an approval while an agency admin %s the account is refused: no live link, no mail, the audit says why', async (_what, sql, message, state) => {
    const { admin, request } = await verifiedRequest({ otherAdmins: 1 });
    const approver = await vendorActor();
    const approved = await whileCompetingTransactionHolds({ holds: holdingApprover(approver), then: { sql, params: [admin.id] } }, () =>
      approveRequest(approver, { requestId: request.id }, someIp()),
    );
    expect(approved).toEqual({ ok: false, message });
    expect(await stateOf(request.id)).toBe(state);
    expect(await afterApproval(admin, request.id)).toEqual({ liveLinks: 0, linksMailed: 0, audited: [{ outcome: 'DENIED', refused: message }] });
    expect(await db().outboxMessage.count({ where: { template: 'reset-link', toAddress: { endsWith: '@elsewhere.example' } } })).toBe(0);
  });

  it('[VERIFIER] an approval waits for a disable that holds the account, then mails no link', async () => {
    const { admin, request } = await verifiedRequest({ otherAdmins: 1 });
    const approver = await vendorActor();
    const holdingAccount = { sql: 'SELECT "id" FROM "User" WHERE "id" = $1 FOR UPDATE', params: [admin.id] };
    const approved = await whileCompetingTransactionHolds({ holds: holdingAccount, then: { sql: DISABLE, params: [admin.id] } }, () =>
      approveRequest(approver, { requestId: request.id }, someIp()),
    );
    expect(approved).toEqual({ ok: false, message: NOT_AN_ACTIVE_ADMIN });
    expect(await afterApproval(admin, request.id)).toEqual({ liveLinks: 0, linksMailed: 0, audited: [{ outcome: 'DENIED', refused: NOT_AN_ACTIVE_ADMIN }] });
  });

  it('[VERIFIER] an approval while the agency changes nothing that counts (a sign-in) mails its link', async () => {
    const { admin, request } = await verifiedRequest({ otherAdmins: 1 });
    const approver = await vendorActor();
    const signIn = { sql: 'UPDATE "User" SET "lastSignInAt" = now() WHERE "id" = $1', params: [admin.id] };
    const approved = await whileCompetingTransactionHolds({ holds: holdingApprover(approver), then: signIn }, () =>
      approveRequest(approver, { requestId: request.id }, someIp()),
    );
    expect(approved).toMatchObject({ ok: true, message: expect.stringMatching(/^Approved\. A single-use link is queued/) });
    expect(await stateOf(request.id)).toBe('APPROVED');
    expect(await afterApproval(admin, request.id)).toEqual({ liveLinks: 1, linksMailed: 1, audited: [{ outcome: 'SUCCESS', refused: undefined }] });
  });

  it.each([
    ['rejects', (actor: VendorActor, requestId: string) => rejectRequest(actor, { requestId, reason: 'We could not reach the agency.' }, someIp()), 'super-admin-rejected'],
    ['asks for more information', (actor: VendorActor, requestId: string) => requestMoreInfo(actor, { requestId, message: 'Please call us back on Monday.' }, someIp()), 'super-admin-needs-info'],
  ] as const)('[VERIFIER] who %s while the agency changes the e-mail writes to the address on record then, not the one replaced', async (_what, step, template) => {
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    const request = await fileRequest({ providerCode: agency.code, loginName: admin.loginName });
    const verifier = await vendorActor();
    await expectOk(claimRequest(verifier, { requestId: request.id, claimerSeen: '' }, someIp()));
    const moved = `olive.moved.${admin.id}@elsewhere.example`;
    await expectOk(whileCompetingTransactionHolds({ holds: holdingApprover(verifier), then: { sql: NEW_EMAIL, params: [admin.id] } }, () => step(verifier, request.id)));
    expect(await mailsTo(admin.email!, template)).toEqual([]);
    expect(await mailsTo(moved, template)).toHaveLength(1);
  });
});

describe('honest words about the link’s e-mail', () => {
  const relay = withSmtpSink();

  it('[VERIFIER] is told the link is queued, then sees retrying, sent, or failed from the outbox; never the link', async () => {
    await db().outboxMessage.updateMany({ where: { status: 'PENDING' }, data: { status: 'SENT' } });
    const { admin, request } = await verifiedRequest();
    const victor = await vendorActor();
    const approved = await expectOk(approveRequest(victor, { requestId: request.id }, someIp()));
    expect(approved.message).toMatch(/^Approved\. A single-use link is queued for e-mail to o\*\*\*@lonestar\.example/);
    const page = () => getRequestForVerifier(victor, request.id);
    expect((await page())!.delivery).toMatchObject({ state: 'queued', words: expect.stringMatching(/^Queued for e-mail at .*; not sent yet\.$/) });

    await relay.sink.stop();
    await deliverDueMessages(db(), relay.smtp);
    expect((await page())!.delivery).toMatchObject({ state: 'retrying', words: expect.stringMatching(/^Retrying: not delivered after 1 try; next try at /) });

    await relay.sink.start();
    await deliverDueMessages(db(), relay.smtp, { now: new Date(Date.now() + 3600_000) });
    expect((await page())!.delivery).toMatchObject({ state: 'sent', words: expect.stringMatching(/^Sent at /) });
    const mail = await relay.sink.waitFor((m) => m.to.includes(admin.email!) && m.subject.includes('password reset link'));
    const token = /\/reset\/([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
    expect(JSON.stringify(await page())).not.toContain(token);

    const mailId = (await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).approvalMailId!;
    await db().outboxMessage.update({ where: { id: mailId }, data: { status: 'DEAD', attempts: MAX_ATTEMPTS } });
    expect((await page())!.delivery).toMatchObject({ state: 'failed', words: expect.stringMatching(/^Failed: not delivered after 6 tries/) });
  });
});

describe('a step sent twice by the verifier who took it', () => {
  it('[VERIFIER] whose approval is sent again is refused as moved on, and it reads as their own step just now; another verifier’s copy does not (review r51f F1)', async () => {
    const { isOwnLatestStep } = await import('@/lib/super-admin/own-step');
    const { request, verifier } = await verifiedRequest();
    const approver = await vendorActor();
    await expectOk(approveRequest(approver, { requestId: request.id }, someIp()));
    expect(await approveRequest(approver, { requestId: request.id }, someIp())).toMatchObject({ ok: false, gone: true });
    expect(await isOwnLatestStep(approver, request.id, 'approve')).toBe(true);
    // The verifier's own step is no longer the latest, and nobody else's approval is theirs.
    expect(await isOwnLatestStep(verifier, request.id, 'verify')).toBe(false);
    expect(await isOwnLatestStep(await vendorActor(), request.id, 'approve')).toBe(false);
    expect(await isOwnLatestStep(approver, request.id, 'reject')).toBe(false);
    // A step whose form carries words is never taken for a second copy: its words may differ.
    expect(await isOwnLatestStep(verifier, request.id, 'checklist')).toBe(false);
    // A copy sent long after is no double click: it is told the request moved on.
    const { isOwnLatestChange } = await import('@/lib/audit/own-latest-change');
    const target = { type: 'SuperAdminResetRequest', id: request.id };
    expect(await isOwnLatestChange(target, 'SUPER_ADMIN_RESET_APPROVED', approver.vendorAccountId, new Date(Date.now() + 9 * 60_000))).toBe(true);
    expect(await isOwnLatestChange(target, 'SUPER_ADMIN_RESET_APPROVED', approver.vendorAccountId, new Date(Date.now() + 11 * 60_000))).toBe(false);
    // Nor once anyone moved the request since, the system or a requester included (review r51i F1).
    const { recordAuditAlone } = await import('@/lib/audit/record');
    await recordAuditAlone(db(), { actorType: 'SYSTEM', action: 'SUPER_ADMIN_RESET_LINK_LAPSED', targetType: 'SuperAdminResetRequest', targetId: request.id, outcome: 'SUCCESS' });
    expect(await isOwnLatestStep(approver, request.id, 'approve')).toBe(false);
  });
});
