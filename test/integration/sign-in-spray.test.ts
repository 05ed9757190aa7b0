// PRODUCT.md, "Under attack": a spray over many accounts of one agency alerts its admins (at most hourly),
// shows a banner with a bulk unlock in the console, and slows the failing addresses without stopping
// people who sign in correctly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkUnlockUsers } from '@/lib/admin/bulk-unlock-users';
import { countFailureLocks, FAILURE_LOCKS_PER_UNLOCK, listFailureLocks } from '@/lib/admin/list-failure-locks';
import { verifyAuditChain } from '@/lib/audit/verify-chain';
import { resolveSession, type AgencyActor } from '@/lib/auth/session';
import { knowsAccount, rememberAccount, type KnownAccount } from '@/lib/auth/known-device';
import { signInAgencyUser, signInVendorAccount } from '@/lib/auth/sign-in';
import { listRecentSprayAlerts, sendDueSprayAlerts, SLOW_AFTER_ACCOUNTS } from '@/lib/auth/sign-in-velocity';
import { db } from '@/lib/db/client';
import { runStatusRound } from '@/lib/maintenance/maintenance-announcer';
import { totpCodeFor, totpStep } from '@/lib/mfa/totp';
import { verifySignInSecondFactor } from '@/lib/mfa/verify-sign-in-second-factor';
import { databaseKind } from '@/lib/db/kind';
import { normalizeKey } from '@/lib/validation/identifiers';
import { RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import { createSmtpTransport } from '@/lib/mail/transport';
import { deliverUntilEmpty } from '@/lib/mail/worker';
import { addTotpFactor, createAgency, createUser, createVendorAccount, uniqueSuffix } from '@/prisma/factories';
import { statementsOf } from '@/test/support/statements-of';
import { TAKE_AUDIT_HEAD, whileCompetingTransactionHolds } from '../support/competing-transaction';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';

/** A press of the banner's bulk unlock as drawn now: up to a press's worth of accounts, locked by then. */
const pressBulkUnlock = () => ({ confirm: 'yes' as const, shown: FAILURE_LOCKS_PER_UNLOCK, shownAt: Date.now() });

const PASSWORD = 'granite willow seven parcel';
const COMMON = ['Password1234', 'Welcome2026!', 'Summer2026!!'];
let sink: SmtpSink;
let ipBase = 0;
/** A block of addresses of its own for each test, so no test's addresses fail in another's counts. */
const addresses = (n: number) => {
  const block = ++ipBase;
  // 10.201 and up: the other files' own ranges (10.65, 10.66, 10.77, 10.99) stay out of reach whatever order files run in.
  return Array.from({ length: n }, (_, i) => `10.${200 + block}.${Math.floor(i / 250)}.${(i % 250) + 1}`);
};

beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink.stop();
});

async function signedIn(user: { loginName: string }, code: string, ip: string): Promise<AgencyActor> {
  const result = await signInAgencyUser({ providerCode: code, loginName: user.loginName, password: PASSWORD }, ip);
  if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
  return (await resolveSession(result.sessionId)) as AgencyActor;
}

/** Accounts of the agency made at once, their password hash copied from `like` (no password hashed for each). */
async function accountsLike(like: { agencyId: string; passwordHash: string }, loginNames: string[]) {
  await db().user.createMany({
    data: loginNames.map((loginName) => ({ agencyId: like.agencyId, loginName, loginKey: normalizeKey(loginName), displayName: loginName, nameKey: normalizeKey(loginName), passwordHash: like.passwordHash })),
  });
  return loginNames;
}

/** Runs the attempts `width` at a time, as a botnet would: many in flight at once. */
async function inParallel<T>(jobs: (() => Promise<T>)[], width = 12): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < jobs.length; i += width) results.push(...(await Promise.all(jobs.slice(i, i + width).map((job) => job()))));
  return results;
}

