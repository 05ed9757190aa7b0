import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { unseal } from '@/lib/mail/seal';
import { cancelRequest } from '@/lib/super-admin/cancel-request';
import { claimRequest } from '@/lib/super-admin/claim-request';
import { getRequestForCancel } from '@/lib/super-admin/get-request-for-cancel';
import { getRequestForVerifier } from '@/lib/super-admin/get-request-for-verifier';
import { getRequestStatus } from '@/lib/super-admin/get-request-status';
import { formatReference } from '@/lib/super-admin/reference';
import { rejectRequest } from '@/lib/super-admin/reject-request';
import { GATHERED_AT_EACH_END } from '@/lib/mail/templates/super-admin-request-notice';
import { statementsOf } from '@/test/support/statements-of';
import { agencyWithLoneSuperAdmin, cancelTokenIn, expectOk, formFor, ghost, mailsTo, someIp, submit, vendorActor } from './super-admin-fixtures';

// Whoever files first for a lone super admin (only her provider code and login name are needed) owns the
// request her own later filing joins as a repeat. Closing the stranger's request must not end hers.

type Target = { providerCode: string; loginName: string };

async function file(target: Target, fullName = 'Olive Ownerson'): Promise<string> {
  const result = await submit(formFor(target, { fullName }), someIp());
  if (!result.ok) throw new Error(`refused: ${result.message}`);
  return result.reference;
}

const requestsFor = (userId: string) => db().superAdminResetRequest.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } });

/** The canary notices mailed to `to`, oldest first, as read: which reference each names, and its cancel link. */
async function noticesTo(to: string) {
  return (await mailsTo(to, 'super-admin-request-notice')).map((mail) => ({
    names: /Reference: ([0-9A-Z]{5}-[0-9A-Z]{5})/.exec(unseal(mail.textBody))?.[1],
    /** The references a re-filed request's notice says it gathers; none for an ordinary one. */
    gathers: /\(references? ([^)]*)\)/.exec(unseal(mail.textBody))?.[1]?.split(', ') ?? [],
    cancelToken: cancelTokenIn(mail.textBody),
  }));
}

/** Every request holds exactly one first submission (under its own reference) and its repeats, counted. */
async function expectSubmissionsAccountedFor(requests: { id: string; reference: string; repeatCount: number }[]) {
  for (const request of requests) {
    const submissions = await db().superAdminRequestSubmission.findMany({ where: { requestId: request.id } });
    const firsts = submissions.filter((submission) => !submission.repeat);
    if (submissions.length > 0) expect(firsts.map((first) => first.reference)).toEqual([request.reference]);
    expect(submissions.length - firsts.length).toBe(request.repeatCount);
  }
}

