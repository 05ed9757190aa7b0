import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { isSealed } from '@/lib/mail/seal';
import { hashSecretToken } from '@/lib/password-reset/secret-token';
import { RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import { cancelRequest } from '@/lib/super-admin/cancel-request';
import { getRequestForCancel } from '@/lib/super-admin/get-request-for-cancel';
import { getRequestStatus, NO_SUCH_REQUEST } from '@/lib/super-admin/get-request-status';
import { formatReference } from '@/lib/super-admin/reference';
import { rejectRequest } from '@/lib/super-admin/reject-request';
import { ANSWER_FLOOR_MS, submitRequest } from '@/lib/super-admin/submit-request';
import { createUser } from '@/prisma/factories';
import { statementsOf } from '@/test/support/statements-of';
import {
  agencyWithLoneSuperAdmin,
  approvedRequest,
  cancelTokenIn,
  fileRequest,
  formFor,
  ghost,
  mailsTo,
  PASSWORD,
  someIp,
  submit,
  vendorActor,
} from './super-admin-fixtures';

describe('the public super-admin reset form', () => {
  it('[ANONYMOUS] can file a request for a real admin: stored as matching, noticed to the addresses on record only', async () => {
    const { agency, admin, others } = await agencyWithLoneSuperAdmin({ otherAdmins: 2 });
    const typed = formFor({ providerCode: agency.code.toLowerCase(), loginName: admin.loginName.toUpperCase() });
    const result = await submit(typed, someIp());
    expect(result).toEqual({ ok: true, reference: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{10}$/) });

    const request = await db().superAdminResetRequest.findUniqueOrThrow({ where: { reference: result.ok ? result.reference : '' } });
    expect(request).toMatchObject({ state: 'SUBMITTED', agencyId: agency.id, userId: admin.id, workEmail: typed.workEmail });
    expect(request.expiresAt.getTime() - request.createdAt.getTime()).toBe(7 * 24 * 3600_000);
    expect(request.cancelTokenHash).toMatch(/^[0-9a-f]{64}$/);

    const notices = await db().outboxMessage.findMany({ where: { template: 'super-admin-request-notice', toAddress: { in: [admin.email!, ...others.map((o) => o.email!)] } } });
    expect(notices.map((n) => n.toAddress).sort()).toEqual([admin.email!, ...others.map((o) => o.email!)].sort());
    expect(await mailsTo(typed.workEmail)).toEqual([]);
    for (const notice of notices) {
      expect(notice.sensitive).toBe(true);
      expect(isSealed(notice.textBody) && isSealed(notice.htmlBody)).toBe(true);
      // Nothing the requester typed is put in front of the agency's admins.
      expect(notice.subject).not.toContain(typed.reason);
    }

    const audit = await db().auditEvent.findFirstOrThrow({ where: { targetId: request.id, action: 'SUPER_ADMIN_RESET_SUBMITTED' } });
    expect(JSON.parse(audit.details!)).toEqual({ reference: request.reference, matchesAdmin: true, noticesQueued: 3 });
  });

  it('[ANONYMOUS] naming each admin of an agency in turn tells the other admins ten times an hour, each named admin every time (r26b F2)', async () => {
    const { agency, admin, others } = await agencyWithLoneSuperAdmin({ otherAdmins: 11 });
    const admins = [admin, ...others];
    // Each from an address of its own: only the agency's budget applies.
    for (const named of admins) expect((await submit(formFor({ providerCode: agency.code, loginName: named.loginName }), someIp())).ok).toBe(true);
    const notices = await db().outboxMessage.findMany({ where: { template: 'super-admin-request-notice', toAddress: { in: admins.map((a) => a.email!) } } });
    // Twelve requests: each named admin is told of theirs; the eleven others of only the first ten.
    expect(notices).toHaveLength(12 + 10 * 11);
    for (const each of admins) expect(notices.filter((notice) => notice.toAddress === each.email).length).toBeLessThanOrEqual(11);
    const last = admins.at(-1)!;
    const lastRequest = await db().superAdminResetRequest.findFirstOrThrow({ where: { userId: last.id } });
    expect(await db().outboxMessage.count({ where: { template: 'super-admin-request-notice', toAddress: last.email!, createdAt: { gte: lastRequest.createdAt } } })).toBe(1);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { targetId: lastRequest.id, action: 'SUPER_ADMIN_RESET_SUBMITTED' } });
    expect(JSON.parse(audit.details!)).toMatchObject({ noticesQueued: 1, otherAdminsNotMailed: 'agency limit' });
  });

  it('[ANONYMOUS] naming an agency’s admins day after day tells the other admins at most 20 times a day, not 10 every hour for ever; the named admin always (review r44b F1)', async () => {
    const { agency, admin, others } = await agencyWithLoneSuperAdmin({ otherAdmins: 1 });
    // The day's budget spent, hour after hour (the hour's window is new).
    const { name, limit } = RATE_LIMITS.superAdminNoticesToOthersPerAgencyDay;
    await db().rateLimitBucket.create({ data: { key: `${name}:${agency.id}`, windowStart: new Date(Date.now() - 3_600_000), count: limit } });
    expect((await submit(formFor({ providerCode: agency.code, loginName: admin.loginName }), someIp())).ok).toBe(true);
    expect(await db().outboxMessage.count({ where: { template: 'super-admin-request-notice', toAddress: admin.email! } })).toBe(1);
    expect(await db().outboxMessage.count({ where: { template: 'super-admin-request-notice', toAddress: others[0]!.email! } })).toBe(0);
    const request = await db().superAdminResetRequest.findFirstOrThrow({ where: { userId: admin.id } });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { targetId: request.id, action: 'SUPER_ADMIN_RESET_SUBMITTED' } });
    expect(JSON.parse(audit.details!)).toMatchObject({ noticesQueued: 1, otherAdminsNotMailed: 'agency limit' });
  });

  it('[ANONYMOUS] gets the same answer for a request that matches no administrator; it is kept, marked unmatched, and mails no one', async () => {
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    const staff = await createUser(db(), agency.id, PASSWORD, { role: 'STAFF', email: 'staff@lonestar.example' });
    const disabled = await createUser(db(), agency.id, PASSWORD, { role: 'SUPER_ADMIN', status: 'DISABLED', email: 'gone@lonestar.example' });
    const outboxBefore = await db().outboxMessage.count();
    for (const target of [
      { providerCode: 'NO-SUCH-AGENCY', loginName: admin.loginName },
      { providerCode: agency.code, loginName: 'nobody.by.that.name' },
      { providerCode: agency.code, loginName: staff.loginName },
      { providerCode: agency.code, loginName: disabled.loginName },
    ]) {
      const result = await submit(formFor(target), someIp());
      expect(Object.keys(result).sort()).toEqual(['ok', 'reference']);
      const request = await db().superAdminResetRequest.findUniqueOrThrow({ where: { reference: result.ok ? result.reference : '' } });
      expect(request.userId).toBeNull();
      expect(request.cancelTokenHash).toBeNull();
      expect(request.state).toBe('SUBMITTED');
    }
    expect(await db().outboxMessage.count()).toBe(outboxBefore);
  });

  it('[ANONYMOUS] never gets an answer sooner than the floor, whether or not the details match, new or repeat', async () => {
    const { agency, admin } = await agencyWithLoneSuperAdmin({ otherAdmins: 1 });
    for (const target of [
      { providerCode: agency.code, loginName: admin.loginName },
      { providerCode: agency.code, loginName: 'nobody.at.all' },
      { providerCode: agency.code, loginName: admin.loginName },
      { providerCode: agency.code, loginName: 'nobody.at.all' },
    ]) {
      const started = performance.now();
      expect((await submitRequest(formFor(target), someIp())).ok).toBe(true);
      // A lower bound only (timers may fire a millisecond early): it cannot flake on a slow machine.
      expect(performance.now() - started).toBeGreaterThanOrEqual(ANSWER_FLOOR_MS - 5);
    }
  });

  it('refuses incomplete input with a message per field, and stores nothing', async () => {
    const before = await db().superAdminResetRequest.count();
    const result = await submit({}, someIp());
    expect(result.ok).toBe(false);
    const fieldErrors = result.ok ? {} : result.fieldErrors!;
    expect(Object.keys(fieldErrors).sort()).toEqual(
      ['attestation', 'fullName', 'jobTitle', 'loginName', 'providerCode', 'reason', 'workEmail', 'workPhone'].sort(),
    );
    for (const messages of Object.values(fieldErrors)) expect(messages).toHaveLength(1);
    expect(fieldErrors.providerCode).toEqual(['Enter your provider code, for example ACME-NY']);
    expect(fieldErrors.workPhone).toEqual(['Enter your work phone number, for example +1 512 555 0100']);
    expect(fieldErrors.attestation).toEqual(['Confirm that you are the administrator named in this request']);
    expect(await db().superAdminResetRequest.count()).toBe(before);
  });

  it.each([
    ['workEmail', 'not an address', 'Enter an e-mail address in the correct format, like name@example.com'],
    ['workPhone', 'call me maybe', 'Enter a phone number with 7 to 15 digits, like +1 512 555 0100'],
    ['fullName', 'Olive\u202eOwnerson', 'Full name contains a hidden character. Type it in rather than pasting it'],
    ['reason', 'short', 'Reason must be at least 10 characters'],
    ['fullName', 'Oli\u0351\u0360\u034c\u0357\u0350\u035b\u0346\u0351ve Owens', 'Full name has a letter with more accents or marks on it than any language uses. Type it in rather than pasting it'],
    ['reason', `Locked out ${'\u0489'.repeat(40)} since Monday`, 'Reason has a letter with more accents or marks on it than any language uses. Type it in rather than pasting it'],
  ])('refuses a bad %s with a clear message', async (field, value, message) => {
    const result = await submit(formFor({ providerCode: 'ANY', loginName: 'any' }, { [field]: value }), someIp());
    expect(result.ok ? [] : result.fieldErrors?.[field]).toEqual([message]);
  });

  it('accepts phone numbers as people write them', async () => {
    for (const workPhone of ['+1 (512) 555-0100', '512.555.0100 ext 12', '+44 20 7946 0958']) {
      const result = await submit(formFor({ providerCode: 'ANY', loginName: `any.${workPhone.length}` }, { workPhone }), someIp());
      expect(result.ok).toBe(true);
    }
  });

  it('[ANONYMOUS] is throttled per client address, whatever account is named', async () => {
    const ip = someIp();
    for (let i = 0; i < 10; i++) {
      expect((await submit(formFor({ providerCode: 'ANY', loginName: `spray.${i}` }), ip)).ok).toBe(true);
    }
    const refused = await submit(formFor({ providerCode: 'ANY', loginName: 'spray.last' }), ip);
    expect(refused).toEqual({ ok: false, message: expect.stringMatching(/^Too many requests/) });
    expect(await db().auditEvent.count({ where: { action: 'SUPER_ADMIN_RESET_THROTTLED', ip } })).toBe(1);
    // Said at once, whatever the floor: it depends on no account.
    const began = performance.now();
    expect((await submitRequest(formFor({ providerCode: 'ANY', loginName: 'spray.again' }), ip, { answerFloorMs: 60_000 })).ok).toBe(false);
    expect(performance.now() - began).toBeLessThan(30_000);
  });

  it('[ANONYMOUS] copies of one form sent at once count once on the address’s limit (review r28b F2)', async () => {
    const ip = someIp();
    const form = formFor({ providerCode: 'ANY', loginName: 'sent.eight.times' });
    const answers = await Promise.all(Array.from({ length: 8 }, () => submit(form, ip)));
    expect(new Set(answers.map((answer) => (answer.ok ? answer.reference : answer.message))).size).toBe(1);
    expect(answers[0]!.ok).toBe(true);
    // Ten an hour from one address: nine more, then it is throttled.
    for (let i = 0; i < 9; i++) expect((await submit(formFor({ providerCode: 'ANY', loginName: `more.${i}` }), ip)).ok).toBe(true);
    expect(await submit(formFor({ providerCode: 'ANY', loginName: 'more.last' }), ip)).toEqual({ ok: false, message: expect.stringMatching(/^Too many requests/) });
  });

  it('[SUPER_ADMIN alone] every request opened for her account warns her, however many she cancelled before: a stranger cannot silence the canary', async () => {
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    const notices = () => db().outboxMessage.count({ where: { template: 'super-admin-request-notice', toAddress: admin.email! } });
    for (let i = 1; i <= 7; i++) {
      const filed = await submit(formFor({ providerCode: agency.code, loginName: admin.loginName }), someIp());
      if (!filed.ok) throw new Error(filed.message);
      expect(await notices()).toBe(i);
      // She answers "this wasn't me"; the stranger files again.
      await db().superAdminResetRequest.updateMany({ where: { userId: admin.id, openKey: { not: null } }, data: { state: 'CANCELLED', openKey: null } });
    }
    const filed = await db().auditEvent.findMany({ where: { agencyId: agency.id, action: 'SUPER_ADMIN_RESET_SUBMITTED' } });
    expect(filed.map((event) => JSON.parse(event.details!).noticesQueued)).toEqual(Array(7).fill(1));
    // A name that matches no account mails no one, however often it is filed.
    for (let i = 0; i < 3; i++) expect((await submit(formFor({ providerCode: agency.code, loginName: 'no.such.person' }), someIp())).ok).toBe(true);
    expect(await db().outboxMessage.count({ where: { template: 'super-admin-request-notice', createdAt: { gte: filed[0]!.createdAt } } })).toBe(7);
  });

  it('[SUPER_ADMIN alone] strangers who open and have closed request after request ("this wasn’t me") never keep her own request from being filed', async () => {
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    const target = { providerCode: agency.code, loginName: admin.loginName };
    for (let i = 0; i < 8; i++) {
      const filed = await submit(formFor(target, { fullName: `Stranger ${i}` }), someIp());
      if (!filed.ok) throw new Error(filed.message);
      await db().superAdminResetRequest.updateMany({ where: { userId: admin.id, openKey: { not: null } }, data: { state: 'CANCELLED', openKey: null } });
    }
    const hers = await submit(formFor(target, { fullName: 'The Real Admin' }), someIp());
    expect(hers.ok).toBe(true);
    expect(await db().superAdminResetRequest.findFirst({ where: { userId: admin.id, openKey: { not: null } } })).toMatchObject({ state: 'SUBMITTED', fullName: 'The Real Admin' });
  });

  it('[ANONYMOUS] a burst of parallel submissions opens one request and mails one notice; a burst after it closed opens one more', async () => {
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    const target = { providerCode: agency.code, loginName: admin.loginName };
    const notices = () => db().outboxMessage.count({ where: { template: 'super-admin-request-notice', toAddress: admin.email! } });
    for (const round of [1, 2]) {
      const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => submit(formFor(target, { fullName: `Burst ${i}` }), someIp())));
      expect(burst.map((result) => result.ok)).toEqual(Array(8).fill(true));
      const open = await db().superAdminResetRequest.findMany({ where: { userId: admin.id, openKey: { not: null } } });
      expect(open).toHaveLength(1);
      expect(await notices()).toBe(round);
      expect(await db().auditEvent.count({ where: { agencyId: agency.id, action: 'SUPER_ADMIN_RESET_REPEATED' } })).toBe(7 * round);
      await db().superAdminResetRequest.update({ where: { id: open[0]!.id }, data: { state: 'CANCELLED', openKey: null } });
    }
  });

  it('[SUPER_ADMIN] strangers naming the lone super admin from many addresses never use up the form for her', async () => {
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    const target = { providerCode: agency.code, loginName: admin.loginName };
    for (let i = 0; i < 12; i++) expect((await submit(formFor(target, { fullName: `Stranger ${i}` }), someIp())).ok).toBe(true);
    const hers = await submit(formFor(target, { fullName: 'The Real Admin' }), someIp());
    expect(hers.ok).toBe(true);
    // Hers is kept on the one open request, for the verifiers, who mail the link to the address on record.
    const [request, ...more] = await db().superAdminResetRequest.findMany({ where: { userId: admin.id } });
    expect(more).toEqual([]);
    expect(request).toMatchObject({ state: 'SUBMITTED', repeatCount: 12 });
    expect(await db().superAdminRequestSubmission.count({ where: { requestId: request!.id, fullName: 'The Real Admin' } })).toBe(1);
  });
});