describe('a password spray over one agency', () => {
  it('[ATTACKER] spraying common passwords from rotating addresses: one alert mail per admin, banner, bulk unlock, and a right password still gets in', async () => {
    const suffix = uniqueSuffix();
    const agency = await createAgency(db(), { softLockThreshold: 3, name: `Spray Care ${suffix}` });
    const superAdmin = await createUser(db(), agency.id, PASSWORD, { role: 'SUPER_ADMIN', email: `owner.${suffix}@spray.example` });
    const admin = await createUser(db(), agency.id, PASSWORD, { role: 'PROVIDER_ADMIN', email: `admin.${suffix}@spray.example` });
    const staff = await Promise.all(Array.from({ length: 24 }, () => createUser(db(), agency.id, PASSWORD)));
    const bystander = await createUser(db(), agency.id, PASSWORD);
    const pool = addresses(30);
    const actor = await signedIn(admin, agency.code, '192.0.2.10');

    // Every staff account and the acting admin's own, three common passwords each, from 30 rotating addresses.
    const targets = [...staff, admin];
    const attempts = targets.flatMap((user, u) =>
      COMMON.map((password, p) => () => signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password }, pool[(u * 3 + p) % pool.length]!)),
    );
    const results = await inParallel(attempts);
    expect(results.every((r) => !r.ok)).toBe(true);

    // (a) one alert, sent by the status round (no failing request waits for it), mailed to each admin
    // with an address, read back from a real SMTP server.
    expect(await db().auditEvent.count({ where: { agencyId: agency.id, action: 'SIGN_IN_SPRAY_ALERTED' } })).toBe(0);
    expect((await runStatusRound(db())).sprayAlertsSent).toBeGreaterThanOrEqual(1);
    const alerts = await db().auditEvent.findMany({ where: { agencyId: agency.id, action: 'SIGN_IN_SPRAY_ALERTED' } });
    expect(alerts).toHaveLength(1);
    const queued = await db().outboxMessage.findMany({ where: { template: 'sign-in-spray-alert', toAddress: { endsWith: `.${suffix}@spray.example` } } });
    expect(queued.map((m) => m.toAddress).sort()).toEqual([admin.email, superAdmin.email].sort());
    await deliverUntilEmpty(db(), createSmtpTransport(sink.url));
    const mail = await sink.waitFor((m) => m.to.includes(superAdmin.email!) && m.subject.includes('Many failed sign-ins'));
    const stored = (await db().signInSprayAlert.findUniqueOrThrow({ where: { agencyId: agency.id } }));
    expect(stored.accounts).toBeGreaterThanOrEqual(10);
    expect(stored.accounts).toBe(targets.length);
    expect(mail.text).toContain(`${stored.attempts} sign-in attempts failed at ${agency.name}; they tried ${stored.accounts} of its accounts`);
    expect(mail.text).toMatch(/10\.\d+\.0\.\d+ \(\d+ attempts?\)/);
    expect(mail.text).not.toContain(COMMON[0]);
    // Operators see it on /vendor, figures only.
    const seen = (await listRecentSprayAlerts()).find((s) => s.agencyId === agency.id);
    expect(seen).toMatchObject({ agencyCode: agency.code, accounts: stored.accounts, attempts: stored.attempts });

    // (b) the banner's data: every sprayed account is locked, the admin's own among them.
    const locked = await listFailureLocks(actor);
    expect(locked.map((u) => u.id).sort()).toEqual(targets.map((u) => u.id).sort());
    const unlocked = await bulkUnlockUsers(actor, pressBulkUnlock(), '192.0.2.10');
    expect(unlocked).toEqual({ ok: true, value: { unlocked: staff.length, leftOwn: true, more: 0 } });
    const audits = await db().auditEvent.findMany({ where: { agencyId: agency.id, action: 'ADMIN_ACCOUNT_UNLOCKED' } });
    expect(audits.map((a) => a.targetId).sort()).toEqual(staff.map((u) => u.id).sort());
    expect(audits.every((a) => a.actorId === admin.id && JSON.parse(a.details!).bulk === true)).toBe(true);
    expect((await listFailureLocks(actor)).map((u) => u.id)).toEqual([admin.id]);

    // (c) people with the right password get in, from an address that failed here.
    expect((await signInAgencyUser({ providerCode: agency.code, loginName: bystander.loginName, password: PASSWORD }, pool[0]!)).ok).toBe(true);
    expect((await signInAgencyUser({ providerCode: agency.code, loginName: staff[3]!.loginName, password: PASSWORD }, pool[4]!)).ok).toBe(true);
    expect((await verifyAuditChain(db())).ok).toBe(true);
  }, 180_000);

  it('[ATTACKER] one address making up login names past the threshold alerts nobody; the agency’s own accounts, however typed, still do (review r55d F4)', async () => {
    const suffix = uniqueSuffix();
    const agency = await createAgency(db(), { name: `Made Up Care ${suffix}` });
    expect(agency.signInAlertThreshold).toBe(10);
    const owner = await createUser(db(), agency.id, PASSWORD, { role: 'SUPER_ADMIN', email: `owner.${suffix}@made-up.example` });
    const [ip] = addresses(1);
    const fail = (loginName: string) => signInAgencyUser({ providerCode: agency.code, loginName, password: COMMON[0] }, ip!);
    const alerted = async () => [
      await db().signInSprayAlert.count({ where: { agencyId: agency.id } }),
      await db().auditEvent.count({ where: { agencyId: agency.id, action: 'SIGN_IN_SPRAY_ALERTED' } }),
      await db().outboxMessage.count({ where: { template: 'sign-in-spray-alert', toAddress: owner.email! } }),
    ];

    // Eleven names no account has (slowed after five, the refusals counted under the names typed all the same).
    for (let i = 0; i < 11; i++) await fail(`made.up.${suffix}.${i}`);
    expect(await db().signInFailingAccount.count({ where: { agencyKey: agency.id } })).toBe(11);
    await sendDueSprayAlerts(db());
    expect(await alerted()).toEqual([0, 0, 0]);

    // Nine of its accounts as well, typed in capitals with spaces around (sign-in takes them so): twenty names, nine accounts.
    const names = await accountsLike(owner, Array.from({ length: 10 }, (_, i) => `Staff.${suffix}.${i}`));
    for (const name of names.slice(0, 9)) await fail(` ${name.toUpperCase()} `);
    await sendDueSprayAlerts(db());
    expect(await alerted()).toEqual([0, 0, 0]);
    // The tenth account: alerted, the figures counting accounts, not names made up.
    await fail(names[9]!);
    await sendDueSprayAlerts(db());
    expect(await alerted()).toEqual([1, 1, 1]);
    expect(await db().signInSprayAlert.findUniqueOrThrow({ where: { agencyId: agency.id } })).toMatchObject({ accounts: 10, attempts: 21 });
    const mail = await db().outboxMessage.findFirstOrThrow({ where: { template: 'sign-in-spray-alert', toAddress: owner.email! } });
    expect(mail.textBody).toContain(`21 sign-in attempts failed at ${agency.name}; they tried 10 of its accounts`);
  }, 120_000);

  it.runIf(databaseKind(process.env.DATABASE_URL!) === 'postgresql')(
    'bulk unlock takes each account in a transaction of its own: no deadlock with a change that takes one of them, then audits',
    async () => {
      const agency = await createAgency(db(), { softLockThreshold: 3 });
      const admin = await createUser(db(), agency.id, PASSWORD, { role: 'PROVIDER_ADMIN' });
      const actor = await signedIn(admin, agency.code, '192.0.2.11');
      const staff = await Promise.all([1, 2].map(() => createUser(db(), agency.id, PASSWORD)));
      const now = new Date();
      await db().user.updateMany({
        where: { id: { in: staff.map((u) => u.id) } },
        data: { failedSignInCount: 3, lastFailedSignInAt: now, lockedUntil: new Date(now.getTime() + 15 * 60_000) },
      });
      const [, second] = await listFailureLocks(actor);
      // Another admin's change to the account bulk unlock reaches second (as unlocking it alone would do).
      const unlocked = await whileCompetingTransactionHolds(
        { holds: { sql: 'SELECT "id" FROM "User" WHERE "id" = $1 FOR UPDATE', params: [second!.id] }, then: TAKE_AUDIT_HEAD },
        () => bulkUnlockUsers(actor, pressBulkUnlock(), '192.0.2.11'),
      );
      expect(unlocked).toEqual({ ok: true, value: { unlocked: 2, leftOwn: false, more: 0 } });
      expect(await listFailureLocks(actor)).toEqual([]);
    },
  );

  it('[PROVIDER_ADMIN] a spray that locked more accounts than one press takes: each press unlocks a bounded number, and says how many are left (review r31e F2)', async () => {
    const agency = await createAgency(db());
    const admin = await createUser(db(), agency.id, PASSWORD, { role: 'PROVIDER_ADMIN' });
    const actor = await signedIn(admin, agency.code, '192.0.2.12');
    const now = new Date();
    const LOCKED = FAILURE_LOCKS_PER_UNLOCK + 7;
    // Inserted whole (no password hashed for each): what a spray over a large agency leaves.
    await db().user.createMany({
      data: Array.from({ length: LOCKED }, (_, i) => ({
        agencyId: agency.id,
        displayName: `Sprayed ${i}`,
        nameKey: `sprayed ${i}`,
        loginName: `sprayed${i}.${agency.id}`,
        loginKey: `sprayed${i}.${agency.id}`,
        passwordHash: 'not used to sign in',
        failedSignInCount: 5,
        lastFailedSignInAt: now,
        lockedUntil: new Date(now.getTime() + 15 * 60_000),
      })),
    });
    expect(await countFailureLocks(actor)).toEqual({ total: LOCKED, ownAmongThem: false });
    expect(await bulkUnlockUsers(actor, pressBulkUnlock(), '192.0.2.12')).toEqual({ ok: true, value: { unlocked: FAILURE_LOCKS_PER_UNLOCK, leftOwn: false, more: 7 } });
    expect(await bulkUnlockUsers(actor, pressBulkUnlock(), '192.0.2.12')).toEqual({ ok: true, value: { unlocked: 7, leftOwn: false, more: 0 } });
    expect(await countFailureLocks(actor)).toEqual({ total: 0, ownAmongThem: false });
    expect(await db().auditEvent.count({ where: { agencyId: agency.id, action: 'ADMIN_ACCOUNT_UNLOCKED' } })).toBe(LOCKED);
  }, 120_000);

  it('[PROVIDER_ADMIN] a bulk unlock unlocks what its banner showed: no more accounts than it counted, none locked after (review r34b F1, r34e F1)', async () => {
    const agency = await createAgency(db());
    const admin = await createUser(db(), agency.id, PASSWORD, { role: 'PROVIDER_ADMIN' });
    const actor = await signedIn(admin, agency.code, '192.0.2.13');
    const shownAt = Date.now();
    const lockAt = async (at: Date) => {
      const user = await createUser(db(), agency.id, PASSWORD);
      return db().user.update({
        where: { id: user.id },
        data: { failedSignInCount: 5, firstFailedSignInAt: new Date(shownAt - 120_000), lastFailedSignInAt: at, lockedUntil: new Date(at.getTime() + 15 * 60_000) },
      });
    };
    const before = await Promise.all([1, 2, 3].map(() => lockAt(new Date(shownAt - 60_000))));
    // Its streak had begun when the banner was drawn; the failure that locked it came after (a spray
    // goes on; a reload sends the form again).
    const after = await lockAt(new Date(shownAt + 1_000));
    // The banner offered two of the three (a press's worth, as drawn).
    const first = await bulkUnlockUsers(actor, { confirm: 'yes', shown: 2, shownAt }, '192.0.2.13');
    expect(first).toEqual({ ok: true, value: { unlocked: 2, leftOwn: false, more: 2 } });
    const second = await bulkUnlockUsers(actor, { confirm: 'yes', shown: 2, shownAt }, '192.0.2.13');
    expect(second).toEqual({ ok: true, value: { unlocked: 1, leftOwn: false, more: 1 } });
    const stillLocked = await listFailureLocks(actor);
    expect(stillLocked.map((user) => user.id)).toEqual([after.id]);
    expect(await db().auditEvent.count({ where: { targetId: { in: before.map((user) => user.id) }, action: 'ADMIN_ACCOUNT_UNLOCKED' } })).toBe(3);
  });

  it('alerts at most once an hour per agency, even with the rounds of several instances at once', async () => {
    const suffix = uniqueSuffix();
    const agency = await createAgency(db(), { signInAlertThreshold: 3 });
    const owner = await createUser(db(), agency.id, PASSWORD, { role: 'SUPER_ADMIN', email: `owner.${suffix}@hourly.example` });
    const names = await accountsLike(owner, Array.from({ length: 50 }, (_, i) => `hourly.${suffix}.${i}`));
    const pool = addresses(40);
    const spray = (n: number, from: number) =>
      Promise.all(
        Array.from({ length: n }, (_, i) =>
          signInAgencyUser({ providerCode: agency.code, loginName: names[from + i]!, password: COMMON[0] }, pool[(from + i) % pool.length]!),
        ),
      );
    const rounds = () => Promise.all([1, 2, 3].map(() => sendDueSprayAlerts(db())));
    await spray(20, 0);
    await rounds();
    await spray(20, 20);
    await rounds();
    const count = () => db().auditEvent.count({ where: { agencyId: agency.id, action: 'SIGN_IN_SPRAY_ALERTED' } });
    const mails = () => db().outboxMessage.count({ where: { template: 'sign-in-spray-alert', toAddress: `owner.${suffix}@hourly.example` } });
    expect(await count()).toBe(1);
    expect(await mails()).toBe(1);
    // An hour later, by the alert's own record, the next round may alert again, once.
    await db().signInSprayAlert.update({ where: { agencyId: agency.id }, data: { sentAt: new Date(Date.now() - 61 * 60_000) } });
    await spray(10, 40);
    await rounds();
    expect(await count()).toBe(2);
    expect(await mails()).toBe(2);
  }, 120_000);

  it('[ATTACKER] the failure that crosses a real agency\'s alert threshold does the same work as the one before it: no answer tells the code exists (review r32b)', async () => {
    const agency = await createAgency(db(), { signInAlertThreshold: 3 });
    // Accounts of the agency: only those count toward its threshold (review r55d F4).
    const names = await accountsLike(await createUser(db(), agency.id, PASSWORD), [0, 1, 2].map((i) => `crossing.${agency.id}.${i}`));
    const pool = addresses(4);
    const fail = (i: number) => () => signInAgencyUser({ providerCode: agency.code, loginName: names[i]!, password: COMMON[0] }, pool[i]!);
    const statementsOfFailure = async (failure: () => Promise<unknown>) => {
      const { probe, sent } = await statementsOf(failure);
      await probe.$disconnect();
      return sent.map((query) => query.sql);
    };
    await fail(0)();
    const beforeTheThreshold = await statementsOfFailure(fail(1));
    const crossing = await statementsOfFailure(fail(2));
    expect(crossing).toEqual(beforeTheThreshold);
    expect(await db().auditEvent.count({ where: { agencyId: agency.id, action: 'SIGN_IN_SPRAY_ALERTED' } })).toBe(0);
    // The round alerts; a made-up code, however sprayed, names no agency to alert.
    expect(await sendDueSprayAlerts(db())).toBeGreaterThanOrEqual(1);
    expect(await db().auditEvent.count({ where: { agencyId: agency.id, action: 'SIGN_IN_SPRAY_ALERTED' } })).toBe(1);
  });

  it('[OFFICE] 300 staff behind one address, many mistyping once: nobody is slowed, no alert', async () => {
    const agency = await createAgency(db(), { signInAlertThreshold: 10 });
    const office = addresses(1)[0]!;
    const people = await Promise.all(Array.from({ length: 30 }, () => createUser(db(), agency.id, PASSWORD)));
    for (const person of people) {
      const creds = { providerCode: agency.code, loginName: person.loginName, password: PASSWORD };
      expect(await signInAgencyUser({ ...creds, password: `${PASSWORD}x` }, office)).toEqual({ ok: false, reason: 'INVALID' });
      expect((await signInAgencyUser(creds, office)).ok).toBe(true);
    }
    // 270 more sign in at once, straight away (same password hash, to spare 270 hashings in the setup).
    const names = Array.from({ length: 270 }, (_, i) => `office.${uniqueSuffix()}.${i}`);
    await db().user.createMany({
      data: names.map((loginName) => ({ agencyId: agency.id, loginName, loginKey: loginName, displayName: loginName, passwordHash: people[0]!.passwordHash })),
    });
    const rest = names.map((loginName) => ({ loginName }));
    const results = await inParallel(rest.map((p) => () => signInAgencyUser({ providerCode: agency.code, loginName: p.loginName, password: PASSWORD }, office)), 30);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await db().auditEvent.count({ where: { agencyId: agency.id, action: 'SIGN_IN_SPRAY_ALERTED' } })).toBe(0);
    expect(await db().signInAddressFailure.count({ where: { agencyKey: agency.id } })).toBe(0);
  }, 180_000);
});

