import { describe, expect, it } from 'vitest';
import { issueTemporaryPassword } from '@/lib/admin/issue-temporary-password';
import { resolveSession, type AgencyActor } from '@/lib/auth/session';
import { signInAgencyUser } from '@/lib/auth/sign-in';
import { db } from '@/lib/db/client';
import { totpCodeFor, totpStep } from '@/lib/mfa/totp';
import { verifySignInSecondFactor } from '@/lib/mfa/verify-sign-in-second-factor';
import { resetPasswordWithLink } from '@/lib/password-reset/reset-password-with-link';
import { approveRequest } from '@/lib/super-admin/approve-request';
import { claimRequest } from '@/lib/super-admin/claim-request';
import { getRequestForVerifier } from '@/lib/super-admin/get-request-for-verifier';
import { LINK_LAPSED_REASON } from '@/lib/super-admin/lapse-approval';
import { listQueue } from '@/lib/super-admin/list-queue';
import { parseReference } from '@/lib/super-admin/reference';
import { addTotpFactor } from '@/prisma/factories';
import { approvedRequest, expectOk, formFor, NEW_PASSWORD, PASSWORD, someIp, submit, vendorActor } from './super-admin-fixtures';

type Approved = Awaited<ReturnType<typeof approvedRequest>>;

const target = (approved: Approved) => ({ providerCode: approved.agency.code, loginName: approved.admin.loginName });

async function noticesTo(approved: Approved) {
  const to = [approved.admin.email!, ...approved.others.map((other) => other.email!)];
  return db().outboxMessage.count({ where: { template: 'super-admin-request-notice', toAddress: { in: to } } });
}

/** Files the form again, as the locked-out admin would, and returns the request the filing landed on. */
async function fileAgain(approved: Approved) {
  const result = await submit(formFor(target(approved)), someIp());
  // The same answer as every filing, matched or not, new or repeat: a reference, nothing more.
  expect(Object.keys(result).sort()).toEqual(['ok', 'reference']);
  if (!result.ok) throw new Error(result.message);
  const submission = await db().superAdminRequestSubmission.findUniqueOrThrow({ where: { reference: parseReference(result.reference)! } });
  return { submission, request: await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: submission.requestId } }) };
}

/** Twenty-four hours pass: the link's own expiry, nothing else, moves into the past. */
async function letTheLinkExpire(requestId: string) {
  await db().passwordResetToken.updateMany({ where: { requestId }, data: { expiresAt: new Date(Date.now() - 1000) } });
}

async function agencyActor(approved: Approved, user: { loginName: string }): Promise<AgencyActor> {
  const result = await signInAgencyUser({ providerCode: approved.agency.code, loginName: user.loginName, password: PASSWORD }, someIp());
  if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
  return (await resolveSession(result.sessionId)) as AgencyActor;
}

async function expectOpensANewRequest(approved: Approved) {
  const old = approved.request;
  const noticesBefore = await noticesTo(approved);
  const { submission, request } = await fileAgain(approved);

  // A new request, from the start: not a repeat, not approved by itself, its notices mailed on record.
  expect(request.id).not.toBe(old.id);
  expect(submission.repeat).toBe(false);
  expect(request).toMatchObject({ state: 'SUBMITTED', openKey: `user:${approved.admin.id}`, approvedAt: null, verifiedById: null });
  expect(await noticesTo(approved)).toBe(noticesBefore + 1 + approved.others.length);
  expect(await db().passwordResetToken.count({ where: { requestId: request.id } })).toBe(0);

  // The old one holds the slot no longer: closed, with its reason, audited, its repeat count untouched.
  const closed = await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: old.id } });
  expect(closed).toMatchObject({ state: 'EXPIRED', openKey: null, repeatCount: 0, stateReason: LINK_LAPSED_REASON, completedAt: null });
  const lapsed = await db().auditEvent.findMany({ where: { targetId: old.id, action: 'SUPER_ADMIN_RESET_LINK_LAPSED' } });
  expect(lapsed.map((event) => [event.actorType, event.outcome])).toEqual([['SYSTEM', 'SUCCESS']]);

  // The verifier reads on the old request that its link lapsed unused, and is offered no step on it.
  const page = (await getRequestForVerifier(await vendorActor(), old.id))!;
  expect(page).toMatchObject({ state: 'EXPIRED', isOpen: false, linkLapsed: true, actions: [] });
  expect(page.history.at(-1)?.what).toBe('Closed: its link expired or was revoked before it was used');

  // A further filing is a repeat of the new request, as ever.
  const third = await fileAgain(approved);
  expect(third.request.id).toBe(request.id);
  expect(third.submission.repeat).toBe(true);
  return request;
}

