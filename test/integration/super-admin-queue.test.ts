import { describe, expect, it } from 'vitest';
import { ACTOR_CHANGED_MESSAGE, SESSION_IDLE_MS, type VendorActor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { databaseKind } from '@/lib/db/kind';
import { unseal } from '@/lib/mail/seal';
import { Refused } from '@/lib/result';
import { approveRequest, NO_EMAIL_ON_RECORD, SAME_VERIFIER } from '@/lib/super-admin/approve-request';
import { cancelRequest } from '@/lib/super-admin/cancel-request';
import { claimRequest, claimSchema } from '@/lib/super-admin/claim-request';
import { expireRequests } from '@/lib/super-admin/expire-requests';
import { exportQueue } from '@/lib/super-admin/export-queue';
import { getRequestForVerifier } from '@/lib/super-admin/get-request-for-verifier';
import { listQueue, MAX_QUEUE_ROWS } from '@/lib/super-admin/list-queue';
import { recordCallback } from '@/lib/super-admin/record-callback';
import { formatReference } from '@/lib/super-admin/reference';
import { rejectRequest } from '@/lib/super-admin/reject-request';
import { NO_ADDRESS_FOR_INFO, requestMoreInfo } from '@/lib/super-admin/request-more-info';
import { EXPIRED_MESSAGE } from '@/lib/super-admin/take-transition';
import { MOVED_ON } from '@/lib/super-admin/verifier-guard';
import { verifyRequest } from '@/lib/super-admin/verify-request';
import {
  agencyWithLoneSuperAdmin,
  cancelTokenIn,
  CHECKLIST_DONE,
  expectOk,
  fileRequest,
  ghost,
  mailsTo,
  someIp,
  vendorActor,
  verifiedRequest,
} from './super-admin-fixtures';
import { queuedBehindHeldRow, whileCompetingTransactionHolds } from '../support/competing-transaction';
import { withFreshDatabase } from '../support/fresh-database';
import { createAgency, createSuperAdminRequest, createUser } from '@/prisma/factories';


async function newRequest(options: { email?: string | null; otherAdmins?: number } = {}) {
  const { agency, admin, others } = await agencyWithLoneSuperAdmin(options);
  const request = await fileRequest({ providerCode: agency.code, loginName: admin.loginName });
  return { agency, admin, others, request };
}

describe('working the verification queue', () => {
  it('[VERIFIER] can claim, record the call-back and verify; [another VERIFIER] approves and the link goes to the address on record', async () => {
    const { admin, request } = await newRequest();
    const vera = await vendorActor();
    const victor = await vendorActor();
    const ip = someIp();

    await expectOk(claimRequest(vera, { requestId: request.id, claimerSeen: '' }, ip));
    await expectOk(recordCallback(vera, { requestId: request.id, ...CHECKLIST_DONE }, ip));
    await expectOk(verifyRequest(vera, { requestId: request.id }, ip));
    const approved = await expectOk(approveRequest(victor, { requestId: request.id }, ip));
    expect(approved.message).toContain('o***@lonestar');

    const after = await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(after).toMatchObject({ state: 'APPROVED', claimedById: vera.vendorAccountId, verifiedById: vera.vendorAccountId, approvedById: victor.vendorAccountId });
    const links = await db().passwordResetToken.findMany({ where: { requestId: request.id } });
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({ userId: admin.id, purpose: 'SUPER_ADMIN_REQUEST', issuedById: victor.vendorAccountId, usedAt: null });
    expect(links[0]!.expiresAt.getTime() - Date.now()).toBeGreaterThan(23.9 * 3600_000);

    const [mail] = await mailsTo(admin.email!, 'reset-link');
    expect(mail).toMatchObject({ sensitive: true });
    expect(unseal(mail!.textBody)).toMatch(/^Hello Olive Ownerson/);
    expect(await mailsTo('attacker-controlled@elsewhere.example', 'reset-link')).toEqual([]);

    const actions = await db().auditEvent.findMany({ where: { targetId: request.id }, orderBy: { seq: 'asc' } });
    expect(actions.map((a) => [a.action, a.actorId])).toEqual([
      ['SUPER_ADMIN_RESET_SUBMITTED', null],
      ['SUPER_ADMIN_RESET_CLAIMED', vera.vendorAccountId],
      ['SUPER_ADMIN_RESET_CHECKLIST_SAVED', vera.vendorAccountId],
      ['SUPER_ADMIN_RESET_VERIFIED', vera.vendorAccountId],
      ['SUPER_ADMIN_RESET_APPROVED', victor.vendorAccountId],
    ]);
  });

  it('[VERIFIER] cannot approve a request they verified; the try is refused and audited', async () => {
    const { request, verifier } = await verifiedRequest();
    const ip = someIp();
    expect(await approveRequest(verifier, { requestId: request.id }, ip)).toEqual({ ok: false, message: SAME_VERIFIER });
    expect((await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).state).toBe('VERIFIED');
    expect(await db().passwordResetToken.count({ where: { requestId: request.id } })).toBe(0);
    expect(await db().auditEvent.count({ where: { targetId: request.id, action: 'SUPER_ADMIN_RESET_APPROVED', outcome: 'DENIED', ip } })).toBe(1);
  });

  it('[VERIFIER] cannot approve a request nobody verified', async () => {
    const { request } = await newRequest();
    const vera = await vendorActor();
    await expectOk(claimRequest(vera, { requestId: request.id, claimerSeen: '' }, someIp()));
    expect((await approveRequest(await vendorActor(), { requestId: request.id }, someIp())).ok).toBe(false);
    expect(await db().passwordResetToken.count({ where: { requestId: request.id } })).toBe(0);
  });

  it('[VERIFIER] disabled, signed out or past the idle limit while a step was on its way: nothing moves, no link, the try is audited', async () => {
    const { request } = await verifiedRequest();
    const changes: [string, (victor: VendorActor) => Promise<unknown>][] = [
      ['disabled', (victor) => db().vendorAccount.update({ where: { id: victor.vendorAccountId }, data: { active: false } })],
      ['signed out', (victor) => db().authSession.update({ where: { id: victor.sessionId }, data: { endedAt: new Date() } })],
      ['idle', (victor) => db().authSession.update({ where: { id: victor.sessionId }, data: { lastSeenAt: new Date(Date.now() - SESSION_IDLE_MS - 60_000) } })],
    ];
    for (const [what, change] of changes) {
      const victor = await vendorActor();
      await change(victor);
      expect(await approveRequest(victor, { requestId: request.id }, someIp()), what).toEqual({ ok: false, message: ACTOR_CHANGED_MESSAGE });
      const denied = await db().auditEvent.findMany({ where: { targetId: request.id, actorId: victor.vendorAccountId } });
      expect(denied.map((event) => [event.action, event.outcome, JSON.parse(event.details!).refused]), what).toEqual([['SUPER_ADMIN_RESET_APPROVED', 'DENIED', 'actor-changed']]);
    }
    expect((await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).state).toBe('VERIFIED');
    expect(await db().passwordResetToken.count({ where: { requestId: request.id } })).toBe(0);

    // A claim by a disabled verifier leaves the request where it was, too.
    const fresh = await newRequest();
    const vera = await vendorActor();
    await db().vendorAccount.update({ where: { id: vera.vendorAccountId }, data: { active: false } });
    expect(await claimRequest(vera, { requestId: fresh.request.id, claimerSeen: '' }, someIp())).toEqual({ ok: false, message: ACTOR_CHANGED_MESSAGE });
    expect((await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: fresh.request.id } })).state).toBe('SUBMITTED');
  });

  it('[OPERATOR] cannot work the queue: every use case refuses', async () => {
    const { request } = await newRequest();
    const otto = await vendorActor('OPERATOR');
    const id = { requestId: request.id };
    const attempts = [
      () => listQueue(otto),
      () => getRequestForVerifier(otto, request.id),
      () => exportQueue(otto, {}, someIp()),
      () => claimRequest(otto, { ...id, claimerSeen: '' }, someIp()),
      () => recordCallback(otto, { ...id, ...CHECKLIST_DONE }, someIp()),
      () => verifyRequest(otto, id, someIp()),
      () => approveRequest(otto, id, someIp()),
      () => requestMoreInfo(otto, { ...id, message: 'Please call us back.' }, someIp()),
      () => rejectRequest(otto, { ...id, reason: 'Not allowed anyway' }, someIp()),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toBeInstanceOf(Refused);
    expect((await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).state).toBe('SUBMITTED');
  });

  it('[VERIFIER] cannot verify before the whole checklist is saved', async () => {
    const { request } = await newRequest();
    const vera = await vendorActor();
    await expectOk(claimRequest(vera, { requestId: request.id, claimerSeen: '' }, someIp()));
    await expectOk(recordCallback(vera, { ...CHECKLIST_DONE, requestId: request.id, noOtherAdminConfirmed: false }, someIp()));
    const refused = await verifyRequest(vera, { requestId: request.id }, someIp());
    expect(refused).toEqual({ ok: false, message: 'Complete and save the checklist first: that no other administrator is available.' });
    expect((await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).state).toBe('IN_REVIEW');
  });

  it('[VERIFIER] cannot verify a request that matches no administrator, only reject it (no mail goes anywhere)', async () => {
    const request = await fileRequest({ providerCode: 'NOT-AN-AGENCY', loginName: ghost('ghost') });
    const vera = await vendorActor();
    await expectOk(claimRequest(vera, { requestId: request.id, claimerSeen: '' }, someIp()));
    await expectOk(recordCallback(vera, { requestId: request.id, ...CHECKLIST_DONE }, someIp()));
    expect((await verifyRequest(vera, { requestId: request.id }, someIp())).message).toMatch(/matches no administrator account/);
    expect((await requestMoreInfo(vera, { requestId: request.id, message: 'Who are you, please?' }, someIp())).message).toBe(NO_ADDRESS_FOR_INFO);
    const outbox = await db().outboxMessage.count();
    await expectOk(rejectRequest(vera, { requestId: request.id, reason: 'No such administrator on record.' }, someIp()));
    expect(await db().outboxMessage.count()).toBe(outbox);
  });

  it('[VERIFIER] cannot work a request another verifier claimed, but can take it over (audited)', async () => {
    const { request } = await newRequest();
    const vera = await vendorActor();
    const victor = await vendorActor();
    await expectOk(claimRequest(vera, { requestId: request.id, claimerSeen: '' }, someIp()));
    expect((await recordCallback(victor, { requestId: request.id, ...CHECKLIST_DONE }, someIp())).ok).toBe(false);
    expect((await verifyRequest(victor, { requestId: request.id }, someIp())).ok).toBe(false);
    expect((await claimRequest(vera, { requestId: request.id, claimerSeen: vera.vendorAccountId }, someIp())).ok).toBe(false);

    await expectOk(claimRequest(victor, { requestId: request.id, claimerSeen: vera.vendorAccountId }, someIp()));
    expect((await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).claimedById).toBe(victor.vendorAccountId);
    const takeover = await db().auditEvent.findFirstOrThrow({ where: { targetId: request.id, action: 'SUPER_ADMIN_RESET_CLAIMED', actorId: victor.vendorAccountId, outcome: 'SUCCESS' } });
    expect(JSON.parse(takeover.details!)).toMatchObject({ from: 'IN_REVIEW', previousClaimerId: vera.vendorAccountId });
  });

  it('[VERIFIER] whose request another verifier took over meanwhile is told it moved on (its form is gone), not that its checklist is undone', async () => {
    const { request } = await newRequest();
    const vera = await vendorActor();
    const victor = await vendorActor();
    const id = { requestId: request.id };
    await expectOk(claimRequest(vera, { ...id, claimerSeen: '' }, someIp()));
    await expectOk(recordCallback(vera, { ...id, ...CHECKLIST_DONE }, someIp()));
    // Victor takes it over, which unticks the checklist: Vera's open page still shows her Verify button.
    await expectOk(claimRequest(victor, { ...id, claimerSeen: vera.vendorAccountId }, someIp()));
    expect(await verifyRequest(vera, id, someIp())).toEqual({ ok: false, message: MOVED_ON, gone: true });
    expect(await recordCallback(vera, { ...id, ...CHECKLIST_DONE }, someIp())).toEqual({ ok: false, message: MOVED_ON, gone: true });
    // Its own refusal still stands while the step is the verifier's: Victor has not done the checks.
    expect((await verifyRequest(victor, id, someIp())).message).toMatch(/^Complete and save the checklist first/);
    expect(await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ state: 'IN_REVIEW', claimedById: victor.vendorAccountId, callbackDone: false });
    const refusals = await db().auditEvent.findMany({ where: { targetId: request.id, actorId: vera.vendorAccountId, outcome: 'DENIED' }, orderBy: { seq: 'asc' } });
    expect(refusals.map((event) => [event.action, JSON.parse(event.details!).refused])).toEqual([
      ['SUPER_ADMIN_RESET_VERIFIED', 'state or verifier did not allow it'],
      ['SUPER_ADMIN_RESET_CHECKLIST_SAVED', 'state or verifier did not allow it'],
    ]);
  });

  it('[VERIFIER] a takeover unticks the checklist: who did the checks cannot approve what another only clicked through', async () => {
    const { request } = await newRequest();
    const vera = await vendorActor();
    const victor = await vendorActor();
    await expectOk(claimRequest(vera, { requestId: request.id, claimerSeen: '' }, someIp()));
    await expectOk(recordCallback(vera, { requestId: request.id, ...CHECKLIST_DONE }, someIp()));
    await expectOk(claimRequest(victor, { requestId: request.id, claimerSeen: vera.vendorAccountId }, someIp()));
    expect(await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      callbackDone: false,
      callbackNotes: null,
      identityConfirmed: false,
      noOtherAdminConfirmed: false,
    });
    expect((await verifyRequest(victor, { requestId: request.id }, someIp())).message).toMatch(/^Complete and save the checklist first/);
    expect((await approveRequest(vera, { requestId: request.id }, someIp())).ok).toBe(false);
    // Victor's own checks, then Vera may approve: four eyes, each pair on its own step.
    await expectOk(recordCallback(victor, { requestId: request.id, ...CHECKLIST_DONE }, someIp()));
    await expectOk(verifyRequest(victor, { requestId: request.id }, someIp()));
    await expectOk(approveRequest(vera, { requestId: request.id }, someIp()));
  });

  it('[VERIFIER] back from “needs information”, even to the verifier who asked, a request’s checklist starts again: it is never verified on a call made before the answer (review r49a F1)', async () => {
    const { request } = await newRequest();
    const vera = await vendorActor();
    await expectOk(claimRequest(vera, { requestId: request.id, claimerSeen: '' }, someIp()));
    await expectOk(recordCallback(vera, { requestId: request.id, ...CHECKLIST_DONE, callbackNotes: 'Reached the office; the badge number did not match.' }, someIp()));
    await expectOk(requestMoreInfo(vera, { requestId: request.id, message: 'Please send the number on your staff badge.' }, someIp()));
    expect((await expectOk(claimRequest(vera, { requestId: request.id, claimerSeen: vera.vendorAccountId }, someIp()))).message).toMatch(/Its checklist starts again/);
    expect(await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      state: 'IN_REVIEW',
      callbackDone: false,
      callbackNotes: null,
      identityConfirmed: false,
      noOtherAdminConfirmed: false,
    });
    expect((await verifyRequest(vera, { requestId: request.id }, someIp())).message).toMatch(/^Complete and save the checklist first/);
    // The notes of the call made before stay on the record of the claim.
    const claimed = await db().auditEvent.findFirstOrThrow({ where: { targetId: request.id, action: 'SUPER_ADMIN_RESET_CLAIMED' }, orderBy: { seq: 'desc' } });
    expect(JSON.parse(claimed.details!)).toMatchObject({ from: 'NEEDS_INFO', previousCallbackNotes: 'Reached the office; the badge number did not match.' });
  });

  it('[VERIFIER] can ask for more information: the mail goes to the address on record, and the request can be picked up again', async () => {
    const { admin, request } = await newRequest();
    const vera = await vendorActor();
    await expectOk(claimRequest(vera, { requestId: request.id, claimerSeen: '' }, someIp()));
    await expectOk(requestMoreInfo(vera, { requestId: request.id, message: 'Please be at the office phone on Monday morning.' }, someIp()));
    const held = await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(held).toMatchObject({ state: 'NEEDS_INFO', stateReason: 'Please be at the office phone on Monday morning.' });
    const [mail] = await mailsTo(admin.email!, 'super-admin-needs-info');
    expect(mail!.textBody).toContain('Please be at the office phone on Monday morning.');
    expect(await mailsTo('attacker-controlled@elsewhere.example')).toEqual([]);
    await expectOk(claimRequest(await vendorActor(), { requestId: request.id, claimerSeen: held.claimedById ?? '' }, someIp()));
    expect((await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).state).toBe('IN_REVIEW');
  });

  it('[VERIFIER] can reject with a reason, mailed to the address on record; a closed request accepts nothing more', async () => {
    const { admin, request } = await newRequest();
    const vera = await vendorActor();
    await expectOk(claimRequest(vera, { requestId: request.id, claimerSeen: '' }, someIp()));
    await expectOk(rejectRequest(vera, { requestId: request.id, reason: 'The agency office says Olive left in May.' }, someIp()));
    expect(await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      state: 'REJECTED',
      stateReason: 'The agency office says Olive left in May.',
    });
    const [mail] = await mailsTo(admin.email!, 'super-admin-rejected');
    expect(mail!.textBody).toContain('The agency office says Olive left in May.');
    for (const attempt of [
      claimRequest(vera, { requestId: request.id, claimerSeen: '' }, someIp()),
      rejectRequest(vera, { requestId: request.id, reason: 'again and again' }, someIp()),
      approveRequest(await vendorActor(), { requestId: request.id }, someIp()),
    ]) {
      expect((await attempt).ok).toBe(false);
    }
  });

  it('[VERIFIER] cannot approve an account with no e-mail on record; the page says so, and rejecting with that reason works', async () => {
    const { request } = await verifiedRequest({ email: null });
    const victor = await vendorActor();
    expect(await approveRequest(victor, { requestId: request.id }, someIp())).toEqual({ ok: false, message: NO_EMAIL_ON_RECORD });
    const page = await getRequestForVerifier(victor, request.id);
    expect(page!.approveBlocked).toBe(NO_EMAIL_ON_RECORD);
    expect(page!.account).toMatchObject({ hasEmail: false, maskedEmail: null });
    await expectOk(rejectRequest(victor, { requestId: request.id, reason: 'No e-mail address on record.' }, someIp()));
    expect(await db().passwordResetToken.count({ where: { requestId: request.id } })).toBe(0);
  });

  it('[two VERIFIERS] approving at the same time produce exactly one link', async () => {
    const { admin, request } = await verifiedRequest();
    const victor = await vendorActor();
    const wendy = await vendorActor();
    const results = await Promise.all([
      approveRequest(victor, { requestId: request.id }, someIp()),
      approveRequest(wendy, { requestId: request.id }, someIp()),
      approveRequest(victor, { requestId: request.id }, someIp()),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await db().passwordResetToken.count({ where: { requestId: request.id } })).toBe(1);
    expect(await mailsTo(admin.email!, 'reset-link')).toHaveLength(1);
    expect(await db().auditEvent.count({ where: { targetId: request.id, action: 'SUPER_ADMIN_RESET_APPROVED', outcome: 'SUCCESS' } })).toBe(1);
  });
});