describe('slowing an address that fails across accounts of one agency', () => {
  it('[ATTACKER] one address failing on distinct accounts is told to wait, without a password check, and only in that agency', async () => {
    const agency = await createAgency(db());
    const other = await createAgency(db());
    const [ip] = addresses(1);
    const user = await createUser(db(), agency.id, PASSWORD);
    const elsewhere = await createUser(db(), other.id, PASSWORD);
    for (let i = 0; i < SLOW_AFTER_ACCOUNTS; i++) {
      expect(await signInAgencyUser({ providerCode: agency.code, loginName: `guess.${i}`, password: COMMON[0] }, ip!)).toEqual({ ok: false, reason: 'INVALID' });
    }
    // As if the last check were this instant: a loaded machine may take longer than the first 1 s wait per sign-in.
    await db().signInAddressCheck.update({ where: { key: `${agency.id}/${ip}` }, data: { lastCheckedAt: new Date(Date.now() + 60_000) } });
    const slowed = await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: PASSWORD }, ip!);
    expect(slowed).toMatchObject({ ok: false, reason: 'THROTTLED' });
    expect(slowed.ok === false && slowed.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    // No password was checked: the account's counter did not move.
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).failedSignInCount).toBe(0);
    // Same address, another agency: not slowed.
    expect((await signInAgencyUser({ providerCode: other.code, loginName: elsewhere.loginName, password: PASSWORD }, ip!)).ok).toBe(true);
    // Other encodings of the same agency and name meet the same slowing (NFKC, case, spaces).
    const fancy = await signInAgencyUser({ providerCode: ` ${agency.code.toLowerCase()} `, loginName: ` GUESS.9 `, password: COMMON[1] }, ip!);
    expect(fancy).toMatchObject({ ok: false, reason: 'THROTTLED' });

    // Once the wait has passed (moved back in the database, not slept), the right password gets in.
    await db().signInAddressCheck.update({ where: { key: `${agency.id}/${ip}` }, data: { lastCheckedAt: new Date(Date.now() - 5 * 60_000) } });
    expect((await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: PASSWORD }, ip!)).ok).toBe(true);
  }, 120_000);

  it('[ATTACKER] waits grow with each further account, and refused attempts do not restart the wait', async () => {
    const agency = await createAgency(db());
    const [ip] = addresses(1);
    const wait = async (name: string) => {
      const result = await signInAgencyUser({ providerCode: agency.code, loginName: name, password: COMMON[0] }, ip!);
      return result.ok ? 0 : (result.retryAfterSeconds ?? 0);
    };
    const back = (ms: number) => db().signInAddressCheck.update({ where: { key: `${agency.id}/${ip}` }, data: { lastCheckedAt: new Date(Date.now() - ms) } });
    for (let i = 0; i < SLOW_AFTER_ACCOUNTS; i++) await wait(`a.${i}`);
    // Each wait is read as if the last check were AHEAD from now: a loaded machine may take longer than the first
    // 1 s between a check and the next attempt, which would shorten the wait read (or end it).
    const AHEAD = 30;
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      await back(-AHEAD * 1000);
      waits.push((await wait(`b.${i}`)) - AHEAD); // refused: a new account name counts for the address
      await back(10 * 60_000 - 60_000); // the wait has passed, the failures stay within 10 minutes
      expect(await wait(`c.${i}`)).toBe(0); // checked (and failed)
    }
    // Within the seconds the machine took between the moved check and the attempt.
    for (const [i, seconds] of [1, 4, 16, 60].entries()) {
      expect(waits[i]).toBeGreaterThan(seconds - 3);
      expect(waits[i]).toBeLessThanOrEqual(seconds);
    }
    // Hammering while slowed leaves the wait where the last checked failure put it.
    const first = await wait('d.0');
    for (let i = 0; i < 10; i++) await wait('d.0');
    expect(await wait('d.0')).toBeLessThanOrEqual(first);
  }, 120_000);
});

