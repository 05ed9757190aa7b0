import { describe, expect, it } from 'vitest';
import { handleHelpRequest, HELP_INBOX_PEOPLE, HELP_INBOX_WORDS, helpInboxQuerySchema, listHelpRequests } from '@/lib/admin/help-requests';
import { searchTermRows } from '@/lib/admin/user-search-terms';
import { ACTOR_CHANGED_MESSAGE, resolveSession, type AgencyActor } from '@/lib/auth/session';
import { signInAgencyUser } from '@/lib/auth/sign-in';
import { db } from '@/lib/db/client';
import {
  ASK_ADMIN_MIN_DURATION_MS,
  askAdminSchema,
  requestAdminHelp,
  type AskAdminInput,
} from '@/lib/help/request-admin-help';
import { newFormKey } from '@/lib/http/form-key';
import { forgetRateLimit, RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import { normalizeKey } from '@/lib/validation/identifiers';
import { createAgency, createUser, uniqueSuffix } from '@/prisma/factories';

const PASSWORD = 'copper lantern rainy tulip';
const QUICK = { minDurationMs: 0 };

/** A fresh client address per test, so the per-address limit of one test does not touch another. */
const newIp = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

async function agencyWithAdmins() {
  const suffix = uniqueSuffix();
  const agency = await createAgency(db(), { name: `Harbour Care ${suffix}` });
  const make = (loginName: string, overrides: Parameters<typeof createUser>[3] = {}) =>
    createUser(db(), agency.id, PASSWORD, { loginName, email: `${loginName}.${suffix}@harbour.example`, ...overrides });
  const staff = await make('riley.staff', { displayName: 'Riley Novak' });
  const admin = await make('pat.admin', { role: 'PROVIDER_ADMIN', displayName: 'Pat Lee' });
  const superAdmin = await make('sam.super', { role: 'SUPER_ADMIN', displayName: 'Sam Rivera' });
  await make('gone.admin', { role: 'PROVIDER_ADMIN', status: 'DISABLED' });
  await make('other.staff');
  await make('noaddress.admin', { role: 'PROVIDER_ADMIN', email: null });
  return { agency, staff, admin, superAdmin, suffix };
}

const input = (providerCode: string, loginName: string, message: string | null = null): AskAdminInput => ({ providerCode, loginName, message });

/** An admin signed in, as the console sees them. */
async function actorFor(code: string, loginName: string) {
  const result = await signInAgencyUser({ providerCode: code, loginName, password: PASSWORD }, newIp());
  if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
  return (await resolveSession(result.sessionId)) as AgencyActor;
}

async function mailsTo(suffix: string) {
  const rows = await db().outboxMessage.findMany({ where: { toAddress: { endsWith: `.${suffix}@harbour.example` } } });
  return rows;
}

describe('asking one’s administrators for help', () => {
  it('[STAFF] can ask: one request is stored and one mail is queued per active admin of the agency', async () => {
    const { agency, staff, admin, superAdmin, suffix } = await agencyWithAdmins();
    const ip = newIp();
    const outcome = await requestAdminHelp({ ip }, input(agency.code, staff.loginName, 'I am back from leave'), QUICK);
    expect(outcome).toEqual({ status: 'accepted' });

    const requests = await db().helpRequest.findMany({ where: { agencyId: agency.id } });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ userId: staff.id, message: 'I am back from leave', status: 'OPEN', ip });

    const mails = await mailsTo(suffix);
    expect(mails.map((mail) => mail.toAddress).sort()).toEqual([admin.email, superAdmin.email].sort());
    for (const mail of mails) {
      expect(mail).toMatchObject({ template: 'help-request', status: 'PENDING', sensitive: false, headers: null });
      expect(mail.subject).toBe('Help request: someone in your agency cannot sign in to CareNotes');
      expect(mail.textBody).toContain(`Riley Novak (login name ${staff.loginName})`);
      expect(mail.textBody).toContain('I am back from leave');
      expect(mail.textBody).toContain('/admin/help-requests');
      expect(mail.textBody).not.toContain(PASSWORD);
    }

    const audit = await db().auditEvent.findMany({ where: { targetId: staff.id, action: 'HELP_REQUEST_CREATED' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: 'ANONYMOUS', agencyId: agency.id, outcome: 'SUCCESS', ip });
    expect(JSON.parse(audit[0]!.details!)).toMatchObject({ helpRequestId: requests[0]!.id, adminsNotified: 2, adminsWithoutAddress: 1, withMessage: true });
    expect(audit[0]!.details).not.toContain('back from leave');
  });

  it('[STAFF] sending the form twice (a double click, a retried POST, both at once) asks once: one request, one mail per admin (r26c N1)', async () => {
    const { agency, staff, suffix } = await agencyWithAdmins();
    const ip = newIp();
    const rendering = () => ({ ...input(agency.code, staff.loginName, 'Locked out'), formKey: newFormKey() });
    const requests = () => db().helpRequest.count({ where: { agencyId: agency.id } });
    const first = rendering();
    expect(await requestAdminHelp({ ip }, first, QUICK)).toEqual({ status: 'accepted' });
    expect(await requestAdminHelp({ ip }, first, QUICK)).toEqual({ status: 'accepted' });
    expect([await requests(), (await mailsTo(suffix)).length]).toEqual([1, 2]);
    // The copy used none of the person's three an hour: two more renderings are mailed too.
    for (let i = 0; i < 2; i++) expect(await requestAdminHelp({ ip }, rendering(), QUICK)).toEqual({ status: 'accepted' });
    expect([await requests(), (await mailsTo(suffix)).length]).toEqual([3, 6]);
    // Two copies at once: one request.
    const pair = rendering();
    expect(await Promise.all([requestAdminHelp({ ip }, pair, QUICK), requestAdminHelp({ ip }, pair, QUICK)])).toEqual([{ status: 'accepted' }, { status: 'accepted' }]);
    expect(await requests()).toBe(4);
    // An unknown name sent twice at once is recorded once too.
    const unknown = { ...input(agency.code, `nobody.${suffix}`), formKey: newFormKey() };
    await Promise.all([requestAdminHelp({ ip }, unknown, QUICK), requestAdminHelp({ ip }, unknown, QUICK)]);
    expect(await db().auditEvent.count({ where: { agencyId: agency.id, action: 'HELP_REQUEST_UNMATCHED' } })).toBe(1);
  });

  it('[STAFF] eight copies of one form at once count once on the address’s and the account’s limits (review r28b F2)', async () => {
    const { agency, staff, suffix } = await agencyWithAdmins();
    const ip = newIp();
    const rendering = (loginName: string) => ({ ...input(agency.code, loginName), formKey: newFormKey() });
    const form = rendering(staff.loginName);
    expect(await Promise.all(Array.from({ length: 8 }, () => requestAdminHelp({ ip }, form, QUICK)))).toEqual(Array(8).fill({ status: 'accepted' }));
    expect(await db().helpRequest.count({ where: { agencyId: agency.id } })).toBe(1);
    // The account's three an hour: two more renderings are still mailed to both admins.
    for (let i = 0; i < 2; i++) await requestAdminHelp({ ip }, rendering(staff.loginName), QUICK);
    expect(await mailsTo(suffix)).toHaveLength(6);
    // The address's ten an hour: seven more, then it is throttled.
    for (let i = 0; i < 7; i++) expect(await requestAdminHelp({ ip }, rendering(`nobody.${i}`), QUICK)).toEqual({ status: 'accepted' });
    expect(await requestAdminHelp({ ip }, rendering('nobody.more'), QUICK)).toMatchObject({ status: 'throttled' });
  });

  it('[STAFF] a form refused for its address is not taken as sent: the same form sent again once the hour is over asks', async () => {
    const { agency, staff, suffix } = await agencyWithAdmins();
    const ip = newIp();
    for (let i = 0; i < 10; i++) await requestAdminHelp({ ip }, { ...input(agency.code, `nobody.${i}`), formKey: newFormKey() }, QUICK);
    const form = { ...input(agency.code, staff.loginName, 'Locked out'), formKey: newFormKey() };
    expect(await requestAdminHelp({ ip }, form, QUICK)).toMatchObject({ status: 'throttled' });
    expect(await db().helpRequest.count({ where: { userId: staff.id } })).toBe(0);
    // The hour is over.
    await forgetRateLimit(db(), RATE_LIMITS.helpRequestPerAddress, ip);
    expect(await requestAdminHelp({ ip }, form, QUICK)).toEqual({ status: 'accepted' });
    expect(await db().helpRequest.count({ where: { userId: staff.id } })).toBe(1);
    expect(await mailsTo(suffix)).toHaveLength(2);
  });

  it('matches the provider code and login name in any case and Unicode form', async () => {
    const { agency, staff, suffix } = await agencyWithAdmins();
    const fullwidthCode = [...agency.code.toLowerCase()].map((c) => String.fromCodePoint(c.codePointAt(0)! + (/[a-z0-9]/.test(c) ? 0xfee0 : 0))).join('');
    await requestAdminHelp({ ip: newIp() }, input(`  ${fullwidthCode} `, staff.loginName.toUpperCase()), QUICK);
    expect(await db().helpRequest.count({ where: { userId: staff.id } })).toBe(1);
    expect(await mailsTo(suffix)).toHaveLength(2);
  });

  it.each([
    ['an unknown agency', (code: string, login: string) => input(`NO-${code}`, login)],
    ['an unknown login name', (code: string) => input(code, 'nobody.here')],
    ['a disabled account', (code: string) => input(code, 'gone.admin')],
  ])('for %s stores nothing, queues nothing, and answers the same', async (_label, build) => {
    const { agency, staff, suffix } = await agencyWithAdmins();
    const outcome = await requestAdminHelp({ ip: newIp() }, build(agency.code, staff.loginName), QUICK);
    expect(outcome).toEqual({ status: 'accepted' });
    expect(await db().helpRequest.count({ where: { agencyId: agency.id } })).toBe(0);
    expect(await mailsTo(suffix)).toHaveLength(0);
  });

  it('[PROVIDER_ADMIN] asking is helped by the other admins, never mailed about themselves', async () => {
    const { agency, admin, superAdmin, suffix } = await agencyWithAdmins();
    await requestAdminHelp({ ip: newIp() }, input(agency.code, admin.loginName), QUICK);
    expect(await db().helpRequest.count({ where: { userId: admin.id } })).toBe(1);
    expect((await mailsTo(suffix)).map((mail) => mail.toAddress)).toEqual([superAdmin.email]);
  });

  it('[STAFF] of one agency never reaches the admins of another', async () => {
    const first = await agencyWithAdmins();
    const second = await agencyWithAdmins();
    await requestAdminHelp({ ip: newIp() }, input(first.agency.code, first.staff.loginName), QUICK);
    expect(await mailsTo(second.suffix)).toHaveLength(0);
    expect(await db().helpRequest.count({ where: { agencyId: second.agency.id } })).toBe(0);
  });

  it('[PROVIDER_ADMIN] finds the request in their own console inbox; another agency’s admin does not', async () => {
    const { agency, staff, admin } = await agencyWithAdmins();
    const other = await agencyWithAdmins();
    await requestAdminHelp({ ip: newIp() }, input(agency.code, staff.loginName, 'Locked out'), QUICK);
    const inbox = await listHelpRequests(await actorFor(agency.code, admin.loginName));
    expect(inbox.open.map((request) => [request.user.loginName, request.message])).toEqual([[staff.loginName, 'Locked out']]);
    const foreign = await listHelpRequests(await actorFor(other.agency.code, other.admin.loginName));
    expect(foreign.open).toEqual([]);
  });

  it('throttles one client address, for real and unknown accounts alike', async () => {
    const { agency, staff } = await agencyWithAdmins();
    const ip = newIp();
    const { limit } = RATE_LIMITS.helpRequestPerAddress;
    for (let i = 0; i < limit; i++) {
      const outcome = await requestAdminHelp({ ip }, input(agency.code, `unknown.${i}`), QUICK);
      expect(outcome.status).toBe('accepted');
    }
    const real = await requestAdminHelp({ ip }, input(agency.code, staff.loginName), QUICK);
    const unknown = await requestAdminHelp({ ip }, input(agency.code, 'nobody.at.all'), QUICK);
    expect(real.status).toBe('throttled');
    // The same answer; the seconds left may tick by one or two between the two requests on a busy machine.
    expect(unknown.status).toBe('throttled');
    const secondsLeft = (outcome: typeof real) => (outcome.status === 'throttled' ? outcome.retryAfterSeconds : NaN);
    expect(secondsLeft(real) - secondsLeft(unknown)).toBeGreaterThanOrEqual(0);
    expect(secondsLeft(real) - secondsLeft(unknown)).toBeLessThanOrEqual(2);
    expect(await db().helpRequest.count({ where: { agencyId: agency.id } })).toBe(0);
    // Said at once, whatever the floor: it depends on no account, and must not hold the instance's places.
    const began = performance.now();
    expect((await requestAdminHelp({ ip }, input(agency.code, staff.loginName), { minDurationMs: 60_000 })).status).toBe('throttled');
    expect(performance.now() - began).toBeLessThan(30_000);
    expect(await requestAdminHelp({ ip: newIp() }, input(agency.code, staff.loginName), QUICK)).toEqual({ status: 'accepted' });
  });

  it('mails about one account at most 3 times an hour across addresses, so admins are not flooded; the rest, maybe the person’s own, still reach the console', async () => {
    const { agency, admin, staff, suffix } = await agencyWithAdmins();
    const { limit } = RATE_LIMITS.helpRequestPerAccount;
    // Strangers name the person first; then the person asks, in their own words.
    for (let i = 0; i < limit + 1; i++) {
      expect(await requestAdminHelp({ ip: newIp() }, input(agency.code, staff.loginName), QUICK)).toEqual({ status: 'accepted' });
    }
    const own = input(agency.code, staff.loginName, 'It is really me: locked out since Monday.');
    expect(await requestAdminHelp({ ip: newIp() }, own, QUICK)).toEqual({ status: 'accepted' });
    expect(await db().helpRequest.count({ where: { userId: staff.id } })).toBe(limit + 2);
    expect(await mailsTo(suffix)).toHaveLength(limit * 2);
    const inbox = await listHelpRequests(await actorFor(agency.code, admin.loginName));
    expect(inbox.open.map((request) => request.message)).toContain('It is really me: locked out since Monday.');
    const created = await db().auditEvent.findMany({ where: { targetId: staff.id, action: 'HELP_REQUEST_CREATED' } });
    expect(created.map((event) => (JSON.parse(event.details!) as { mailHeldBack?: string }).mailHeldBack).filter(Boolean)).toEqual(['account limit', 'account limit']);
    // Past that limit the work depends on the account, so it still waits out the floor:
    // answered sooner, its time would tell a stranger the name is a real, active account.
    const began = performance.now();
    expect(await requestAdminHelp({ ip: newIp() }, input(agency.code, staff.loginName), { minDurationMs: 400 })).toEqual({ status: 'accepted' });
    expect(performance.now() - began).toBeGreaterThanOrEqual(400);
  });

  it('strangers naming one person over and over push no one else out of the inbox: one entry per person, closed only as far as it was shown', async () => {
    const { agency, admin, staff } = await agencyWithAdmins();
    // A flood of 300 stored requests about one person, all older than anyone else's (the inbox lists the longest waiting first).
    const long = Date.now() - 3_600_000;
    await db().helpRequest.createMany({
      data: Array.from({ length: 300 }, (_, i) => ({ agencyId: agency.id, userId: staff.id, message: i % 2 ? `flood ${i}` : null, createdAt: new Date(long + i) })),
    });
    const other = await createUser(db(), agency.id, PASSWORD, { loginName: 'quinn.staff', displayName: 'Quinn Abara' });
    await requestAdminHelp({ ip: newIp() }, input(agency.code, other.loginName, 'Locked out, please help'), QUICK);
    const adminActor = await actorFor(agency.code, admin.loginName);
    const inbox = await listHelpRequests(adminActor);
    const said = (entry: (typeof inbox.open)[number]) => [entry.user.loginName, entry.requests, entry.words.map((words) => words.message)];
    expect(inbox.open.map(said)).toEqual([
      [staff.loginName, 300, Array.from({ length: HELP_INBOX_WORDS }, (_, i) => `flood ${299 - 2 * i}`)],
      [other.loginName, 1, ['Locked out, please help']],
    ]);
    expect(inbox.morePeopleWaiting).toBe(false);

    // Dismissing the entry closes the 150 requests without words and the 10 whose words were shown. The
    // other 140 with words stay, and so does a request stored after the page was read.
    const entry = inbox.open[0]!;
    await requestAdminHelp({ ip: newIp() }, input(agency.code, staff.loginName, 'It is me, after all that'), QUICK);
    const shown = entry.words.map((words) => words.id);
    expect(await handleHelpRequest(adminActor, { requestId: entry.id, shown, outcome: 'DISMISSED' }, newIp())).toEqual({ ok: true, value: undefined });
    expect(await db().helpRequest.count({ where: { userId: staff.id, status: 'DISMISSED' } })).toBe(160);
    const after = await listHelpRequests(adminActor);
    expect(after.open.map(said)).toEqual([
      [staff.loginName, 141, ['It is me, after all that', ...Array.from({ length: HELP_INBOX_WORDS - 1 }, (_, i) => `flood ${279 - 2 * i}`)]],
      [other.loginName, 1, ['Locked out, please help']],
    ]);
    // "Recently handled" lists the press once, with who pressed it and how many requests it closed: by row,
    // it was 20 lines of one person (review r41g F2).
    expect(after.handled.map(({ name, status, by, requests }) => ({ name, status, by, requests }))).toEqual([{ name: staff.displayName, status: 'DISMISSED', by: admin.displayName, requests: 160 }]);
    // A handler outside the agency (a row no form writes so) is named to no one here.
    const stranger = await createUser(db(), (await createAgency(db(), { name: `Elsewhere Care ${uniqueSuffix()}` })).id, PASSWORD, { role: 'PROVIDER_ADMIN', displayName: 'Stranger Outside' });
    await db().helpRequest.updateMany({ where: { userId: staff.id, status: 'DISMISSED' }, data: { handledById: stranger.id } });
    expect((await listHelpRequests(adminActor)).handled.map(({ by, requests }) => ({ by, requests }))).toEqual([{ by: null, requests: 160 }]);
    await db().helpRequest.updateMany({ where: { userId: staff.id, status: 'DISMISSED' }, data: { handledById: admin.id } });
    // Handled once: a second admin's click on the same entry changes nothing more, and says so, as a
    // refusal whose entry has left the inbox (without JavaScript the page says it, review r34e).
    expect(await handleHelpRequest(adminActor, { requestId: entry.id, shown, outcome: 'RESOLVED' }, newIp())).toEqual({ ok: false, message: 'That request is no longer open.', gone: true });
    const audited = await db().auditEvent.findMany({ where: { agencyId: agency.id, action: { in: ['HELP_REQUEST_RESOLVED', 'HELP_REQUEST_DISMISSED'] } } });
    expect(audited.map((event) => [event.action, event.targetId, JSON.parse(event.details!).requests])).toEqual([['HELP_REQUEST_DISMISSED', entry.id, 160]]);
  });

  it('a stranger’s newer words do not hide the person’s own: both are shown, and words not shown are never closed', async () => {
    const { agency, admin, staff } = await agencyWithAdmins();
    await requestAdminHelp({ ip: newIp() }, input(agency.code, staff.loginName, 'GENUINE: locked out since Monday'), QUICK);
    await requestAdminHelp({ ip: newIp() }, input(agency.code, staff.loginName, 'Got back in, please dismiss this'), QUICK);
    const adminActor = await actorFor(agency.code, admin.loginName);
    const [entry] = (await listHelpRequests(adminActor)).open;
    expect(entry!.words.map((words) => words.message)).toEqual(['Got back in, please dismiss this', 'GENUINE: locked out since Monday']);
    // A form naming only the newest words (or none) leaves the genuine request open.
    const newest = entry!.words[0]!.id;
    expect(await handleHelpRequest(adminActor, { requestId: entry!.id, shown: [newest], outcome: 'DISMISSED' }, newIp())).toMatchObject({ ok: true });
    const left = await db().helpRequest.findMany({ where: { userId: staff.id, status: 'OPEN' }, select: { message: true } });
    expect(left).toEqual([{ message: 'GENUINE: locked out since Monday' }]);
  });

  it('each entry shows its own person’s newest request and newest words, however the requests of several people interleave', async () => {
    const { agency, admin, staff } = await agencyWithAdmins();
    const other = await createUser(db(), agency.id, PASSWORD, { loginName: 'quinn.staff' });
    const since = Date.now() - 3_600_000;
    // 24 worded requests each, interleaved in time; the staff member's newest has no words, the other's has.
    await db().helpRequest.createMany({
      data: Array.from({ length: 48 }, (_, i) => ({ agencyId: agency.id, userId: i % 2 ? other.id : staff.id, message: `${i % 2 ? 'quinn' : 'riley'} ${i}`, createdAt: new Date(since + i * 1000) })),
    });
    const wordless = await db().helpRequest.create({ data: { agencyId: agency.id, userId: staff.id, createdAt: new Date(since + 60_000) } });
    const inbox = await listHelpRequests(await actorFor(agency.code, admin.loginName));
    expect(inbox.open.map((entry) => [entry.user.loginName, entry.id === wordless.id, entry.message, entry.requests, entry.words.map((words) => words.message)])).toEqual([
      [staff.loginName, true, null, 25, Array.from({ length: HELP_INBOX_WORDS }, (_, i) => `riley ${46 - 2 * i}`)],
      [other.loginName, false, 'quinn 47', 24, Array.from({ length: HELP_INBOX_WORDS }, (_, i) => `quinn ${47 - 2 * i}`)],
    ]);
  });

  it('[PROVIDER_ADMIN] disabled while marking a request resolved: it stays open, and the try is audited', async () => {
    const { agency, admin, staff } = await agencyWithAdmins();
    await requestAdminHelp({ ip: newIp() }, input(agency.code, staff.loginName, 'Locked out'), QUICK);
    const adminActor = await actorFor(agency.code, admin.loginName);
    const [entry] = (await listHelpRequests(adminActor)).open;
    await db().user.update({ where: { id: admin.id }, data: { status: 'DISABLED', sessionVersion: { increment: 1 } } });
    expect(await handleHelpRequest(adminActor, { requestId: entry!.id, shown: entry!.words.map((words) => words.id), outcome: 'RESOLVED' }, newIp())).toEqual({ ok: false, message: ACTOR_CHANGED_MESSAGE });
    expect(await db().helpRequest.count({ where: { userId: staff.id, status: 'OPEN' } })).toBe(1);
    const denied = await db().auditEvent.findMany({ where: { actorId: admin.id, action: 'ADMIN_ACTION_DENIED' } });
    expect(denied.map((event) => JSON.parse(event.details!))).toEqual([expect.objectContaining({ capability: 'help-requests:handle', reason: 'actor-changed' })]);
  });

  it(`lists the ${HELP_INBOX_PEOPLE} people waiting longest, and says when more are waiting`, async () => {
    const { agency, admin, staff } = await agencyWithAdmins();
    const people = Array.from({ length: HELP_INBOX_PEOPLE + 1 }, (_, i) => ({
      agencyId: agency.id,
      loginName: `waiting.${i}`,
      loginKey: `waiting.${i}`,
      displayName: `Waiting ${i}`,
      passwordHash: staff.passwordHash,
    }));
    await db().user.createMany({ data: people });
    const ids = await db().user.findMany({ where: { agencyId: agency.id, loginKey: { startsWith: 'waiting.' } }, select: { id: true, loginKey: true } });
    const since = Date.now() - 3_600_000;
    await db().helpRequest.createMany({
      data: ids.map((user) => ({ agencyId: agency.id, userId: user.id, createdAt: new Date(since + Number(user.loginKey.split('.')[1]) * 1000) })),
    });
    const inbox = await listHelpRequests(await actorFor(agency.code, admin.loginName));
    expect(inbox.open).toHaveLength(HELP_INBOX_PEOPLE);
    expect(inbox.open[0]!.user.loginName).toBe('waiting.0');
    expect(inbox.open.map((entry) => entry.user.loginName)).not.toContain(`waiting.${HELP_INBOX_PEOPLE}`);
    expect(inbox.morePeopleWaiting).toBe(true);
  });

  it('[PROVIDER_ADMIN] reaches every open request: 120 people waiting, page 1 the 100 waiting longest, page 2 the rest with the newest; never another agency’s', async () => {
    const { agency, admin, staff } = await agencyWithAdmins();
    const other = await agencyWithAdmins();
    const count = 120;
    await db().user.createMany({
      data: Array.from({ length: count }, (_, i) => ({
        agencyId: agency.id,
        loginName: `flooded.${i}`,
        loginKey: `flooded.${i}`,
        displayName: `Flooded ${i}`,
        passwordHash: staff.passwordHash,
      })),
    });
    const named = await db().user.findMany({ where: { agencyId: agency.id, loginKey: { startsWith: 'flooded.' } }, select: { id: true, agencyId: true, loginKey: true, displayName: true } });
    await db().userSearchTerm.createMany({ data: named.flatMap((user) => searchTermRows({ ...user, loginName: user.loginKey })) });
    const since = Date.now() - 3_600_000;
    await db().helpRequest.createMany({
      data: named.map((user) => ({ agencyId: agency.id, userId: user.id, createdAt: new Date(since + Number(user.loginKey.split('.')[1]) * 1000) })),
    });
    // The genuine request, made after the flood: the newest of all.
    await db().helpRequest.create({ data: { agencyId: agency.id, userId: staff.id, message: 'It is really me' } });
    // Another agency's person, asking in the middle of it all.
    await db().helpRequest.create({ data: { agencyId: other.agency.id, userId: other.staff.id, createdAt: new Date(since + 500) } });
    const actor = await actorFor(agency.code, admin.loginName);
    const logins = (inbox: Awaited<ReturnType<typeof listHelpRequests>>) => inbox.open.map((entry) => entry.user.loginName);

    const first = await listHelpRequests(actor, { page: 1 });
    expect(logins(first)).toEqual(Array.from({ length: HELP_INBOX_PEOPLE }, (_, i) => `flooded.${i}`));
    expect(first.morePeopleWaiting).toBe(true);

    const second = await listHelpRequests(actor, { page: 2 });
    expect(logins(second)).toEqual([...Array.from({ length: count - HELP_INBOX_PEOPLE }, (_, i) => `flooded.${HELP_INBOX_PEOPLE + i}`), staff.loginName]);
    expect(second.open.at(-1)!.words.map((said) => said.message)).toEqual(['It is really me']);
    expect(second.morePeopleWaiting).toBe(false);
    expect(await listHelpRequests(actor, { page: 3 })).toMatchObject({ open: [], morePeopleWaiting: false });

    // An admin told by phone finds the person by name or login name, whatever page they are on.
    for (const q of ['riley', 'Novak', 'RILEY.ST']) expect(logins(await listHelpRequests(actor, { q, page: 1 }))).toEqual([staff.loginName]);
    // As the page reads its address: controls dropped (a NUL was a 500 on PostgreSQL), a longer search cut, not
    // dropped to list everyone (review r40a F2, F4).
    const search = async (q: string) => logins(await listHelpRequests(actor, helpInboxQuerySchema.parse({ q, page: '1' })));
    expect(await search('ril\u0000ey')).toEqual([staff.loginName]);
    expect(await search('\u0000')).toHaveLength(HELP_INBOX_PEOPLE);
    expect(await search('z'.repeat(101))).toEqual([]);
    expect(logins(await listHelpRequests(actor, { q: 'flooded.11', page: 1 }))).toEqual(['flooded.11', 'flooded.110', 'flooded.111', 'flooded.112', 'flooded.113', 'flooded.114', 'flooded.115', 'flooded.116', 'flooded.117', 'flooded.118', 'flooded.119']);

    const everyUserShown = [first, second].flatMap((inbox) => inbox.open.map((entry) => entry.user.id));
    expect(everyUserShown).not.toContain(other.staff.id);
    expect(new Set(everyUserShown).size).toBe(count + 1);
    // The other agency's admin, searching for the name, finds only their own person.
    const otherActor = await actorFor(other.agency.code, other.admin.loginName);
    expect((await listHelpRequests(otherActor, { q: 'riley', page: 1 })).open.map((entry) => entry.user.id)).toEqual([other.staff.id]);
    expect((await listHelpRequests(otherActor, { q: 'flooded', page: 1 })).open).toEqual([]);
  });

  it('mails one agency’s admins about at most 20 requests an hour, however many accounts are named; the rest still reach the console', async () => {
    const { agency, admin, suffix } = await agencyWithAdmins();
    const { limit } = RATE_LIMITS.helpRequestMailsPerAgency;
    const named = await Promise.all(
      Array.from({ length: limit + 2 }, (_, i) => createUser(db(), agency.id, PASSWORD, { loginName: `named.${i}`, email: null })),
    );
    // From many addresses, each account named once: no per-address or per-account limit is reached.
    for (const user of named) expect(await requestAdminHelp({ ip: newIp() }, input(agency.code, user.loginName), QUICK)).toEqual({ status: 'accepted' });

    // Two admins with an address: two mails per request, for the first 20 requests only.
    expect(await mailsTo(suffix)).toHaveLength(limit * 2);
    const inbox = await listHelpRequests(await actorFor(agency.code, admin.loginName));
    expect(inbox.open).toHaveLength(limit + 2);
    const created = await db().auditEvent.findMany({ where: { agencyId: agency.id, action: 'HELP_REQUEST_CREATED' }, orderBy: { createdAt: 'asc' } });
    const details = created.map((event) => JSON.parse(event.details!) as { adminsNotified: number; mailHeldBack?: string });
    expect(details.filter((detail) => detail.mailHeldBack === 'agency limit')).toEqual([
      expect.objectContaining({ adminsNotified: 0 }),
      expect.objectContaining({ adminsNotified: 0 }),
    ]);
    // Another agency's admins are mailed as usual.
    const other = await agencyWithAdmins();
    await requestAdminHelp({ ip: newIp() }, input(other.agency.code, other.staff.loginName), QUICK);
    expect(await mailsTo(other.suffix)).toHaveLength(2);
  });

  it('mails one agency’s admins about at most 60 requests a day, not 20 every hour for ever; the rest still reach the console (review r44b F1)', async () => {
    const { agency, staff, suffix } = await agencyWithAdmins();
    // The day's budget spent, hour after hour (the hour's window is new).
    const { name, limit } = RATE_LIMITS.helpRequestMailsPerAgencyDay;
    await db().rateLimitBucket.create({ data: { key: `${name}:${agency.id}`, windowStart: new Date(Date.now() - 3_600_000), count: limit } });
    expect(await requestAdminHelp({ ip: newIp() }, input(agency.code, staff.loginName), QUICK)).toEqual({ status: 'accepted' });
    expect(await mailsTo(suffix)).toHaveLength(0);
    const created = await db().auditEvent.findFirstOrThrow({ where: { agencyId: agency.id, action: 'HELP_REQUEST_CREATED' } });
    expect(JSON.parse(created.details!)).toMatchObject({ adminsNotified: 0, mailHeldBack: 'agency limit' });
    expect(await db().helpRequest.count({ where: { agencyId: agency.id } })).toBe(1);
  });

  it('[STAFF] who does not know the code can ask by the agency’s name, typed in any case and spacing', async () => {
    const { agency, staff, admin, superAdmin, suffix } = await agencyWithAdmins();
    const typed = `  ${agency.name.toUpperCase().replace(' ', '   ')} `;
    expect(await requestAdminHelp({ ip: newIp() }, askAdminSchema.parse({ providerCode: typed, loginName: staff.loginName }), QUICK)).toEqual({
      status: 'accepted',
    });
    expect(await db().helpRequest.findMany({ where: { agencyId: agency.id } })).toMatchObject([{ userId: staff.id }]);
    expect((await mailsTo(suffix)).map((mail) => mail.toAddress).sort()).toEqual([admin.email, superAdmin.email].sort());
  });

  it('[STAFF] asking by name finds the agency whether the name is typed with or without the joiners and soft hyphen it may hold (review r36d F4)', async () => {
    const { agency, staff } = await agencyWithAdmins();
    // The agency's name as written in Persian, with the non-joiner; asked for without it, and pasted with a soft hyphen.
    await db().agency.update({ where: { id: agency.id }, data: { name: `مراقبت\u200Cهای خانگی ${agency.id}` } });
    for (const typed of [`مراقبتهای خانگی ${agency.id}`, `مراقبت\u00ADهای خانگی ${agency.id}`]) {
      expect(await requestAdminHelp({ ip: newIp() }, askAdminSchema.parse({ providerCode: typed, loginName: staff.loginName }), QUICK)).toEqual({ status: 'accepted' });
    }
    expect(await db().helpRequest.count({ where: { agencyId: agency.id, userId: staff.id } })).toBe(2);
    // And its code pasted with a soft hyphen, or with a joiner between letters (review r36e F5).
    const code = `HARBOURCARE-${agency.id}`.toUpperCase();
    await db().agency.update({ where: { id: agency.id }, data: { code, codeKey: normalizeKey(code) } });
    for (const typed of [code.replace('HARBOUR', 'HARBOUR\u00AD'), code.replace('HARBOUR', 'HARBOUR\u200C')]) {
      expect(await requestAdminHelp({ ip: newIp() }, askAdminSchema.parse({ providerCode: typed, loginName: staff.loginName }), QUICK)).toEqual({ status: 'accepted' });
    }
    expect(await db().helpRequest.count({ where: { agencyId: agency.id, userId: staff.id } })).toBe(4);
  });

  it('[ANONYMOUS] a name two agencies share matches neither: same answer, nothing stored, nothing mailed', async () => {
    const first = await agencyWithAdmins();
    const second = await agencyWithAdmins();
    await db().agency.update({ where: { id: second.agency.id }, data: { name: first.agency.name } });
    const ip = newIp();
    expect(await requestAdminHelp({ ip }, input(first.agency.name, first.staff.loginName), QUICK)).toEqual({ status: 'accepted' });
    expect(await db().helpRequest.count({ where: { agencyId: { in: [first.agency.id, second.agency.id] } } })).toBe(0);
    expect(await mailsTo(first.suffix)).toHaveLength(0);
    expect(await mailsTo(second.suffix)).toHaveLength(0);
    expect(await db().auditEvent.findMany({ where: { ip, action: 'HELP_REQUEST_UNMATCHED' } })).toMatchObject([{ agencyId: null }]);
  });

  it('[ANONYMOUS] a name that is only part of an agency’s name, or another word, matches nothing', async () => {
    const { agency, staff, suffix } = await agencyWithAdmins();
    for (const typed of [agency.name.split(' ')[0]!, `${agency.name} Ltd`, agency.name.replaceAll(' ', '')]) {
      expect(await requestAdminHelp({ ip: newIp() }, input(typed, staff.loginName), QUICK)).toEqual({ status: 'accepted' });
    }
    expect(await db().helpRequest.count({ where: { agencyId: agency.id } })).toBe(0);
    expect(await mailsTo(suffix)).toHaveLength(0);
  });

  it('asking by name and by code count on the same per-account limit', async () => {
    const { agency, staff, suffix } = await agencyWithAdmins();
    const { limit } = RATE_LIMITS.helpRequestPerAccount;
    for (let i = 0; i < limit + 2; i++) {
      await requestAdminHelp({ ip: newIp() }, input(i % 2 ? agency.code : agency.name, staff.loginName), QUICK);
    }
    expect(await db().helpRequest.count({ where: { userId: staff.id } })).toBe(limit + 2);
    expect(await mailsTo(suffix)).toHaveLength(limit * 2);
  });

  it('takes at least the same minimum time whether or not the account exists, by code or by name', async () => {
    const { agency, staff } = await agencyWithAdmins();
    const shared = await agencyWithAdmins();
    await createAgency(db(), { name: shared.agency.name });
    for (const [agencyOrName, loginName] of [
      [agency.code, staff.loginName],
      [agency.code, 'nobody.here'],
      [agency.name, staff.loginName],
      ['No Such Agency Anywhere', staff.loginName],
      [shared.agency.name, shared.staff.loginName],
    ] as const) {
      const started = performance.now();
      expect(await requestAdminHelp({ ip: newIp() }, input(agencyOrName, loginName))).toEqual({ status: 'accepted' });
      // A few ms of slack for timer rounding: the floor is a sleep, not a measurement.
      expect(performance.now() - started).toBeGreaterThanOrEqual(ASK_ADMIN_MIN_DURATION_MS - 5);
    }
  });

  it('takes at least the same minimum time whether or not the account exists', async () => {
    const { agency, staff } = await agencyWithAdmins();
    for (const loginName of [staff.loginName, 'nobody.here']) {
      const started = performance.now();
      await requestAdminHelp({ ip: newIp() }, input(agency.code, loginName));
      // A few ms of slack for timer rounding: the floor is a sleep, not a measurement.
      expect(performance.now() - started).toBeGreaterThanOrEqual(ASK_ADMIN_MIN_DURATION_MS - 5);
    }
  });
});

