import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { alertQueueHealth, QUEUE_ALERT_EVERY_MS } from '@/lib/super-admin/alert-queue-health';
import { getQueueHealth, QUEUE_ALERT_DEPTH, QUEUE_ALERT_OLDEST_MS } from '@/lib/super-admin/get-queue-health';
import { getRequestForVerifier } from '@/lib/super-admin/get-request-for-verifier';
import { getRequestStatus } from '@/lib/super-admin/get-request-status';
import { listQueue } from '@/lib/super-admin/list-queue';
import { claimRequest } from '@/lib/super-admin/claim-request';
import { parseReference } from '@/lib/super-admin/reference';
import { rejectRequest } from '@/lib/super-admin/reject-request';
import { HISTORY_LABEL } from '@/lib/super-admin/state-words';
import { submitRequest } from '@/lib/super-admin/submit-request';
import { FORM_EXPIRED, newIdempotencyKey } from '@/lib/super-admin/submit-request';
import { createVendorAccount } from '@/prisma/factories';
import { statementsOf } from '@/test/support/statements-of';
import { withFreshDatabase } from '../support/fresh-database';
import { agencyWithLoneSuperAdmin, expectOk, formFor, PASSWORD, someIp, submit, vendorActor } from './super-admin-fixtures';

const references = (results: Awaited<ReturnType<typeof submit>>[]) =>
  results.map((result) => {
    if (!result.ok) throw new Error(`refused: ${result.message}`);
    return result.reference;
  });

async function requestsFor(userId: string) {
  return db().superAdminResetRequest.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } });
}

async function noticesFor(emails: string[]) {
  return db().outboxMessage.count({ where: { template: 'super-admin-request-notice', toAddress: { in: emails } } });
}