describe('a known device at a slowed address', () => {
  it('[OFFICE] a colleague whose browser has signed in before gets in at a slowed address, and past its limit; other browsers wait', async () => {
    const agency = await createAgency(db());
    const [office] = addresses(1);
    const colleague = await createUser(db(), agency.id, PASSWORD);
    const other = await createUser(db(), agency.id, PASSWORD);
    const colleaguesBrowser = rememberAccount(undefined, { kind: 'user', id: colleague.id, version: colleague.sessionVersion });
    const knownBy = (cookie: string) => (account: KnownAccount) => knowsAccount(cookie, account);
    const signIn = (user: { loginName: string }, knows?: (account: KnownAccount) => boolean, password = PASSWORD) =>
      signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password }, office!, knows);
    // A machine in the office sprays the agency, the colleague's name among others: the address is slowed.
    await signIn(colleague, undefined, COMMON[0]);
    for (let i = 1; i < SLOW_AFTER_ACCOUNTS; i++) await signIn({ loginName: `spray.${i}` }, undefined, COMMON[0]);
    await db().signInAddressCheck.update({ where: { key: `${agency.id}/${office}` }, data: { lastCheckedAt: new Date(Date.now() + 60_000) } });

    expect(await signIn(colleague)).toMatchObject({ ok: false, reason: 'THROTTLED' });
    expect(await signIn(colleague, knownBy(rememberAccount(undefined, { kind: 'user', id: other.id, version: other.sessionVersion })))).toMatchObject({
      ok: false,
      reason: 'THROTTLED',
    });
    expect(await signIn(colleague, knownBy(`${colleaguesBrowser.slice(0, -2)}xx`))).toMatchObject({ ok: false, reason: 'THROTTLED' });
    const failingAccounts = () => db().signInAddressFailure.count({ where: { ip: office! } });
    const failingBefore = await failingAccounts();
    expect(await signIn(colleague, knownBy(colleaguesBrowser))).toMatchObject({ ok: true, account: { kind: 'user', id: colleague.id } });
    // The colleague's check did not end, shorten or restart the spray's wait: the spray's failure on
    // the colleague's name stays counted.
    expect(await failingAccounts()).toBe(failingBefore);
    const spray = await signIn({ loginName: 'spray.next' }, undefined, COMMON[0]);
    expect(spray.ok === false && spray.retryAfterSeconds).toBeGreaterThanOrEqual(30);

    // Past the address's failure limit too.
    const rule = RATE_LIMITS.signInFailuresPerAddress;
    await db().rateLimitBucket.update({ where: { key: `${rule.name}:${office}` }, data: { count: rule.limit + 5 } });
    expect(await signIn(colleague)).toEqual({ ok: false, reason: 'THROTTLED' });
    expect((await signIn(colleague, knownBy(colleaguesBrowser))).ok).toBe(true);
    // Its success gave back only its own count.
    expect((await db().rateLimitBucket.findUniqueOrThrow({ where: { key: `${rule.name}:${office}` } })).count).toBe(rule.limit + 5);
    // Once the colleague's sessions are revoked (a password changed or reset), that browser is a stranger again.
    await db().user.update({ where: { id: colleague.id }, data: { sessionVersion: { increment: 1 } } });
    expect(await signIn(colleague, knownBy(colleaguesBrowser))).toEqual({ ok: false, reason: 'THROTTLED' });
  }, 120_000);

  it('[ATTACKER with a stolen device cookie] it is worth one account’s guesses at that account’s pace, counted as always', async () => {
    const agency = await createAgency(db(), { softLockThreshold: 3 });
    const [ip] = addresses(1);
    const victim = await createUser(db(), agency.id, PASSWORD);
    const stolen = rememberAccount(undefined, { kind: 'user', id: victim.id, version: victim.sessionVersion });
    const knows = (account: KnownAccount) => knowsAccount(stolen, account);
    for (let i = 0; i < SLOW_AFTER_ACCOUNTS; i++) await signInAgencyUser({ providerCode: agency.code, loginName: `warm.${i}`, password: COMMON[0] }, ip!);
    await db().signInAddressCheck.update({ where: { key: `${agency.id}/${ip}` }, data: { lastCheckedAt: new Date(Date.now() + 60_000) } });
    const guesses = [];
    for (const guess of COMMON) guesses.push(await signInAgencyUser({ providerCode: agency.code, loginName: victim.loginName, password: guess }, ip!, knows));
    expect(guesses).toEqual([{ ok: false, reason: 'INVALID' }, { ok: false, reason: 'INVALID' }, { ok: false, reason: 'INVALID' }]);
    // On the account's streak for known devices (decision 065), at the same thresholds.
    const account = await db().user.findUniqueOrThrow({ where: { id: victim.id } });
    expect(account.knownDeviceFailedCount).toBe(3);
    expect(account.knownDeviceLockedUntil!.getTime()).toBeGreaterThan(Date.now());
    // Locked: even the right password is refused now from a browser holding the token.
    expect(await signInAgencyUser({ providerCode: agency.code, loginName: victim.loginName, password: PASSWORD }, ip!, knows)).toEqual({ ok: false, reason: 'INVALID' });
    // Each checked guess counted for the address, as a failure anywhere does.
    expect(await db().auditEvent.count({ where: { targetId: victim.id, action: 'SIGN_IN_FAILURE' } })).toBe(4);
  }, 120_000);
});