describe('what a verifier sees', () => {
  it('[VERIFIER] a real request stays in sight behind more than 500 a stranger filed: listed before them, and found by any search', async () => {
    await withFreshDatabase(async (database) => {
      // The use cases read the process's client: this test's own database for its length.
      const holder = globalThis as unknown as { portalDb?: unknown };
      const shared = holder.portalDb;
      holder.portalDb = database;
      try {
        await database.superAdminResetRequest.createMany({
          data: Array.from({ length: MAX_QUEUE_ROWS + 10 }, (_, i) => ({
            reference: `J${String(i).padStart(9, '0')}`,
            providerCode: 'NO-SUCH-AGENCY',
            loginName: `junk.${i}`,
            fullName: 'Nobody',
            jobTitle: 'None',
            workEmail: 'nobody@example.com',
            workPhone: '+1 555 0100',
            reason: 'Junk filed from many addresses.',
            createdAt: new Date(Date.now() - 2 * 3600_000),
            expiresAt: new Date(Date.now() + 6 * 86_400_000),
          })),
        });
        const agency = await createAgency(database);
        const admin = await createUser(database, agency.id, 'a long enough password', { role: 'SUPER_ADMIN' });
        const filed = await createSuperAdminRequest(database, agency, admin);
        // A reference as the form hands them out (Crockford base32).
        const request = await database.superAdminResetRequest.update({ where: { id: filed.request.id }, data: { reference: '7K3QZM4T9P' } });
        const vera = await vendorActor();
        const open = await listQueue(vera);
        expect(open).toHaveLength(MAX_QUEUE_ROWS);
        expect(open[0]!.id).toBe(request.id);
        for (const q of [formatReference(request.reference), agency.code, admin.loginName]) {
          expect((await listQueue(vera, { q })).map((row) => row.id), q).toEqual([request.id]);
        }
        // And a search reads past the rows a view shows.
        expect((await listQueue(vera, { q: `junk.${MAX_QUEUE_ROWS + 9}` })).map((row) => row.loginName)).toEqual([`junk.${MAX_QUEUE_ROWS + 9}`]);
      } finally {
        holder.portalDb = shared;
      }
    });
  });

  it('[VERIFIER] sees open requests oldest first, those matching an account before the others, with time in queue highlighted, and can search them', async () => {
    const vera = await vendorActor();
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    const old = await fileRequest({ providerCode: agency.code, loginName: admin.loginName });
    const recent = await fileRequest({ providerCode: 'NOT-AN-AGENCY', loginName: ghost('ghost.queue') });
    await db().superAdminResetRequest.update({ where: { id: old.id }, data: { createdAt: new Date(Date.now() - 80 * 3600_000) } });

    const rows = await listQueue(vera);
    const mine = rows.filter((row) => row.id === old.id || row.id === recent.id);
    expect(mine.map((row) => row.id)).toEqual([old.id, recent.id]);
    expect(mine[0]).toMatchObject({ urgency: 'overdue', matchesAdmin: true, agencyName: agency.name, waited: expect.stringMatching(/^3 d 8 h/) });
    expect(mine[1]).toMatchObject({ urgency: 'normal', matchesAdmin: false, agencyName: null });
    const matching = rows.filter((row) => row.matchesAdmin);
    const others = rows.filter((row) => !row.matchesAdmin);
    expect(rows).toEqual([...matching, ...others]);
    for (const group of [matching, others]) {
      const createdTimes = group.map((row) => row.submittedAt.getTime());
      expect(createdTimes).toEqual([...createdTimes].sort((x, y) => x - y));
    }

    expect((await listQueue(vera, { q: formatReference(old.reference).toLowerCase() })).map((r) => r.id)).toEqual([old.id]);
    expect((await listQueue(vera, { q: agency.code.toLowerCase() })).map((r) => r.id)).toContain(old.id);
    expect((await listQueue(vera, { view: 'SUBMITTED' })).every((r) => r.state === 'SUBMITTED')).toBe(true);
    expect((await listQueue(vera, { view: 'closed' })).map((r) => r.id)).not.toContain(old.id);
  });

  it('[VERIFIER] sees what was typed beside what is on record, masked, with the other admins and their recent sign-ins', async () => {
    const { agency, admin, others, request } = await newRequest({ otherAdmins: 2 });
    await db().user.update({ where: { id: others[0]!.id }, data: { lastSignInAt: new Date(Date.now() - 3 * 24 * 3600_000) } });
    await db().user.update({ where: { id: others[1]!.id }, data: { lastSignInAt: new Date(Date.now() - 45 * 24 * 3600_000) } });
    await db().user.update({ where: { id: admin.id }, data: { hardLockedAt: new Date(), failedSignInCount: 20 } });
    const page = await getRequestForVerifier(await vendorActor(), request.id);

    expect(page).toMatchObject({
      state: 'SUBMITTED',
      matchesAdmin: true,
      noticesQueued: 3,
      agency: { name: agency.name, code: agency.code, phoneOnRecord: '+1 512 555 0177' },
      account: {
        displayName: 'Olive Ownerson',
        maskedEmail: expect.stringMatching(/^o\*\*\*@lonestar\.example$/),
        maskedPhone: '+1 ••• ••• 0178',
        typedEmailMatches: false,
        typedNameMatches: true,
        lock: 'locked until an admin unlocks it',
      },
      submitted: { workEmail: 'attacker-controlled@elsewhere.example', workPhone: '+1 737 555 0199' },
      actions: ['claim', 'reject'],
    });
    expect(page!.otherAdmins.map((o) => [o.displayName, o.signedInRecently])).toEqual([
      ['Other Admin 0', true],
      ['Other Admin 1', false],
    ]);
    expect(JSON.stringify(page)).not.toContain(admin.email!);
    expect(JSON.stringify(page)).not.toContain('555 0178');

    // The address on record typed with its domain spelt another way (as a mail server reads it) matches (review r50b I2).
    await db().user.update({ where: { id: admin.id }, data: { email: 'olive@bücher.example' } });
    await db().superAdminResetRequest.update({ where: { id: request.id }, data: { workEmail: 'Olive@XN--BCHER-KVA.example' } });
    expect((await getRequestForVerifier(await vendorActor(), request.id))!.account!.typedEmailMatches).toBe(true);
  });

  it('[VERIFIER] gets nothing for an unknown request id', async () => {
    expect(await getRequestForVerifier(await vendorActor(), 'no-such-request')).toBeNull();
  });

  it('[VERIFIER] sees an approved request expire after 7 days, and its link die with it', async () => {
    const { request } = await verifiedRequest();
    await expectOk(approveRequest(await vendorActor(), { requestId: request.id }, someIp()));
    await db().superAdminResetRequest.update({ where: { id: request.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const page = await getRequestForVerifier(await vendorActor(), request.id);
    expect(page!.state).toBe('EXPIRED');
    const [link] = await db().passwordResetToken.findMany({ where: { requestId: request.id } });
    expect(link!.expiresAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('[VERIFIER] exports the queue as CSV that a spreadsheet cannot run as formulas; the export is audited', async () => {
    const vera = await vendorActor();
    const request = await fileRequest({ providerCode: 'NOT-AN-AGENCY', loginName: ghost('ghost.csv') }, { fullName: '=HYPERLINK("http://evil.example")' });
    const ip = someIp();
    const csv = await exportQueue(vera, { q: formatReference(request.reference) }, ip);
    const lines = csv.trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^reference,state,submitted_at/);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(await db().auditEvent.count({ where: { action: 'SUPER_ADMIN_QUEUE_EXPORTED', actorId: vera.vendorAccountId, ip } })).toBe(1);
  });
});

describe.skipIf(databaseKind(process.env.DATABASE_URL!) !== 'postgresql')('a verifier disabled at that very moment (PostgreSQL)', () => {
  it('[VERIFIER] an approval waits for the disable, then mails no link', async () => {
    const { request } = await verifiedRequest();
    const victor = await vendorActor();
    const disable = {
      holds: { sql: 'SELECT "id" FROM "VendorAccount" WHERE "id" = $1 FOR UPDATE', params: [victor.vendorAccountId] },
      then: { sql: 'UPDATE "VendorAccount" SET "active" = false WHERE "id" = $1', params: [victor.vendorAccountId] },
    };
    const result = await whileCompetingTransactionHolds(disable, () => approveRequest(victor, { requestId: request.id }, someIp()));
    expect(result).toEqual({ ok: false, message: ACTOR_CHANGED_MESSAGE });
    expect((await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).state).toBe('VERIFIED');
    expect(await db().passwordResetToken.count({ where: { requestId: request.id } })).toBe(0);
  });
});

// Each audit record says the state its step moved the request from: read with the request's row held, or
// pinned in the step's own UPDATE, never read before another step moved it on (review r38a F2).
describe.skipIf(databaseKind(process.env.DATABASE_URL!) !== 'postgresql')('two steps on one request at once (PostgreSQL)', () => {
  const holdRequest = (id: string) => ({ sql: 'SELECT "id" FROM "SuperAdminResetRequest" WHERE "id" = $1 FOR UPDATE', params: [id] });
  const fromOf = async (requestId: string, action: string) =>
    (await db().auditEvent.findMany({ where: { targetId: requestId, action, outcome: 'SUCCESS' }, orderBy: { seq: 'asc' } })).map((event) => JSON.parse(event.details!).from);

  it('[ANONYMOUS with the notice] cancels as a verifier claims: the cancel is recorded from review, where the claim left it', async () => {
    const { admin, request } = await newRequest();
    const [notice] = await mailsTo(admin.email!, 'super-admin-request-notice');
    const vera = await vendorActor();
    const [claimed, cancelled] = await queuedBehindHeldRow(holdRequest(request.id), [
      () => claimRequest(vera, { requestId: request.id, claimerSeen: '' }, someIp()),
      () => cancelRequest(cancelTokenIn(notice!.textBody), someIp()),
    ]);
    expect(claimed).toMatchObject({ ok: true });
    expect(cancelled).toMatchObject({ ok: true });
    expect(await fromOf(request.id, 'SUPER_ADMIN_RESET_CLAIMED')).toEqual(['SUBMITTED']);
    expect(await fromOf(request.id, 'SUPER_ADMIN_RESET_CANCELLED')).toEqual(['IN_REVIEW']);
  });

  it('[VERIFIER] taking over a request its claimer puts on hold at that moment is told it moved on: it was no longer the request in review they chose', async () => {
    const { request } = await newRequest();
    const vera = await vendorActor();
    const victor = await vendorActor();
    await expectOk(claimRequest(vera, { requestId: request.id, claimerSeen: '' }, someIp()));
    const [onHold, takeover] = await queuedBehindHeldRow(holdRequest(request.id), [
      () => requestMoreInfo(vera, { requestId: request.id, message: 'Please send the number on your staff badge.' }, someIp()),
      () => claimRequest(victor, { requestId: request.id, claimerSeen: vera.vendorAccountId }, someIp()),
    ]);
    expect(onHold).toMatchObject({ ok: true });
    expect(takeover).toEqual({ ok: false, message: MOVED_ON, gone: true });
    expect(await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ state: 'NEEDS_INFO', claimedById: vera.vendorAccountId });
    expect(await fromOf(request.id, 'SUPER_ADMIN_RESET_CLAIMED')).toEqual(['SUBMITTED']);
  });

  it('[VERIFIER] a step that waited for the request’s row past its end is refused as expired: it is judged when it goes through, not when it began to wait (b38a)', async () => {
    const { request } = await newRequest();
    const vera = await vendorActor();
    await expectOk(claimRequest(vera, { requestId: request.id, claimerSeen: '' }, someIp()));
    await expectOk(recordCallback(vera, { requestId: request.id, ...CHECKLIST_DONE }, someIp()));
    // What the step waits for ends just after it began waiting: the request's end has come meanwhile.
    const endsWhileWaiting = { holds: holdRequest(request.id), then: { sql: `UPDATE "SuperAdminResetRequest" SET "expiresAt" = clock_timestamp() - interval '1 millisecond' WHERE "id" = $1`, params: [request.id] } };
    const verified = await whileCompetingTransactionHolds(endsWhileWaiting, () => verifyRequest(vera, { requestId: request.id }, someIp()));
    expect(verified).toMatchObject({ ok: false, message: EXPIRED_MESSAGE });
    expect(await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ state: 'EXPIRED', verifiedById: null });
  });

  it('[VERIFIER] an approval that waited for the request’s row past its end is refused as expired and mails no link, though it records its own time (review r40c F2)', async () => {
    const { request } = await verifiedRequest();
    const victor = await vendorActor();
    const endsWhileWaiting = { holds: holdRequest(request.id), then: { sql: `UPDATE "SuperAdminResetRequest" SET "expiresAt" = clock_timestamp() - interval '1 millisecond' WHERE "id" = $1`, params: [request.id] } };
    const approved = await whileCompetingTransactionHolds(endsWhileWaiting, () => approveRequest(victor, { requestId: request.id }, someIp()));
    expect(approved).toMatchObject({ ok: false, message: EXPIRED_MESSAGE });
    expect(await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ state: 'EXPIRED', approvedById: null });
    expect(await db().passwordResetToken.count({ where: { requestId: request.id } })).toBe(0);
  });

  it('a request expiring as a step taken a moment before its end commits: the expiry is recorded from the state that step left', async () => {
    const { request } = await newRequest();
    await db().superAdminResetRequest.update({ where: { id: request.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    // A claim that read its clock just before the end, and wrote once the expiry round had read the request.
    const claim = { holds: holdRequest(request.id), then: { sql: `UPDATE "SuperAdminResetRequest" SET "state" = 'IN_REVIEW' WHERE "id" = $1`, params: [request.id] } };
    await whileCompetingTransactionHolds(claim, () => expireRequests());
    expect((await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).state).toBe('EXPIRED');
    expect(await fromOf(request.id, 'SUPER_ADMIN_RESET_EXPIRED')).toEqual(['IN_REVIEW']);
  });
});

describe('a claim says whose claim its page showed (review r51h F1)', () => {
  it('[two VERIFIERS] a "Claim this request" page drawn before another claimed is refused as moved on, not a takeover; "Take over" from the page that shows the claim takes it', async () => {
    const { request } = await newRequest();
    const [victor, vera] = [await vendorActor(), await vendorActor()];
    await expectOk(claimRequest(victor, { requestId: request.id, claimerSeen: '' }, someIp()));
    await expectOk(recordCallback(victor, { requestId: request.id, ...CHECKLIST_DONE }, someIp()));

    expect(await claimRequest(vera, { requestId: request.id, claimerSeen: '' }, someIp())).toEqual({ ok: false, message: MOVED_ON, gone: true });
    expect(await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ claimedById: victor.vendorAccountId, callbackDone: true });

    await expectOk(claimRequest(vera, { requestId: request.id, claimerSeen: victor.vendorAccountId }, someIp()));
    expect(await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ claimedById: vera.vendorAccountId, callbackDone: false });
    expect(await db().auditEvent.count({ where: { targetId: request.id, action: 'SUPER_ADMIN_RESET_CLAIMED' } })).toBe(2);
  });

  it('a hand-made claim that does not say whose claim its page showed is bad input, never a takeover', () => {
    expect(claimSchema.safeParse({ requestId: 'any' }).success).toBe(false);
    expect(claimSchema.safeParse({ requestId: 'any', claimerSeen: '' }).success).toBe(true);
  });

  it('[VERIFIER] whose claim is sent twice is refused the second time as moved on by their own step, which the page then says was done', async () => {
    const { isOwnLatestStep } = await import('@/lib/super-admin/own-step');
    const { request } = await newRequest();
    const vera = await vendorActor();
    await expectOk(claimRequest(vera, { requestId: request.id, claimerSeen: '' }, someIp()));
    expect(await claimRequest(vera, { requestId: request.id, claimerSeen: '' }, someIp())).toMatchObject({ ok: false, gone: true });
    expect(await isOwnLatestStep(vera, request.id, 'claim')).toBe(true);
  });
});