describe('one open request per account', () => {
  it('[VERIFIER] a request filed after “this wasn’t me” answers shows the verifier those earlier requests, the cancelled ones counted', async () => {
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    const target = { providerCode: agency.code, loginName: admin.loginName };
    const closeAs = async (state: 'CANCELLED' | 'REJECTED') =>
      db().superAdminResetRequest.updateMany({ where: { userId: admin.id, openKey: { not: null } }, data: { state, openKey: null } });
    for (const state of ['CANCELLED', 'REJECTED', 'CANCELLED'] as const) {
      references([await submit(formFor(target), someIp())]);
      await closeAs(state);
    }
    const [latest] = references([await submit(formFor(target), someIp())]);
    const open = (await requestsFor(admin.id)).find((request) => request.reference === latest)!;
    const page = (await getRequestForVerifier(await vendorActor(), open.id))!;
    expect(page.earlierRequests.map((other) => [other.state, other.cancelledOnRecord])).toEqual([
      ['Cancelled (“this wasn’t me”)', true],
      ['Rejected', false],
      ['Cancelled (“this wasn’t me”)', true],
    ]);
    // Another account's requests are not its history.
    const stranger = await agencyWithLoneSuperAdmin();
    const [theirs] = references([await submit(formFor({ providerCode: stranger.agency.code, loginName: stranger.admin.loginName }), someIp())]);
    const theirRequest = (await requestsFor(stranger.admin.id)).find((request) => request.reference === theirs)!;
    expect((await getRequestForVerifier(await vendorActor(), theirRequest.id))!.earlierRequests).toEqual([]);
  });

  it('[ANONYMOUS] sending the form five times for one admin opens one request and one notice round; the repeats are kept for the verifiers', async () => {
    const { agency, admin, others } = await agencyWithLoneSuperAdmin({ otherAdmins: 2 });
    const results = [];
    for (let i = 0; i < 5; i++) {
      // Other layouts of the same account, from other addresses, with what an impostor might type.
      const target = { providerCode: i % 2 ? agency.code.toLowerCase() : ` ${agency.code} `, loginName: i % 2 ? admin.loginName.toUpperCase() : admin.loginName };
      results.push(await submit(formFor(target, { fullName: `Typed Name ${i}`, workEmail: `typed${i}@elsewhere.example` }), someIp()));
    }
    const answers = references(results);
    // The same kind of answer every time, each with a reference of its own: a repeat never learns the open request's reference.
    expect(results.every((result) => Object.keys(result).sort().join() === 'ok,reference')).toBe(true);
    expect(new Set(answers).size).toBe(5);

    const [request, ...more] = await requestsFor(admin.id);
    expect(more).toEqual([]);
    expect(request).toMatchObject({ reference: answers[0], state: 'SUBMITTED', repeatCount: 4, openKey: `user:${admin.id}` });
    expect(await noticesFor([admin.email!, ...others.map((o) => o.email!)])).toBe(3);
    expect(await db().auditEvent.count({ where: { targetId: request!.id, action: 'SUPER_ADMIN_RESET_REPEATED' } })).toBe(4);

    const vera = await vendorActor();

    const { probe, sent } = await statementsOf(() => getRequestForVerifier(vera, request!.id));
    await probe.$disconnect();
    const page = await getRequestForVerifier(vera, request!.id);
    expect(page!.repeats.map((r) => [r.fullName, r.workEmail])).toEqual([1, 2, 3, 4].map((i) => [`Typed Name ${i}`, `typed${i}@elsewhere.example`]));
    // One line for the filing, none per repeat, and every read of the request's records bounded: a
    // stranger's thousands of repeats once ran the instance out of memory here (review r31e F1).
    expect(page!.history.map((line) => line.what)).toEqual([HISTORY_LABEL.SUPER_ADMIN_RESET_SUBMITTED]);
    const reads = sent.filter(({ sql }) => /FROM .*AuditEvent/.test(sql));
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) expect(Number((JSON.parse(read.params) as unknown[]).at(-2))).toBeGreaterThan(0);
    for (const reference of answers) {
      expect((await listQueue(vera, { q: reference })).map((row) => [row.id, row.repeatCount])).toEqual([[request!.id, 4]]);
    }
    // Every reference the requester was given leads to the one request's state.
    for (const reference of answers) {
      expect(await getRequestStatus({ reference, loginName: admin.loginName }, someIp())).toMatchObject({ ok: true, title: 'Received' });
    }
  });

  it('[ANONYMOUS] five submissions at the same moment for one admin still give exactly one open request and one notice round', async () => {
    const { agency, admin, others } = await agencyWithLoneSuperAdmin({ otherAdmins: 1 });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => submit(formFor({ providerCode: agency.code, loginName: admin.loginName }), someIp())),
    );
    expect(new Set(references(results)).size).toBe(5);
    const requests = await requestsFor(admin.id);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.repeatCount).toBe(4);
    expect(await db().superAdminRequestSubmission.count({ where: { requestId: requests[0]!.id } })).toBe(5);
    expect(await noticesFor([admin.email!, others[0]!.email!])).toBe(2);
  });

  it('[ANONYMOUS] repeats of a request that matched nothing attach to it by the normalized provider code and login name', async () => {
    const results = await Promise.all([
      submit(formFor({ providerCode: 'NO-SUCH-AGENCY', loginName: 'ghost.repeat' }), someIp()),
      submit(formFor({ providerCode: 'no-such-agency ', loginName: 'GHOST.REPEAT' }), someIp()),
      submit(formFor({ providerCode: 'ＮＯ-SUCH-AGENCY', loginName: 'ghost.repeat' }), someIp()),
    ]);
    const [first] = references(results);
    const submissions = await db().superAdminRequestSubmission.findMany({ where: { reference: { in: references(results) } }, select: { requestId: true } });
    expect(new Set(submissions.map((s) => s.requestId)).size).toBe(1);
    const request = await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: submissions[0]!.requestId } });
    expect(request).toMatchObject({ userId: null, repeatCount: 2, openKey: 'typed:no-such-agency/ghost.repeat' });
    expect(results.map((r) => Object.keys(r).sort().join())).toEqual(['ok,reference', 'ok,reference', 'ok,reference']);
    expect(first).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
  });

  it('[ANONYMOUS] once the open request is closed, the next submission opens a new one and notifies again', async () => {
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    const target = { providerCode: agency.code, loginName: admin.loginName };
    const [firstReference] = references([await submit(formFor(target), someIp())]);
    const first = await db().superAdminResetRequest.findUniqueOrThrow({ where: { reference: firstReference } });
    const vera = await vendorActor();
    await expectOk(claimRequest(vera, { requestId: first.id, claimerSeen: '' }, someIp()));
    await expectOk(rejectRequest(vera, { requestId: first.id, reason: 'The agency did not confirm it.' }, someIp()));
    expect((await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: first.id } })).openKey).toBeNull();

    expect((await submit(formFor(target), someIp())).ok).toBe(true);
    const requests = await requestsFor(admin.id);
    expect(requests.map((r) => r.state)).toEqual(['REJECTED', 'SUBMITTED']);
    expect(await noticesFor([admin.email!])).toBe(2);
  });
});