describe('a known device at an address past its limit, at the vendor sign-in', () => {
  it('[VENDOR STAFF] the browser that signed in as the account gets in; a staff account of the same id, a forged token or a revoked one does not', async () => {
    const [ip] = addresses(1);
    const verifier = await createVendorAccount(db(), 'VERIFIER', PASSWORD);
    const account = { kind: 'vendor', id: verifier.id, version: verifier.sessionVersion } as const;
    const knownBy = (cookie: string) => (each: KnownAccount) => knowsAccount(cookie, each);
    const signIn = (knows?: (each: KnownAccount) => boolean) => signInVendorAccount({ email: verifier.email, password: PASSWORD }, ip!, knows);
    const rule = RATE_LIMITS.signInFailuresPerAddress;
    await db().rateLimitBucket.create({ data: { key: `${rule.name}:${ip}`, count: rule.limit + 5, windowStart: new Date() } });

    expect(await signIn()).toEqual({ ok: false, reason: 'THROTTLED' });
    // The token names the kind: a staff account's token with the vendor account's id is not this account's.
    expect(await signIn(knownBy(rememberAccount(undefined, { ...account, kind: 'user' })))).toEqual({ ok: false, reason: 'THROTTLED' });
    const browser = rememberAccount(undefined, account);
    expect(await signIn(knownBy(`${browser.slice(0, -2)}xx`))).toEqual({ ok: false, reason: 'THROTTLED' });
    expect(await signIn(knownBy(browser))).toMatchObject({ ok: true, account });
    await db().vendorAccount.update({ where: { id: verifier.id }, data: { sessionVersion: { increment: 1 } } });
    expect(await signIn(knownBy(browser))).toEqual({ ok: false, reason: 'THROTTLED' });
  }, 120_000);
});

