import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { recordAuditAlone } from '@/lib/audit/record';
import { SECOND_FACTOR_PENDING_MS, SESSION_ABSOLUTE_MS } from '@/lib/auth/session';
import { sealFactorSecret } from '@/lib/mfa/secret-box';
import { newTotpSecret } from '@/lib/mfa/totp';
import { db } from '@/lib/db/client';
import { PRUNE_BATCH_SIZE } from '@/lib/housekeeping/delete-in-batches';
import { ENDED_SESSION_KEPT_MS, pruneExpiredRows, RESET_LINK_KEPT_MS, runHousekeeping, SENT_MAIL_KEPT_MS } from '@/lib/housekeeping/prune-expired-rows';
import { RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import { createAgency, createUser } from '@/prisma/factories';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * 60 * MINUTE;
const ago = (ms: number) => new Date(Date.now() - ms);

function mail(id: string, status: 'PENDING' | 'SENT' | 'DEAD' | 'WITHDRAWN', sentAt: Date | null, createdAt = new Date(), bulk = false) {
  return db().outboxMessage.create({
    data: { id, template: 'test', toAddress: 'someone@example.test', subject: 's', textBody: 't', htmlBody: 'h', status, sentAt, createdAt, bulk },
  });
}

describe('housekeeping', () => {
  beforeEach(async () => {
    await db().periodicJob.deleteMany();
  });

  it('prunes expired rate-limit windows by each rule’s own length and keeps running ones', async () => {
    const tag = randomUUID();
    const short = RATE_LIMITS.tokenPagePerAddress; // 15 min
    const long = RATE_LIMITS.helpRequestPerAddress; // 1 h
    await db().rateLimitBucket.createMany({
      data: [
        { key: `${short.name}:${tag}-expired`, windowStart: ago(short.windowMs + MINUTE), count: 3 },
        { key: `${short.name}:${tag}-running`, windowStart: ago(MINUTE), count: 3 },
        // Half an hour old: expired for a 15-minute rule, still counting for this one-hour one.
        { key: `${long.name}:${tag}-running`, windowStart: ago(30 * MINUTE), count: 1 },
      ],
    });
    const report = await pruneExpiredRows(db());
    expect(report.rateLimitBuckets).toBeGreaterThanOrEqual(1);
    const left = await db().rateLimitBucket.findMany({ where: { key: { contains: tag } }, select: { key: true } });
    expect(left.map((row) => row.key).sort()).toEqual([`${long.name}:${tag}-running`, `${short.name}:${tag}-running`].sort());
  });

  it('prunes the window a passwordless sign-in start counted for an address, once it has ended (review r34c F1)', async () => {
    const { startPasskeySignIn } = await import('@/lib/mfa/start-passkey-assertion');
    const address = `192.0.2.${Math.floor(Math.random() * 250) + 1}-${randomUUID()}`;
    expect(await startPasskeySignIn(address)).not.toBeNull();
    const where = { key: { endsWith: address } };
    expect(await db().rateLimitBucket.count({ where })).toBe(1);
    await db().rateLimitBucket.updateMany({ where, data: { windowStart: ago(RATE_LIMITS.passkeySignInChallengesPerAddress.windowMs + MINUTE) } });
    await pruneExpiredRows(db());
    expect(await db().rateLimitBucket.count({ where })).toBe(0);
  });

  it('prunes a backlog larger than one batch, a batch at a time', async () => {
    const tag = randomUUID();
    const rule = RATE_LIMITS.tokenPagePerAddress;
    const count = PRUNE_BATCH_SIZE * 2 + 17;
    await db().rateLimitBucket.createMany({
      data: Array.from({ length: count }, (_, i) => ({ key: `${rule.name}:${tag}-${i}`, windowStart: ago(DAY), count: 1 })),
    });
    await pruneExpiredRows(db());
    expect(await db().rateLimitBucket.count({ where: { key: { contains: tag } } })).toBe(0);
  });

  it('prunes sessions ended an hour ago and outlived ones, keeps live ones and those just ended', async () => {
    const agency = await createAgency(db());
    const user = await createUser(db(), agency.id, 'quiet meadow copper bicycle');
    const ended = await db().authSession.create({ data: { userId: user.id, sessionVersion: 0, endedAt: ago(ENDED_SESSION_KEPT_MS + MINUTE) } });
    const justEnded = await db().authSession.create({ data: { userId: user.id, sessionVersion: 0, endedAt: ago(MINUTE) } });
    const outlived = await db().authSession.create({ data: { userId: user.id, sessionVersion: 0, createdAt: ago(SESSION_ABSOLUTE_MS + MINUTE), lastSeenAt: ago(MINUTE) } });
    const live = await db().authSession.create({ data: { userId: user.id, sessionVersion: 0, createdAt: ago(SESSION_ABSOLUTE_MS - 5 * MINUTE) } });
    await pruneExpiredRows(db());
    const left = await db().authSession.findMany({ where: { userId: user.id }, select: { id: true } });
    expect(left.map((row) => row.id).sort()).toEqual([live.id, justEnded.id].sort());
    expect(ended.id).not.toBe(outlived.id);
  });

  it('prunes a code step never finished an hour after its ten minutes, not a whole session as old (review r54b F1)', async () => {
    const agency = await createAgency(db());
    const user = await createUser(db(), agency.id, 'quiet meadow copper bicycle');
    const pending = (createdAt: Date) => db().authSession.create({ data: { userId: user.id, sessionVersion: 0, secondFactorPending: true, createdAt } });
    await pending(ago(SECOND_FACTOR_PENDING_MS + ENDED_SESSION_KEPT_MS + MINUTE));
    const ranOutLately = await pending(ago(SECOND_FACTOR_PENDING_MS + ENDED_SESSION_KEPT_MS - MINUTE));
    const whole = await db().authSession.create({ data: { userId: user.id, sessionVersion: 0, createdAt: ago(SECOND_FACTOR_PENDING_MS + ENDED_SESSION_KEPT_MS + MINUTE) } });
    await pruneExpiredRows(db());
    const left = await db().authSession.findMany({ where: { userId: user.id }, select: { id: true } });
    expect(left.map((row) => row.id).sort()).toEqual([ranOutLately.id, whole.id].sort());
  });

  it('prunes mail sent (or withdrawn, counted from its queueing) more than 30 days ago, never mail still due or dead', async () => {
    const tag = randomUUID();
    await mail(`${tag}-old`, 'SENT', ago(SENT_MAIL_KEPT_MS + DAY), ago(40 * DAY));
    await mail(`${tag}-recent`, 'SENT', ago(SENT_MAIL_KEPT_MS - DAY), ago(40 * DAY));
    await mail(`${tag}-pending`, 'PENDING', null, ago(40 * DAY));
    await mail(`${tag}-dead`, 'DEAD', null, ago(40 * DAY));
    await mail(`${tag}-withdrawn-old`, 'WITHDRAWN', null, ago(SENT_MAIL_KEPT_MS + DAY));
    await mail(`${tag}-withdrawn-recent`, 'WITHDRAWN', null, ago(SENT_MAIL_KEPT_MS - DAY));
    await pruneExpiredRows(db());
    const left = await db().outboxMessage.findMany({ where: { id: { startsWith: tag } }, select: { id: true } });
    expect(left.map((row) => row.id).sort()).toEqual([`${tag}-dead`, `${tag}-pending`, `${tag}-recent`, `${tag}-withdrawn-recent`]);
  });

  it('prunes dead bulk mail (a confirmation a mail server refused) queued more than 30 days ago; keeps dead mail for one person (review r55d I1)', async () => {
    const tag = randomUUID();
    await mail(`${tag}-bulk-old`, 'DEAD', null, ago(SENT_MAIL_KEPT_MS + DAY), true);
    await mail(`${tag}-bulk-recent`, 'DEAD', null, ago(SENT_MAIL_KEPT_MS - DAY), true);
    await mail(`${tag}-bulk-pending`, 'PENDING', null, ago(SENT_MAIL_KEPT_MS + DAY), true);
    await mail(`${tag}-personal-old`, 'DEAD', null, ago(SENT_MAIL_KEPT_MS + DAY));
    expect((await pruneExpiredRows(db())).sentMail).toBeGreaterThanOrEqual(1);
    const left = await db().outboxMessage.findMany({ where: { id: { startsWith: tag } }, select: { id: true } });
    expect(left.map((row) => row.id).sort()).toEqual([`${tag}-bulk-pending`, `${tag}-bulk-recent`, `${tag}-personal-old`]);
  });

  it('prunes reset tokens once past the time their mail is kept, used, expired or not, and abandoned enrolments; keeps the rest (review r53e F1)', async () => {
    const agency = await createAgency(db());
    const user = await createUser(db(), agency.id, 'quiet meadow copper bicycle');
    const token = (hash: string, createdAt: Date, expiresAt: Date, usedAt: Date | null = null) =>
      db().passwordResetToken.create({ data: { userId: user.id, tokenHash: `${user.id}-${hash}`, purpose: 'ADMIN_LINK', createdAt, expiresAt, usedAt } });
    const old = ago(RESET_LINK_KEPT_MS + DAY);
    const oldUsed = await token('old used', old, new Date(old.getTime() + DAY), new Date(old.getTime() + MINUTE));
    const oldExpired = await token('old expired', old, new Date(old.getTime() + DAY));
    // Dead, but recent: the console still says what became of them.
    const used = await token('used', ago(HOUR), new Date(Date.now() + DAY), ago(MINUTE));
    const expired = await token('expired', ago(2 * DAY), ago(MINUTE));
    const live = await token('live', ago(MINUTE), new Date(Date.now() + DAY));
    const factor = (name: string, createdAt: Date, confirmedAt: Date | null) =>
      db().mfaFactor.create({ data: { userId: user.id, kind: 'TOTP', name, secret: sealFactorSecret(newTotpSecret()), createdAt, confirmedAt } });
    await factor('abandoned', ago(2 * DAY), null);
    await factor('in progress', ago(MINUTE), null);
    await factor('confirmed long ago', ago(300 * DAY), ago(300 * DAY));

    await pruneExpiredRows(db());
    const tokens = await db().passwordResetToken.findMany({ where: { userId: user.id }, select: { id: true } });
    expect(tokens.map((row) => row.id).sort()).toEqual([used.id, expired.id, live.id].sort());
    expect(tokens.map((row) => row.id)).not.toContain(oldUsed.id);
    expect(tokens.map((row) => row.id)).not.toContain(oldExpired.id);
    const factors = await db().mfaFactor.findMany({ where: { userId: user.id }, select: { name: true }, orderBy: { name: 'asc' } });
    expect(factors.map((row) => row.name)).toEqual(['confirmed long ago', 'in progress']);
  });

  it('prunes expired passkey challenges, more than a batch of them, and keeps live ones', async () => {
    const tag = randomUUID();
    const count = PRUNE_BATCH_SIZE * 2 + 17;
    await db().webAuthnChallenge.createMany({
      data: [
        ...Array.from({ length: count }, (_, i) => ({ challenge: `${tag}-expired-${i}`, purpose: 'SIGN_IN' as const, expiresAt: ago(MINUTE) })),
        { challenge: `${tag}-live`, purpose: 'SECOND_FACTOR' as const, sessionId: tag, expiresAt: new Date(Date.now() + MINUTE) },
      ],
    });
    const report = await pruneExpiredRows(db());
    expect(report.passkeyChallenges).toBeGreaterThanOrEqual(count);
    const left = await db().webAuthnChallenge.findMany({ where: { challenge: { startsWith: tag } }, select: { challenge: true } });
    expect(left.map((row) => row.challenge)).toEqual([`${tag}-live`]);
  });

  it('prunes the keys of forms sent more than a day ago, and keeps newer ones', async () => {
    const tag = randomUUID();
    await db().sentForm.createMany({ data: [{ key: `${tag}-old`, createdAt: ago(2 * DAY) }, { key: `${tag}-new`, createdAt: ago(MINUTE) }] });
    expect((await pruneExpiredRows(db())).sentForms).toBeGreaterThanOrEqual(1);
    const left = await db().sentForm.findMany({ where: { key: { startsWith: tag } }, select: { key: true } });
    expect(left.map((row) => row.key)).toEqual([`${tag}-new`]);
  });

  it('prunes sign-in velocity rows older than a day', async () => {
    const tag = randomUUID();
    const row = (suffix: string, at: Date) => ({ key: `${tag}/${suffix}`, agencyKey: tag, ip: '192.0.2.1', accountKey: suffix, attempts: 1, firstFailedAt: at, lastFailedAt: at });
    await db().signInAddressFailure.createMany({ data: [row('old', ago(2 * DAY)), row('new', ago(MINUTE))] });
    await db().signInFailingAccount.createMany({
      data: [
        { key: `${tag}/old`, agencyKey: tag, lastFailedAt: ago(2 * DAY) },
        { key: `${tag}/new`, agencyKey: tag, lastFailedAt: ago(MINUTE) },
      ],
    });
    await db().signInAddressCheck.createMany({
      data: [
        { key: `${tag}/old`, lastCheckedAt: ago(2 * DAY) },
        { key: `${tag}/new`, lastCheckedAt: ago(MINUTE) },
      ],
    });
    const report = await pruneExpiredRows(db());
    expect(report.signInVelocity).toBeGreaterThanOrEqual(3);
    const where = { key: { startsWith: tag } };
    const select = { key: true } as const;
    const left = await Promise.all([
      db().signInAddressFailure.findMany({ where, select }),
      db().signInFailingAccount.findMany({ where, select }),
      db().signInAddressCheck.findMany({ where, select }),
    ]);
    expect(left.map((rows) => rows.map((r) => r.key))).toEqual([[`${tag}/new`], [`${tag}/new`], [`${tag}/new`]]);
  });

  it('never prunes audit records', async () => {
    await recordAuditAlone(db(), { actorType: 'SYSTEM', action: 'HOUSEKEEPING_TEST', outcome: 'SUCCESS' });
    const before = await db().auditEvent.count();
    await pruneExpiredRows(db(), new Date(Date.now() + 10_000 * DAY));
    expect(await db().auditEvent.count()).toBe(before);
  });

  it('runs on one instance at a time, then not again until due', async () => {
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => runHousekeeping(db())));
    expect(outcomes.filter((o) => o !== null)).toHaveLength(1);
    expect(await runHousekeeping(db())).toBeNull();
    expect(await runHousekeeping(db(), new Date(Date.now() + 11 * MINUTE))).not.toBeNull();
    const job = await db().periodicJob.findUniqueOrThrow({ where: { name: 'housekeeping' } });
    expect(job.leaseToken).toBeNull();
  });

  it('takes over a run whose instance died holding the lease, once the lease runs out', async () => {
    await db().periodicJob.create({ data: { name: 'housekeeping', leaseToken: 'gone', leaseUntil: new Date(Date.now() + 60_000), nextRunAt: ago(MINUTE) } });
    expect(await runHousekeeping(db())).toBeNull();
    expect(await runHousekeeping(db(), new Date(Date.now() + 2 * MINUTE))).not.toBeNull();
  });
});