describe('looking up a request’s state', () => {
  it('[ANONYMOUS] learns the state in plain words with the reference and login name, in any case or layout', async () => {
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    const request = await fileRequest({ providerCode: agency.code, loginName: admin.loginName });
    const typedReference = formatReference(request.reference).toLowerCase().replace('-', ' ');
    const result = await getRequestStatus({ reference: typedReference, loginName: admin.loginName.toUpperCase() }, someIp());
    expect(result).toMatchObject({ ok: true, title: 'Received', detail: expect.stringMatching(/^Your request was received\./) });
  });

  it('[ANONYMOUS who filed, or filed again, for a real admin] learns only open or closed: never the steps a request that matches nobody could not reach', async () => {
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    const opened = await fileRequest({ providerCode: agency.code, loginName: admin.loginName });
    const again = await submit(formFor({ providerCode: agency.code, loginName: admin.loginName }), someIp());
    if (!again.ok) throw new Error(again.message);
    const ghostName = ghost('ghost');
    const unmatched = await fileRequest({ providerCode: 'NOT-AN-AGENCY', loginName: ghostName });
    const lookups = () =>
      Promise.all([
        getRequestStatus({ reference: opened.reference, loginName: admin.loginName }, someIp()),
        getRequestStatus({ reference: again.reference, loginName: admin.loginName }, someIp()),
      ]);
    const untouched = await getRequestStatus({ reference: unmatched.reference, loginName: ghostName }, someIp());
    // Ends only the owner can bring (a new password, "this wasn't me" from the notice) included, and a
    // rejection: a request for nobody is rejected at the verifiers' first look, one for a real admin
    // waits on call-backs, so an early "closed" would tell which is which.
    for (const state of ['IN_REVIEW', 'NEEDS_INFO', 'VERIFIED', 'APPROVED', 'COMPLETED', 'CANCELLED', 'REJECTED'] as const) {
      await db().superAdminResetRequest.update({ where: { id: opened.id }, data: { state } });
      expect(await lookups(), state).toEqual([untouched, untouched]);
    }
  });

  it('[ANONYMOUS who filed for nobody] cannot tell from the lookup that verifiers rejected the request at once', async () => {
    const ghostName = ghost('ghost');
    const unmatched = await fileRequest({ providerCode: 'NOT-AN-AGENCY', loginName: ghostName });
    const before = await getRequestStatus({ reference: unmatched.reference, loginName: ghostName }, someIp());
    expect(await rejectRequest(await vendorActor(), { requestId: unmatched.id, reason: 'Matches no administrator account.' }, someIp())).toMatchObject({ ok: true });
    expect((await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: unmatched.id } })).state).toBe('REJECTED');
    expect(await getRequestStatus({ reference: unmatched.reference, loginName: ghostName }, someIp())).toEqual(before);
  });

  it('[ANONYMOUS who filed for a real admin] sees a completed or cancelled request close at its expiry, as one for nobody does', async () => {
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    const real = await fileRequest({ providerCode: agency.code, loginName: admin.loginName });
    const ghostName = ghost('ghost');
    const unmatched = await fileRequest({ providerCode: 'NOT-AN-AGENCY', loginName: ghostName });
    const past = new Date(Date.now() - 1000);
    await db().superAdminResetRequest.update({ where: { id: unmatched.id }, data: { expiresAt: past } });
    const expired = await getRequestStatus({ reference: unmatched.reference, loginName: ghostName }, someIp());
    expect(expired).toMatchObject({ ok: true, title: 'Closed' });
    for (const state of ['COMPLETED', 'CANCELLED'] as const) {
      await db().superAdminResetRequest.update({ where: { id: real.id }, data: { state, expiresAt: past } });
      expect(await getRequestStatus({ reference: real.reference, loginName: admin.loginName }, someIp()), state).toEqual(expired);
    }
  });

  it('[ANONYMOUS] gets one answer for a wrong reference, a wrong login name, or a request that matched nothing', async () => {
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    const request = await fileRequest({ providerCode: agency.code, loginName: admin.loginName });
    const wrongName = await getRequestStatus({ reference: request.reference, loginName: 'someone.else' }, someIp());
    const wrongReference = await getRequestStatus({ reference: '0000000000', loginName: admin.loginName }, someIp());
    const garbage = await getRequestStatus({ reference: 'not a reference', loginName: admin.loginName }, someIp());
    for (const answer of [wrongName, wrongReference, garbage]) expect(answer).toEqual({ ok: false, message: NO_SUCH_REQUEST });

    const loginName = ghost('ghost');
    const unmatched = await fileRequest({ providerCode: 'NOT-AN-AGENCY', loginName });
    expect(await getRequestStatus({ reference: unmatched.reference, loginName }, someIp())).toMatchObject({ ok: true, title: 'Received' });
  });

  it('[ANONYMOUS] sees a request older than 7 days as expired; the expiry is audited once', async () => {
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    const request = await fileRequest({ providerCode: agency.code, loginName: admin.loginName });
    await db().superAdminResetRequest.update({ where: { id: request.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const lookup = { reference: request.reference, loginName: admin.loginName };
    expect(await getRequestStatus(lookup, someIp())).toMatchObject({ ok: true, title: 'Closed' });
    expect(await getRequestStatus(lookup, someIp())).toMatchObject({ ok: true, title: 'Closed' });
    const audits = await db().auditEvent.findMany({ where: { targetId: request.id, action: 'SUPER_ADMIN_RESET_EXPIRED' } });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorType: 'SYSTEM', outcome: 'SUCCESS' });
  });

  it('[ANONYMOUS] a lookup closes the request it names, not every other one past its 7 days (review r31e F5)', async () => {
    const filed = await Promise.all(
      [0, 1].map(async () => {
        const { agency, admin } = await agencyWithLoneSuperAdmin();
        const request = await fileRequest({ providerCode: agency.code, loginName: admin.loginName });
        await db().superAdminResetRequest.update({ where: { id: request.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
        return { request, admin };
      }),
    );
    const [looked, other] = filed;
    expect(await getRequestStatus({ reference: looked!.request.reference, loginName: looked!.admin.loginName }, someIp())).toMatchObject({ title: 'Closed' });
    const states = await db().superAdminResetRequest.findMany({ where: { id: { in: [looked!.request.id, other!.request.id] } }, select: { id: true, state: true } });
    expect(Object.fromEntries(states.map((row) => [row.id, row.state]))).toEqual({ [looked!.request.id]: 'EXPIRED', [other!.request.id]: 'SUBMITTED' });
  });

  it('[ATTACKER] a lookup sends the same statements for a made-up reference as for a real one under a wrong login name (review r32b)', async () => {
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    const request = await fileRequest({ providerCode: agency.code, loginName: admin.loginName });
    const statementsOfLookup = async (reference: string) => {
      const { probe, sent } = await statementsOf(async () => expect(await getRequestStatus({ reference, loginName: 'someone.else' }, someIp())).toEqual({ ok: false, message: NO_SUCH_REQUEST }));
      await probe.$disconnect();
      // The address's own rate-limit row aside (its first look-up creates it).
      return sent.map((query) => query.sql).filter((sql) => !/RateLimitBucket/.test(sql));
    };
    const real = await statementsOfLookup(formatReference(request.reference));
    const madeUp = formatReference(request.reference === 'ZZZZZZZZZZ' ? 'YYYYYYYYYY' : 'ZZZZZZZZZZ');
    expect(await statementsOfLookup(madeUp)).toEqual(real);
    expect(await statementsOfLookup('not a reference')).toEqual(real);
  });
});

describe('“this wasn’t me”', () => {
  it('[ANONYMOUS with the notice] can cancel the request from the link in the notice; verifiers see why', async () => {
    const { agency, admin } = await agencyWithLoneSuperAdmin();
    const request = await fileRequest({ providerCode: agency.code, loginName: admin.loginName });
    const [notice] = await mailsTo(admin.email!, 'super-admin-request-notice');
    const token = cancelTokenIn(notice!.textBody);
    expect(hashSecretToken(token)).toBe(request.cancelTokenHash);

    // Opening the link changes nothing: mail scanners open links.
    expect(await getRequestForCancel(token)).toMatchObject({ reference: formatReference(request.reference), accountName: admin.displayName });
    expect((await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).state).toBe('SUBMITTED');

    const ip = someIp();
    expect(await cancelRequest(token, ip)).toEqual({ ok: true, reference: request.reference });
    const after = await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(after.state).toBe('CANCELLED');
    expect(after.stateReason).toMatch(/this wasn’t me/);
    expect(await db().auditEvent.count({ where: { targetId: request.id, action: 'SUPER_ADMIN_RESET_CANCELLED', outcome: 'SUCCESS', ip } })).toBe(1);

    expect(await cancelRequest(token, ip)).toMatchObject({ ok: false, message: expect.stringMatching(/no longer works/) });
    expect(await getRequestForCancel(token)).toBeNull();
    // The stranger who filed cannot tell the owner answered: it reads as a request for nobody does.
    expect(await getRequestStatus({ reference: request.reference, loginName: admin.loginName }, ip)).toMatchObject({ title: 'Received' });
  });

  it('[ANONYMOUS with the notice] cancelling after approval kills the link already mailed', async () => {
    const { request, admin, token } = await approvedRequest();
    const [notice] = await mailsTo(admin.email!, 'super-admin-request-notice');
    expect(await cancelRequest(cancelTokenIn(notice!.textBody), someIp())).toMatchObject({ ok: true });
    const link = await db().passwordResetToken.findUniqueOrThrow({ where: { tokenHash: hashSecretToken(token) } });
    expect(link.expiresAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect((await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).state).toBe('CANCELLED');
  });

  it('[ANONYMOUS] an unknown or malformed cancel link does nothing and is audited', async () => {
    const ip = someIp();
    expect((await cancelRequest('x'.repeat(43), ip)).ok).toBe(false);
    expect((await cancelRequest('../../etc', ip)).ok).toBe(false);
    expect(await db().auditEvent.count({ where: { action: 'SUPER_ADMIN_RESET_CANCEL_REFUSED', ip } })).toBe(2);
  });
});