describe('a known device at an address past its limit, at the second factor', () => {
  it('[PROVIDER_ADMIN] the browser that signed in as the admin gets past the code step too; another browser’s right code waits', async () => {
    const [ip] = addresses(1);
    const agency = await createAgency(db());
    const admin = await createUser(db(), agency.id, PASSWORD, { role: 'PROVIDER_ADMIN' });
    const secret = await addTotpFactor(db(), { userId: admin.id });
    const browser = rememberAccount(undefined, { kind: 'user', id: admin.id, version: admin.sessionVersion });
    const knows = (account: KnownAccount) => knowsAccount(browser, account);
    const rule = RATE_LIMITS.signInFailuresPerAddress;
    await db().rateLimitBucket.create({ data: { key: `${rule.name}:${ip}`, count: rule.limit + 5, windowStart: new Date() } });
    const pendingActor = async () => {
      const result = await signInAgencyUser({ providerCode: agency.code, loginName: admin.loginName, password: PASSWORD }, ip!, knows);
      if (!result.ok || !result.secondFactorPending) throw new Error(`no pending session: ${JSON.stringify(result)}`);
      return (await resolveSession(result.sessionId))!;
    };
    const now = await totpCodeFor(secret, totpStep(new Date()));
    const next = await totpCodeFor(secret, totpStep(new Date()) + 1);

    // A browser that never signed in as the admin (the spraying machine's) is told to wait, right code or not.
    expect(await verifySignInSecondFactor(await pendingActor(), { code: now }, ip!)).toEqual({ ok: false, reason: 'THROTTLED' });
    expect(await verifySignInSecondFactor({ ...(await pendingActor()), fromKnownBrowser: true }, { code: now }, ip!)).toMatchObject({ ok: true });
    // Counted all the same: a wrong code there counts on the account, on its streak for known devices (decision 065).
    const wrong = ['000000', '111111', '222222'].find((code) => code !== now && code !== next)!;
    expect(await verifySignInSecondFactor({ ...(await pendingActor()), fromKnownBrowser: true }, { code: wrong }, ip!)).toEqual({ ok: false, reason: 'WRONG_CODE' });
    expect(await db().user.findUniqueOrThrow({ where: { id: admin.id } })).toMatchObject({ knownDeviceFailedCount: 1, failedSignInCount: 0 });
  }, 120_000);
});