describe('an approval whose link died unused frees the account for a new request', () => {
  it('[ANONYMOUS] filing again after the link expired unused opens a new request with a new notice; the old one holds the slot no longer', async () => {
    const approved = await approvedRequest({ otherAdmins: 1 });
    await letTheLinkExpire(approved.request.id);
    const fresh = await expectOpensANewRequest(approved);

    // The new request is verified and approved again by four eyes, and mails a new link.
    const vera = await vendorActor();
    await expectOk(claimRequest(vera, { requestId: fresh.id, claimerSeen: '' }, someIp()));
    expect((await getRequestForVerifier(vera, fresh.id))!.actions).toContain('verify');
    expect(await approveRequest(await vendorActor(), { requestId: fresh.id }, someIp())).toMatchObject({ ok: false });
  });

  it('[ANONYMOUS] filing again after another admin reset the account (revoking the link) opens a new request; the old link stays dead', async () => {
    const approved = await approvedRequest({ otherAdmins: 1 });
    const colleague = await agencyActor(approved, approved.others[0]!);
    const account = await db().user.findUniqueOrThrow({ where: { id: approved.admin.id }, select: { sessionVersion: true } });
    expect(await issueTemporaryPassword(colleague, { userId: approved.admin.id, expectedVersion: account.sessionVersion }, someIp())).toMatchObject({ ok: true });

    await expectOpensANewRequest(approved);
    expect(await resetPasswordWithLink(approved.token, NEW_PASSWORD, NEW_PASSWORD, someIp())).toMatchObject({ ok: false, linkInvalid: true });
  });

  it('[ANONYMOUS] two filings at once after the link expired close the old request once and open one new request', async () => {
    const approved = await approvedRequest();
    await letTheLinkExpire(approved.request.id);
    const results = await Promise.all([submit(formFor(target(approved)), someIp()), submit(formFor(target(approved)), someIp())]);
    expect(results.map((result) => result.ok)).toEqual([true, true]);
    const requests = await db().superAdminResetRequest.findMany({ where: { userId: approved.admin.id }, orderBy: { createdAt: 'asc' } });
    expect(requests.map((request) => [request.state, request.repeatCount])).toEqual([
      ['EXPIRED', 0],
      ['SUBMITTED', 1],
    ]);
    expect(await db().auditEvent.count({ where: { targetId: approved.request.id, action: 'SUPER_ADMIN_RESET_LINK_LAPSED' } })).toBe(1);
  });

  it('[SUPER_ADMIN] a sign-in with the second factor ends the link waiting in the mailbox (it would clear those factors); the password alone does not', async () => {
    const approved = await approvedRequest({ otherAdmins: 1 });
    const secret = await addTotpFactor(db(), { userId: approved.admin.id });
    const password = await signInAgencyUser({ providerCode: approved.agency.code, loginName: approved.admin.loginName, password: PASSWORD }, someIp());
    if (!password.ok || !password.secondFactorPending) throw new Error('no pending session');
    const live = () => db().passwordResetToken.count({ where: { requestId: approved.request.id, usedAt: null, expiresAt: { gt: new Date() } } });
    expect(await live()).toBe(1);

    const pending = (await resolveSession(password.sessionId))!;
    expect(await verifySignInSecondFactor(pending, { code: await totpCodeFor(secret, totpStep(new Date())) }, someIp())).toMatchObject({ ok: true });
    expect(await live()).toBe(0);
    const signedIn = await db().auditEvent.findFirstOrThrow({ where: { targetId: approved.admin.id, action: 'SIGN_IN_SECOND_FACTOR_SUCCESS' } });
    expect(JSON.parse(signedIn.details!)).toMatchObject({ fourEyesLinkRevoked: true });
    // She hears of it where the link went: someone else holding a factor of hers cannot end it unseen.
    const [told] = await db().outboxMessage.findMany({ where: { toAddress: approved.admin.email!, template: 'four-eyes-link-ended' } });
    expect(told?.subject).toBe('Your CareNotes reset link no longer works');

    // Whoever reads the mailbox later gets nothing from the link, and the factor stays.
    expect(await resetPasswordWithLink(approved.token, NEW_PASSWORD, NEW_PASSWORD, someIp())).toMatchObject({ ok: false, linkInvalid: true });
    expect(await db().mfaFactor.count({ where: { userId: approved.admin.id } })).toBe(1);
    // The request no longer holds the account's slot once someone files again.
    await expectOpensANewRequest(approved);
  });

  it('[VERIFIER] the queue shows an approval whose link expired unused as closed, before anyone files again', async () => {
    const approved = await approvedRequest();
    await letTheLinkExpire(approved.request.id);
    const vera = await vendorActor();
    const [row] = await listQueue(vera, { view: 'closed', q: approved.request.reference });
    expect(row).toMatchObject({ id: approved.request.id, state: 'EXPIRED' });
    expect((await getRequestForVerifier(vera, approved.request.id))!).toMatchObject({ linkLapsed: true, stateReason: LINK_LAPSED_REASON });
    expect(await db().superAdminResetRequest.count({ where: { userId: approved.admin.id, openKey: { not: null } } })).toBe(0);
  });

  it('[ANONYMOUS] while the link can still be used, filing again attaches as a repeat and mails nothing', async () => {
    const approved = await approvedRequest({ otherAdmins: 1 });
    const noticesBefore = await noticesTo(approved);
    const { submission, request } = await fileAgain(approved);
    expect(submission.repeat).toBe(true);
    expect(request).toMatchObject({ id: approved.request.id, state: 'APPROVED', repeatCount: 1 });
    expect(await noticesTo(approved)).toBe(noticesBefore);
    expect((await getRequestForVerifier(await vendorActor(), approved.request.id))!.linkLapsed).toBe(false);
    // And the link still completes it.
    expect(await resetPasswordWithLink(approved.token, NEW_PASSWORD, NEW_PASSWORD, someIp())).toMatchObject({ ok: true });
  });

  it('[ANONYMOUS] a used link leaves its request COMPLETED, whatever its expiry says, and is not called lapsed', async () => {
    const approved = await approvedRequest();
    expect(await resetPasswordWithLink(approved.token, NEW_PASSWORD, NEW_PASSWORD, someIp())).toMatchObject({ ok: true });
    await letTheLinkExpire(approved.request.id);
    const { request } = await fileAgain(approved);
    expect(request.id).not.toBe(approved.request.id);

    const done = await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: approved.request.id } });
    expect(done).toMatchObject({ state: 'COMPLETED', openKey: null, stateReason: null });
    expect(done.completedAt).not.toBeNull();
    expect(await db().auditEvent.count({ where: { targetId: approved.request.id, action: 'SUPER_ADMIN_RESET_LINK_LAPSED' } })).toBe(0);
    expect((await getRequestForVerifier(await vendorActor(), approved.request.id))!).toMatchObject({ state: 'COMPLETED', linkLapsed: false });
  });
});