describe('a repeat outlives the request it joined', () => {
  it('[SUPER_ADMIN alone] her “this wasn’t me” on a stranger’s request leaves her own later filing open, as a request of its own with its notice', async () => {
    const { agency, admin, others } = await agencyWithLoneSuperAdmin({ otherAdmins: 1 });
    const target = { providerCode: agency.code, loginName: admin.loginName };
    const strangers = await file(target, 'Mallory Stranger');
    const hers = await file(target);

    const [notice] = await noticesTo(admin.email!);
    expect(notice!.names).toBe(formatReference(strangers));
    expect(await cancelRequest(notice!.cancelToken, someIp())).toEqual({ ok: true, reference: strangers });

    const [cancelled, reopened, ...more] = await requestsFor(admin.id);
    expect(more).toEqual([]);
    expect(cancelled).toMatchObject({ reference: strangers, state: 'CANCELLED', openKey: null, repeatCount: 0, fullName: 'Mallory Stranger' });
    expect(reopened).toMatchObject({
      reference: hers,
      state: 'SUBMITTED',
      openKey: `user:${admin.id}`,
      fullName: 'Olive Ownerson',
      emailAtFiling: admin.email,
      repeatCount: 0,
      lastRepeatAt: null,
    });
    const submission = await db().superAdminRequestSubmission.findUniqueOrThrow({ where: { reference: hers } });
    expect(submission).toMatchObject({ requestId: reopened!.id, repeat: false });
    expect(reopened!.createdAt).toEqual(submission.createdAt);

    // The canary sings again, to her and to the agency's other admins, naming her own reference, with a link that cancels it.
    const [, renewed, ...beyond] = await noticesTo(admin.email!);
    expect(beyond).toEqual([]);
    expect(renewed!.names).toBe(formatReference(hers));
    expect(notice!.gathers).toEqual([]);
    expect(renewed!.gathers).toEqual([formatReference(hers)]);
    expect(await getRequestForCancel(renewed!.cancelToken)).toMatchObject({ reference: formatReference(hers) });
    expect((await noticesTo(others[0]!.email!)).map((sent) => sent.names)).toEqual([formatReference(strangers), formatReference(hers)]);

    expect(await getRequestStatus({ reference: hers, loginName: admin.loginName }, someIp())).toMatchObject({ ok: true, title: 'Received' });
    const submitted = await db().auditEvent.findMany({ where: { targetId: reopened!.id, action: 'SUPER_ADMIN_RESET_SUBMITTED' } });
    expect(submitted.map((event) => JSON.parse(event.details!))).toEqual([
      { reference: hers, matchesAdmin: true, noticesQueued: 2, refiledFrom: strangers, repeatsMoved: 0 },
    ]);
    const cancelAudit = await db().auditEvent.findFirstOrThrow({ where: { targetId: cancelled!.id, action: 'SUPER_ADMIN_RESET_CANCELLED' } });
    expect(JSON.parse(cancelAudit.details!)).toMatchObject({ refiledAs: hers });
  });

  it('[VERIFIER] rejecting a stranger’s request for its details leaves the owner’s later filing open, as a request of its own with its notice', async () => {
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    const target = { providerCode: agency.code, loginName: admin.loginName };
    const strangers = await file(target, 'Mallory Stranger');
    const hers = await file(target);
    const [first] = await requestsFor(admin.id);

    const vera = await vendorActor();
    await expectOk(claimRequest(vera, { requestId: first!.id, claimerSeen: '' }, someIp()));
    const rejected = await rejectRequest(vera, { requestId: first!.id, reason: 'The name given is not the administrator on record.' }, someIp());
    expect(rejected).toMatchObject({ ok: true, message: expect.stringContaining(`now request ${formatReference(hers)}`) });

    expect((await requestsFor(admin.id)).map((request) => [request.reference, request.state, request.openKey])).toEqual([
      [strangers, 'REJECTED', null],
      [hers, 'SUBMITTED', `user:${admin.id}`],
    ]);
    expect((await mailsTo(admin.email!, 'super-admin-rejected')).map((mail) => mail.textBody)).toEqual([expect.stringContaining(formatReference(strangers))]);
    expect((await noticesTo(admin.email!)).map((notice) => notice.names)).toEqual([formatReference(strangers), formatReference(hers)]);
    expect(await getRequestStatus({ reference: hers, loginName: admin.loginName }, someIp())).toMatchObject({ ok: true, title: 'Received' });
  });

  it('[SUPER_ADMIN alone] behind two filings of a stranger, the re-filed request’s notice names hers; cancelling it anyway ends them all', async () => {
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    const target = { providerCode: agency.code, loginName: admin.loginName };
    const strangers = await file(target, 'Mallory Stranger');
    const strangersAgain = await file(target, 'Mallory Stranger');
    const hers = await file(target);

    const [notice] = await noticesTo(admin.email!);
    await expectOk(cancelRequest(notice!.cancelToken, someIp()));
    let requests = await requestsFor(admin.id);
    expect(requests.map((request) => [request.reference, request.state, request.repeatCount, request.refiledFrom])).toEqual([
      [strangers, 'CANCELLED', 0, null],
      [strangersAgain, 'SUBMITTED', 1, strangers],
    ]);
    const hersSubmission = await db().superAdminRequestSubmission.findUniqueOrThrow({ where: { reference: hers } });
    expect(hersSubmission).toMatchObject({ requestId: requests[1]!.id, repeat: true });
    expect(requests[1]!.lastRepeatAt).toEqual(hersSubmission.createdAt);
    await expectSubmissionsAccountedFor(requests);
    const page = (await getRequestForVerifier(await vendorActor(), requests[1]!.id))!;
    expect(page.reference).toBe(formatReference(strangersAgain));
    expect(page.repeats.map((repeat) => repeat.reference)).toEqual([formatReference(hers)]);
    expect(page.history[0]!.note).toContain(formatReference(strangers));

    // Her reference is in the re-filed request's notice, beside the stranger's: she can tell not to cancel.
    const [, second, ...beyond] = await noticesTo(admin.email!);
    expect(beyond).toEqual([]);
    expect(second!.names).toBe(formatReference(strangersAgain));
    expect(second!.gathers).toEqual([strangersAgain, hers].map(formatReference));

    // Cancelled all the same, it is not re-filed again: her filing ends with it, and no one is mailed.
    await expectOk(cancelRequest(second!.cancelToken, someIp()));
    requests = await requestsFor(admin.id);
    expect(requests.map((request) => [request.reference, request.state, request.repeatCount, request.openKey])).toEqual([
      [strangers, 'CANCELLED', 0, null],
      [strangersAgain, 'CANCELLED', 1, null],
    ]);
    await expectSubmissionsAccountedFor(requests);
    expect((await noticesTo(admin.email!)).map((sent) => sent.names)).toEqual([strangers, strangersAgain].map(formatReference));
    const cancelAudit = await db().auditEvent.findFirstOrThrow({ where: { targetId: requests[1]!.id, action: 'SUPER_ADMIN_RESET_CANCELLED' } });
    expect(JSON.parse(cancelAudit.details!)).toMatchObject({ refiledAs: null });
  });

  it('[ANONYMOUS] ten repeats pre-filed by a stranger make one re-filed request and one more notice each, whatever is cancelled after', async () => {
    const { agency, admin, others } = await agencyWithLoneSuperAdmin({ otherAdmins: 1 });
    const target = { providerCode: agency.code, loginName: admin.loginName };
    await file(target, 'Mallory Stranger');
    const repeats: string[] = [];
    for (let i = 0; i < 10; i++) repeats.push(await file(target, 'Mallory Stranger'));

    const [first] = await noticesTo(admin.email!);
    await expectOk(cancelRequest(first!.cancelToken, someIp()));
    const [, refiled] = await noticesTo(admin.email!);
    expect(refiled!.gathers).toEqual(repeats.map(formatReference));
    expect(await cancelRequest(refiled!.cancelToken, someIp())).toEqual({ ok: true, reference: repeats[0] });
    // Any number of cancels more: every link is spent, nothing opens.
    for (const sent of [first, refiled, first]) expect((await cancelRequest(sent!.cancelToken, someIp())).ok).toBe(false);

    const requests = await requestsFor(admin.id);
    expect(requests.map((request) => [request.state, request.openKey, request.repeatCount])).toEqual([
      ['CANCELLED', null, 0],
      ['CANCELLED', null, 9],
    ]);
    expect(requests.filter((request) => request.refiledFrom !== null).map((request) => request.reference)).toEqual([repeats[0]]);
    await expectSubmissionsAccountedFor(requests);
    for (const to of [admin.email!, others[0]!.email!]) expect(await noticesTo(to)).toHaveLength(2);
  });

  it('[ANONYMOUS] thousands of repeats attached by a flood: the owner’s cancel still closes the request, re-filing reads a bounded few and names the earliest (review r31a F1)', async () => {
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    const target = { providerCode: agency.code, loginName: admin.loginName };
    await file(target, 'Mallory Stranger');
    const hers = await file(target);
    const [original] = await requestsFor(admin.id);
    // What weeks of filings from many addresses leave (inserted here: the form allows ten an hour per address).
    const FLOOD = 3_000;
    const hersRow = await db().superAdminRequestSubmission.findUniqueOrThrow({ where: { reference: hers } });
    const { createdAt } = hersRow;
    await db().superAdminRequestSubmission.createMany({
      data: Array.from({ length: FLOOD }, (_, i) => ({
        ...hersRow,
        id: undefined,
        reason: 'x'.repeat(2_000),
        reference: `FL${String(i).padStart(8, '0')}`,
        idempotencyKey: `flood-${i}`,
        createdAt: new Date(createdAt.getTime() + 1_000 + i),
      })),
    });
    await db().superAdminResetRequest.update({ where: { id: original!.id }, data: { repeatCount: { increment: FLOOD } } });

    const [notice] = await noticesTo(admin.email!);
    const { probe, sent } = await statementsOf(() => expectOk(cancelRequest(notice!.cancelToken, someIp())));
    await probe.$disconnect();
    // No statement reads the repeats whole: one row with what was typed, then the references named.
    const reads = sent.filter(({ sql }) => /^SELECT .*FROM .*SuperAdminRequestSubmission/.test(sql) && /reason/.test(sql));
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) {
      // Prisma sends LIMIT -1 for "no limit".
      expect(read.sql).toMatch(/LIMIT \S+ OFFSET \S+$/);
      expect(Number((JSON.parse(read.params) as unknown[]).at(-2))).toBe(1);
    }

    const [cancelled, refiled, ...more] = await requestsFor(admin.id);
    expect(more).toEqual([]);
    expect(cancelled).toMatchObject({ state: 'CANCELLED', repeatCount: 0 });
    expect(refiled).toMatchObject({ reference: hers, state: 'SUBMITTED', repeatCount: FLOOD, lastRepeatAt: new Date(createdAt.getTime() + 1_000 + FLOOD - 1) });
    await expectSubmissionsAccountedFor([cancelled!, refiled!]);
    const [, second] = await noticesTo(admin.email!);
    expect(second!.names).toBe(formatReference(hers));
    // Hers (the earliest) and the flood's first and last; as many between counted.
    const flooded = (i: number) => formatReference(`FL${String(i).padStart(8, '0')}`);
    const between = FLOOD + 1 - 2 * GATHERED_AT_EACH_END;
    expect(second!.gathers).toEqual([
      formatReference(hers),
      ...Array.from({ length: GATHERED_AT_EACH_END - 1 }, (_, i) => flooded(i)),
      `then ${between.toLocaleString('en-US')} more`,
      `then ${flooded(FLOOD - GATHERED_AT_EACH_END)}`,
      ...Array.from({ length: GATHERED_AT_EACH_END - 1 }, (_, i) => flooded(FLOOD - GATHERED_AT_EACH_END + 1 + i)),
    ]);
  });

  it('[VERIFIER] rejecting a re-filed request ends its repeats with it', async () => {
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    const target = { providerCode: agency.code, loginName: admin.loginName };
    await file(target, 'Mallory Stranger');
    const [refiledAs, ...moved] = [await file(target, 'Mallory Stranger'), await file(target), await file(target)];
    const [notice] = await noticesTo(admin.email!);
    await expectOk(cancelRequest(notice!.cancelToken, someIp()));
    const refiled = await db().superAdminResetRequest.findUniqueOrThrow({ where: { reference: refiledAs } });
    expect(refiled).toMatchObject({ state: 'SUBMITTED', repeatCount: moved.length });

    const vera = await vendorActor();
    await expectOk(claimRequest(vera, { requestId: refiled.id, claimerSeen: '' }, someIp()));
    expect(await rejectRequest(vera, { requestId: refiled.id, reason: 'The name given is not the administrator on record.' }, someIp())).toMatchObject({
      ok: true,
      message: 'Rejected. The reason is queued for e-mail to the address on record.',
    });
    const requests = await requestsFor(admin.id);
    expect(requests.map((request) => [request.reference, request.state, request.openKey])).toEqual([
      [expect.any(String), 'CANCELLED', null],
      [refiledAs, 'REJECTED', null],
    ]);
    await expectSubmissionsAccountedFor(requests);
    expect(await noticesTo(admin.email!)).toHaveLength(2);
  });

  it('[SUPER_ADMIN alone] a request with no repeats closes as before: no new request, no new notice', async () => {
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    const target = { providerCode: agency.code, loginName: admin.loginName };
    const only = await file(target);
    const [notice] = await noticesTo(admin.email!);
    expect(await cancelRequest(notice!.cancelToken, someIp())).toEqual({ ok: true, reference: only });
    expect((await requestsFor(admin.id)).map((request) => [request.reference, request.state, request.openKey])).toEqual([[only, 'CANCELLED', null]]);
    expect(await noticesTo(admin.email!)).toHaveLength(1);
    const cancelAudit = await db().auditEvent.findFirstOrThrow({ where: { action: 'SUPER_ADMIN_RESET_CANCELLED', details: { contains: only } } });
    expect(JSON.parse(cancelAudit.details!)).toMatchObject({ refiledAs: null });

    // Rejected, likewise.
    const again = await file(target);
    const [open] = (await requestsFor(admin.id)).filter((request) => request.reference === again);
    const vera = await vendorActor();
    await expectOk(claimRequest(vera, { requestId: open!.id, claimerSeen: '' }, someIp()));
    expect(await rejectRequest(vera, { requestId: open!.id, reason: 'Could not reach the agency.' }, someIp())).toMatchObject({
      ok: true,
      message: 'Rejected. The reason is queued for e-mail to the address on record.',
    });
    expect((await requestsFor(admin.id)).map((request) => request.state)).toEqual(['CANCELLED', 'REJECTED']);
  });

  it('[VERIFIER] rejecting a request that matched nothing re-files its repeats the same way, with no notice and no cancel link', async () => {
    const target = { providerCode: 'NO-SUCH-AGENCY', loginName: ghost('nobody') };
    const first = await file(target);
    const second = await file(target);
    const third = await file(target);
    const unmatched = await db().superAdminResetRequest.findUniqueOrThrow({ where: { reference: first } });
    expect(unmatched.repeatCount).toBe(2);
    const mailsBefore = await db().outboxMessage.count();

    const vera = await vendorActor();
    await expectOk(rejectRequest(vera, { requestId: unmatched.id, reason: 'Matches no administrator account.' }, someIp()));
    const reopened = await db().superAdminResetRequest.findUniqueOrThrow({ where: { reference: second } });
    expect(reopened).toMatchObject({ state: 'SUBMITTED', userId: null, openKey: unmatched.openKey, cancelTokenHash: null, repeatCount: 1 });
    expect((await db().superAdminRequestSubmission.findUniqueOrThrow({ where: { reference: third } })).requestId).toBe(reopened.id);
    expect(await db().outboxMessage.count()).toBe(mailsBefore);
    await expectSubmissionsAccountedFor([{ ...unmatched, repeatCount: 0 }, reopened]);
  });

  it('[ANONYMOUS] a cancel racing new filings leaves one open request for the account, and every submission on exactly one request', async () => {
    for (let round = 0; round < 3; round++) {
      const { agency, admin } = await agencyWithLoneSuperAdmin();
      const target = { providerCode: agency.code, loginName: admin.loginName };
      await file(target, 'Mallory Stranger');
      const hers = await file(target);
      const [notice] = await noticesTo(admin.email!);

      const [cancelled, ...filed] = await Promise.all([cancelRequest(notice!.cancelToken, someIp()), file(target), file(target)]);
      expect(cancelled.ok).toBe(true);
      const requests = await requestsFor(admin.id);
      const open = requests.filter((request) => request.openKey !== null);
      expect(open).toHaveLength(1);
      expect(open[0]).toMatchObject({ openKey: `user:${admin.id}`, state: 'SUBMITTED' });
      await expectSubmissionsAccountedFor(requests);
      // Her filing, and those that raced the cancel, are on the open request, whichever came first.
      const onOpen = await db().superAdminRequestSubmission.findMany({ where: { requestId: open[0]!.id }, select: { reference: true } });
      expect(onOpen.map((submission) => submission.reference).sort()).toEqual([hers, ...filed].sort());
      expect(await db().superAdminRequestSubmission.count({ where: { requestId: { in: requests.map((request) => request.id) } } })).toBe(4);
    }
  });

  it('[ANONYMOUS] a close that cannot re-file its repeats changes nothing: the request, its submissions and its records stay as they were', async () => {
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    const target = { providerCode: agency.code, loginName: admin.loginName };
    const strangers = await file(target, 'Mallory Stranger');
    const hers = await file(target);
    const [before] = await requestsFor(admin.id);
    // A request already holding her reference makes opening hers fail, halfway through the close.
    const blocker = await db().superAdminResetRequest.create({
      data: {
        reference: hers,
        providerCode: 'NO-SUCH-AGENCY',
        loginName: ghost('blocker'),
        fullName: 'Blocker',
        jobTitle: 'None',
        workEmail: 'blocker@elsewhere.example',
        workPhone: '+1 737 555 0100',
        reason: 'Holds the reference the re-filed request needs.',
        expiresAt: new Date(Date.now() + 3600_000),
      },
    });
    const auditsBefore = await db().auditEvent.count();
    const mailsBefore = await db().outboxMessage.count();

    const [notice] = await noticesTo(admin.email!);
    await expect(cancelRequest(notice!.cancelToken, someIp())).rejects.toThrow();
    expect(await requestsFor(admin.id)).toEqual([before]);
    expect(before).toMatchObject({ reference: strangers, state: 'SUBMITTED', openKey: `user:${admin.id}`, repeatCount: 1 });
    expect(await db().superAdminRequestSubmission.findUniqueOrThrow({ where: { reference: hers } })).toMatchObject({ requestId: before!.id, repeat: true });
    expect(await db().auditEvent.count()).toBe(auditsBefore);
    expect(await db().outboxMessage.count()).toBe(mailsBefore);
    await db().superAdminResetRequest.delete({ where: { id: blocker.id } });
  });
});