describe('bursts from one address', () => {
  it('[ATTACKER] a slowed address sending 30 parallel guesses over 30 accounts gets one check when its wait is over', async () => {
    const agency = await createAgency(db());
    const [ip] = addresses(1);
    for (let i = 0; i < SLOW_AFTER_ACCOUNTS + 3; i++) {
      await signInAgencyUser({ providerCode: agency.code, loginName: `warmup.${i}`, password: COMMON[0] }, ip!);
    }
    // The wait (8 s or more by now) has just passed, as far as the database knows.
    await db().signInAddressCheck.update({ where: { key: `${agency.id}/${ip}` }, data: { lastCheckedAt: new Date(Date.now() - 10 * 60_000 + 30_000) } });
    const before = await db().auditEvent.count({ where: { agencyId: agency.id, ip, action: 'SIGN_IN_FAILURE' } });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => signInAgencyUser({ providerCode: agency.code, loginName: `burst.${i}`, password: COMMON[0] }, ip!)),
    );
    const checked = (await db().auditEvent.count({ where: { agencyId: agency.id, ip, action: 'SIGN_IN_FAILURE' } })) - before;
    expect(checked).toBe(1);
    expect(results.filter((r) => !r.ok && r.reason === 'THROTTLED')).toHaveLength(29);
  }, 120_000);

  it('[ATTACKER] a slowed address’s refusals count on its limit: past it, new made-up names add no rows at all', async () => {
    const agency = await createAgency(db());
    const [ip] = addresses(1);
    for (let i = 0; i < SLOW_AFTER_ACCOUNTS; i++) await signInAgencyUser({ providerCode: agency.code, loginName: `warm.${i}`, password: COMMON[0] }, ip!);
    // As if the last check were a minute ahead: a loaded machine may take longer than the first 1 s wait.
    await db().signInAddressCheck.update({ where: { key: `${agency.id}/${ip}` }, data: { lastCheckedAt: new Date(Date.now() + 60_000) } });
    const rule = RATE_LIMITS.signInFailuresPerAddress;
    const rows = () => Promise.all([db().signInAddressFailure.count({ where: { ip } }), db().signInFailingAccount.count({ where: { agencyKey: agency.id } })]);
    for (let i = 0; i < rule.limit + 20; i++) {
      const answer = await signInAgencyUser({ providerCode: agency.code, loginName: `made.up.${i}`, password: COMMON[0] }, ip!);
      expect(answer).toMatchObject({ ok: false, reason: 'THROTTLED' });
    }
    // Each refusal while slowed counted on the address (one row per new name), until the limit; none after.
    const [addressRows, accountRows] = await rows();
    expect(addressRows).toBeLessThanOrEqual(rule.limit);
    expect(accountRows).toBeLessThanOrEqual(rule.limit);
    expect((await db().rateLimitBucket.findUniqueOrThrow({ where: { key: `${rule.name}:${ip}` } })).count).toBeGreaterThanOrEqual(rule.limit);
  }, 120_000);

  it('[ATTACKER] a parallel burst at the per-address limit gets exactly the attempts left, in any agency', async () => {
    const agencies = await Promise.all([createAgency(db()), createAgency(db())]);
    const [ip] = addresses(1);
    const rule = RATE_LIMITS.signInFailuresPerAddress;
    await db().rateLimitBucket.create({ data: { key: `${rule.name}:${ip}`, windowStart: new Date(), count: rule.limit - 3 } });
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        signInAgencyUser({ providerCode: agencies[i % 2]!.code, loginName: `limit.${i % 4}`, password: COMMON[0] }, ip!),
      ),
    );
    const checked = await db().auditEvent.count({ where: { ip, action: 'SIGN_IN_FAILURE' } });
    expect(checked).toBe(3);
    expect(results.filter((r) => !r.ok && r.reason === 'THROTTLED')).toHaveLength(13);
  }, 120_000);
});

