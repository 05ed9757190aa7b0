import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { deliverDueMessages, MAX_ATTEMPTS } from '@/lib/mail/worker';
import { approveRequest, CONTACT_CHANGED, NO_EMAIL_ON_RECORD } from '@/lib/super-admin/approve-request';
import { cancelRequest } from '@/lib/super-admin/cancel-request';
import { claimRequest } from '@/lib/super-admin/claim-request';
import { getRequestForVerifier } from '@/lib/super-admin/get-request-for-verifier';
import { recordCallback } from '@/lib/super-admin/record-callback';
import { rejectRequest } from '@/lib/super-admin/reject-request';
import { requestMoreInfo } from '@/lib/super-admin/request-more-info';
import { EXPIRED_MESSAGE } from '@/lib/super-admin/take-transition';
import { verifyRequest } from '@/lib/super-admin/verify-request';
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
    if (from === 'IN_REVIEW') await expectOk(claimRequest(verifier, { requestId: request.id }, someIp()));
    if (step === 'recordCallback' || step === 'verify') {
      await expectOk(recordCallback(verifier, { requestId: request.id, ...CHECKLIST_DONE }, someIp()));
    }
    await pastExpiry(request.id);
    const id = { requestId: request.id };
    const ip = someIp();
    const actor = step === 'approve' ? await vendorActor() : verifier;
    const result = await {
      claim: () => claimRequest(actor, id, ip),
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