describe('what a repeat’s requester can look up', () => {
  it('[ANONYMOUS] a repeat reads as a first filing would: the earlier request’s expiry does not close it, for a real account or a made-up one', async () => {
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    const DAY = 24 * 3600_000;
    for (const target of [
      { providerCode: agency.code, loginName: admin.loginName },
      { providerCode: 'NO-SUCH-AGENCY', loginName: `ghost.${Date.now()}` },
    ]) {
      const look = async (reference: string) => ((await getRequestStatus({ reference, loginName: target.loginName }, someIp())) as { title?: string }).title;
      // Someone filed nearly seven days ago; a stranger files now, and the two are one request.
      const [earlier] = references([await submit(formFor(target), someIp())]);
      const request = await db().superAdminResetRequest.findUniqueOrThrow({ where: { reference: earlier } });
      await db().superAdminResetRequest.update({ where: { id: request.id }, data: { createdAt: new Date(Date.now() - 7 * DAY + 60_000), expiresAt: new Date(Date.now() + 60_000) } });
      const [repeat] = references([await submit(formFor(target), someIp())]);
      expect((await db().superAdminRequestSubmission.findUniqueOrThrow({ where: { reference: repeat } })).requestId).toBe(request.id);
      expect([await look(earlier!), await look(repeat!)]).toEqual(['Received', 'Received']);

      // The earlier filing's week is over (and the expiry round has marked it): the repeat still reads as
      // open, as any request filed now does, until its own week is over.
      await db().superAdminResetRequest.update({ where: { id: request.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
      expect([await look(earlier!), await look(repeat!)]).toEqual(['Closed', 'Received']);
      expect((await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).state).toBe('EXPIRED');
      await db().superAdminRequestSubmission.update({ where: { reference: repeat }, data: { createdAt: new Date(Date.now() - 7 * DAY - 1_000) } });
      expect(await look(repeat!)).toBe('Closed');
    }
  });
});

describe('the form’s idempotency key', () => {
  it('[ANONYMOUS] sending one rendering of the form twice (a retry, a double click) files once and gives the same reference, in parallel too', async () => {
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    const form = formFor({ providerCode: agency.code, loginName: admin.loginName });
    const ip = someIp();
    const results = await Promise.all([submit(form, ip), submit(form, ip), submit(form, ip)]);
    const retried = await submit(form, someIp());
    expect(new Set(references([...results, retried])).size).toBe(1);
    const [request] = await requestsFor(admin.id);
    expect(request!.repeatCount).toBe(0);
    expect(await db().superAdminRequestSubmission.count({ where: { requestId: request!.id } })).toBe(1);
    expect(await noticesFor([admin.email!])).toBe(1);
  });

  it('[ANONYMOUS] a form sent again is answered at once, for a real account and a made-up one alike: it holds no place in the app', async () => {
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    for (const target of [{ providerCode: agency.code, loginName: admin.loginName }, { providerCode: 'NO-SUCH-AGENCY', loginName: 'ghost.again' }]) {
      const form = formFor(target);
      const first = await submit(form, someIp());
      const began = performance.now();
      const again = await submitRequest(form, someIp(), { answerFloorMs: 60_000 });
      expect(performance.now() - began).toBeLessThan(30_000);
      expect(references([again])).toEqual(references([first]));
    }
  });

  it('[ANONYMOUS] the same key naming another account is another submission, not the first one’s answer', async () => {
    const key = newIdempotencyKey();
    const a = await submit(formFor({ providerCode: 'NO-SUCH-AGENCY', loginName: 'key.one' }, { idempotencyKey: key }), someIp());
    const b = await submit(formFor({ providerCode: 'NO-SUCH-AGENCY', loginName: 'key.two' }, { idempotencyKey: key }), someIp());
    expect(new Set(references([a, b])).size).toBe(2);
  });

  it('[ANONYMOUS] a submission without a well-formed key (no browser sends one) files nothing and asks to reload', async () => {
    const before = await db().superAdminResetRequest.count();
    for (const idempotencyKey of [undefined, '', 'short', 'x'.repeat(65), 'has spaces in it and is long enough']) {
      const result = await submit(formFor({ providerCode: 'NO-SUCH-AGENCY', loginName: 'no.key' }, { idempotencyKey }), someIp());
      expect(result).toEqual({ ok: false, message: FORM_EXPIRED, fieldErrors: {} });
    }
    expect(await db().superAdminResetRequest.count()).toBe(before);
  });
});

describe('telling operators about the queue', () => {
  it('[OPERATOR] is mailed once when the oldest request passes the threshold, however many rounds run at once, and not again within the interval', async () => {
    await db().superAdminQueueAlert.deleteMany();
    const operator = await vendorActor('OPERATOR');
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    const [reference] = references([await submit(formFor({ providerCode: agency.code, loginName: admin.loginName }), someIp())]);
    await db().superAdminResetRequest.update({
      where: { reference: parseReference(reference!)! },
      data: { createdAt: new Date(Date.now() - QUEUE_ALERT_OLDEST_MS - 3600_000) },
    });
    const health = await getQueueHealth(db());
    expect(health.reasons.some((reason) => reason.startsWith('The oldest has waited'))).toBe(true);

    const queued = await Promise.all([alertQueueHealth(db()), alertQueueHealth(db()), alertQueueHealth(db())]);
    const operators = await db().vendorAccount.count({ where: { role: 'OPERATOR', active: true } });
    expect(queued.sort()).toEqual([0, 0, operators]);
    const mails = await db().outboxMessage.findMany({ where: { template: 'super-admin-queue-alert', toAddress: operator.email } });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toMatch(/^Verification queue needs attention: \d+ waiting, oldest \d+ d/);

    expect(await alertQueueHealth(db())).toBe(0);
    expect(await alertQueueHealth(db(), new Date(Date.now() + QUEUE_ALERT_EVERY_MS + 60_000))).toBe(operators);
  });

  it('[OPERATOR] is not mailed while the queue is under both thresholds, and is once it holds 20', async () => {
    // A database of its own: the shared one holds every other test's open requests.
    await withFreshDatabase(async (database) => {
      const operator = await createVendorAccount(database, 'OPERATOR', PASSWORD);
      const waiting = (n: number, from: number) =>
        database.superAdminResetRequest.createMany({
          data: Array.from({ length: n }, (_, i) => ({
            reference: `Q${String(from + i).padStart(9, '0')}`,
            ...formFor({ providerCode: 'NO-SUCH-AGENCY', loginName: `queue.${from + i}` }),
            idempotencyKey: undefined,
            attestation: undefined,
            createdAt: new Date(Date.now() - 3600_000),
            expiresAt: new Date(Date.now() + 6 * 24 * 3600_000),
          })),
        });
      await waiting(QUEUE_ALERT_DEPTH - 1, 0);
      expect(await getQueueHealth(database)).toMatchObject({ depth: QUEUE_ALERT_DEPTH - 1, reasons: [] });
      expect(await alertQueueHealth(database)).toBe(0);

      await waiting(1, QUEUE_ALERT_DEPTH);
      expect(await alertQueueHealth(database)).toBe(1);
      const [mail] = await database.outboxMessage.findMany({ where: { template: 'super-admin-queue-alert' } });
      expect(mail).toMatchObject({ toAddress: operator.email, subject: `Verification queue needs attention: ${QUEUE_ALERT_DEPTH} waiting, oldest 1 h 0 min` });
    });
  });
});