describe('bulk unlock permissions', () => {
  it('[STAFF] cannot bulk unlock; [PROVIDER_ADMIN] of another agency unlocks nothing here; two admins at once audit each account once', async () => {
    const agency = await createAgency(db(), { softLockThreshold: 3 });
    const other = await createAgency(db());
    const adminA = await createUser(db(), agency.id, PASSWORD, { role: 'PROVIDER_ADMIN' });
    const adminB = await createUser(db(), agency.id, PASSWORD, { role: 'SUPER_ADMIN' });
    const staff = await createUser(db(), agency.id, PASSWORD);
    const foreign = await createUser(db(), other.id, PASSWORD, { role: 'SUPER_ADMIN' });
    const [ip] = addresses(1);
    const actorA = await signedIn(adminA, agency.code, ip!);
    const actorB = await signedIn(adminB, agency.code, ip!);
    const staffActor = await signedIn(staff, agency.code, ip!);
    const foreignActor = await signedIn(foreign, other.code, ip!);
    const victims = await Promise.all(
      Array.from({ length: 6 }, () => createUser(db(), agency.id, PASSWORD, { lockedUntil: new Date(Date.now() + 600_000), failedSignInCount: 3 })),
    );
    await db().user.updateMany({ where: { id: { in: victims.map((v) => v.id) } }, data: { lastFailedSignInAt: new Date() } });

    expect(await bulkUnlockUsers(staffActor, pressBulkUnlock(), ip!)).toMatchObject({ ok: false });
    expect(await bulkUnlockUsers(foreignActor, pressBulkUnlock(), ip!)).toEqual({ ok: true, value: { unlocked: 0, leftOwn: false, more: 0 } });
    const [a, b] = await Promise.all([bulkUnlockUsers(actorA, pressBulkUnlock(), ip!), bulkUnlockUsers(actorB, pressBulkUnlock(), ip!)]);
    expect((a.ok ? a.value.unlocked : 0) + (b.ok ? b.value.unlocked : 0)).toBe(victims.length);
    const audits = await db().auditEvent.findMany({ where: { action: 'ADMIN_ACCOUNT_UNLOCKED', targetId: { in: victims.map((v) => v.id) } } });
    expect(audits).toHaveLength(victims.length);
    expect(await db().auditEvent.count({ where: { actorId: staff.id, action: 'ADMIN_ACTION_DENIED' } })).toBe(1);
  });
});