describe('the ask-admin form’s input', () => {
  const parse = (values: Record<string, unknown>) => askAdminSchema.safeParse({ providerCode: 'ACME-NY', loginName: 'jsmith', ...values });

  it('makes the message optional and keeps line breaks, normalized', () => {
    expect(parse({}).data?.message).toBeNull();
    expect(parse({ message: '   ' }).data?.message).toBeNull();
    expect(parse({ message: ' Call me\r\nafter 3 ' }).data?.message).toBe('Call me\nafter 3');
  });

  it('bounds the message and refuses hidden characters in it', () => {
    expect(parse({ message: 'x'.repeat(500) }).success).toBe(true);
    expect(parse({ message: 'x'.repeat(501) }).error?.issues[0]?.message).toBe('Your message must be 500 characters or fewer');
    expect(parse({ message: 'evil\u202Etxt.exe' }).success).toBe(false);
    expect(parse({ message: 'bell\u0007' }).success).toBe(false);
    // Zero-width and direction marks hide or reorder what the admin reads; so do characters that draw nothing (review r35a F3).
    for (const hidden of ['\u200B', '\u200E', '\u200F', '\u2060', '\uFEFF', '\u2028', '\u2029', '\u034F', '\u3164', '\u2800', '\uE000']) {
      expect(parse({ message: `call${hidden}me` }).success, JSON.stringify(hidden)).toBe(false);
    }
    // A soft hyphen between letters is writing (one rule with the status page's texts), and hides no link: the address check reads past it.
    expect(parse({ message: 'call\u00ADme' }).success).toBe(true);
    expect(parse({ message: 'see carenotes\u00AD-help.example' }).success).toBe(false);
    expect(parse({ message: `help${'\u0300\u0301\u0302'.repeat(10)} me` }).error?.issues[0]?.message).toMatch(/^Your message has a letter with more accents or marks/);
    // What people type stays: line breaks, tabs, and emoji joined with a zero-width joiner.
    expect(parse({ message: 'line one\nline two\twith a tab \u{1F469}\u200D\u{1F4BB}' }).success).toBe(true);
  });

  it('refuses a web or e-mail address in the message, however it is hidden: it is mailed to the admins in CareNotes’ name', () => {
    for (const message of [
      'Reset it at https://carenotes-reset.example/acme',
      'see www.carenotes-help.example',
      'write to me@home.example',
      'ｃａｒｅｎｏｔｅｓ．ｃｏｍ',
      // Any top-level domain a mail program knows, and an IP address.
      'new password at carenotes-help.support',
      'acme-reset.ai',
      'reset.carenotes.gg please',
      'go to 203.0.113.7',
    ]) {
      expect(parse({ message }).error?.issues[0]?.message, message).toMatch(/^Leave out web and e-mail addresses/);
    }
    // A joiner with no letter after it is refused before any address is looked for.
    for (const message of ['go to carenotes-verify\u200D.example/id', 'reset at carenotes-help\u200D.com now']) {
      expect(parse({ message }).error?.issues[0]?.message, message).toMatch(/hidden character/);
    }
    // The refusal names what it found, so that a missed space is easy to mend.
    expect(parse({ message: 'I was locked out.It says wrong password' }).error?.issues[0]?.message).toContain('“out.It” would be a link');
    // What a locked-out person writes is kept: a login name, a file, a missed space, a phone number.
    for (const message of ['Locked out since Monday, call me on 512.555.0100 after 3.', 'My login name is jane.doe and I am locked out', 'I am locked out.Please help', 'I cannot open report.pdf', 'Mr.Smith told me to ask']) {
      expect(parse({ message }).success, message).toBe(true);
    }
  });

  it('asks for the provider code and login name with plain messages', () => {
    const result = askAdminSchema.safeParse({ providerCode: ' ', loginName: '' });
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      'Enter your provider code or your agency’s name',
      'Enter your login name',
    ]);
  });
});
