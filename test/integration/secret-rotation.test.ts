// Rotating NEXTAUTH_SECRET: what was made under the old secret (queued reset mail, authenticator
// seeds, links in mail already sent) keeps working while it is NEXTAUTH_SECRET_PREVIOUS, and after
// `npm run secrets:reseal` the previous secret can go. This process runs under the old secret (the
// suite's); "after the rotation" is real worker and command processes started with the new one,
// and use cases loaded afresh under the new configuration.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { db } from '@/lib/db/client';
import { enqueueMailBatch } from '@/lib/mail/outbox';
import { renderMail } from '@/lib/mail/render';
import { statusAlertMail } from '@/lib/mail/templates/status-alert';
import { isSealed } from '@/lib/mail/seal';
import { replaceRecoveryCodes } from '@/lib/mfa/recovery-codes';
import { totpCodeFor, totpStep } from '@/lib/mfa/totp';
import { unsubscribePath } from '@/lib/status/subscription-token';
import { approveRequest } from '@/lib/super-admin/approve-request';
import { addTotpFactor, createAgency, createUser, uniqueSuffix } from '@/prisma/factories';
import { loadModulesWith, NEW_SECRET, STRANGER_SECRET } from '../support/secrets';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { confirmedSubscribers } from './status-support';
import { expectOk, NEW_PASSWORD, PASSWORD, someIp, vendorActor, verifiedRequest } from './super-admin-fixtures';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const OLD = process.env.NEXTAUTH_SECRET!;
const NEW = NEW_SECRET;
const STRANGER = STRANGER_SECRET;
const WIPED = '[removed after delivery]';

type Secrets = { current: string; previous?: string };
const ROTATED: Secrets = { current: NEW, previous: OLD };
const DROPPED: Secrets = { current: NEW };

function envWith(secrets: Secrets) {
  const env: NodeJS.ProcessEnv = { ...process.env, SMTP_URL: sink.url, NEXTAUTH_SECRET: secrets.current };
  delete env.NEXTAUTH_SECRET_PREVIOUS;
  if (secrets.previous) env.NEXTAUTH_SECRET_PREVIOUS = secrets.previous;
  return env;
}

/** `npm run mail:worker -- --until-empty` in a process of its own, started with these secrets: its output and exit code. */
async function deliverAs(secrets: Secrets): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await run(path.join(root, 'node_modules/.bin/tsx'), ['scripts/mail-worker.ts', '--until-empty'], { cwd: root, env: envWith(secrets) });
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    if (typeof failed.code !== 'number') throw error;
    return failed;
  }
}

/** `npm run secrets:reseal` with these secrets: its output and exit code. */
async function resealAs(secrets: Secrets): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(path.join(root, 'node_modules/.bin/tsx'), ['scripts/secrets-reseal.ts'], { cwd: root, env: envWith(secrets) });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout + failed.stderr };
  }
}

const loaded: Array<{ db(): { $disconnect(): Promise<void> } }> = [];

/** The use cases as an app instance started with these secrets runs them. */
async function appStartedWith(secrets: Secrets) {
  await loadModulesWith(secrets.current, secrets.previous);
  const app = {
    ...(await import('@/lib/mfa/consume-second-factor')),
    ...(await import('@/lib/status/manage-subscription')),
    ...(await import('@/lib/password-reset/reset-password-with-link')),
    ...(await import('@/lib/mail/seal')),
  };
  loaded.push(await import('@/lib/db/client'));
  vi.unstubAllEnvs();
  return app;
}

// Each test sees only its own messages in the queue.
async function drainQueue() {
  await db().outboxMessage.updateMany({ where: { status: 'PENDING' }, data: { status: 'SENT' } });
}

/** A reset link the system mails on approval, queued (sealed) under the old secret. */
async function resetLinkQueued() {
  const verified = await verifiedRequest();
  await expectOk(approveRequest(await vendorActor(), { requestId: verified.request.id }, someIp()));
  const queued = await db().outboxMessage.findFirstOrThrow({ where: { toAddress: verified.admin.email!, template: 'reset-link' } });
  expect(isSealed(queued.textBody) && isSealed(queued.htmlBody)).toBe(true);
  return { ...verified, queued };
}

async function linkDelivered(to: string): Promise<string> {
  const mail = await sink.waitFor((m) => m.to.includes(to) && /\/reset\//.test(m.text));
  return /\/reset\/([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
}

async function adminWithApp() {
  const agency = await createAgency(db());
  const admin = await createUser(db(), agency.id, PASSWORD, { role: 'PROVIDER_ADMIN', email: `rot.${uniqueSuffix()}@example.test` });
  const secret = await addTotpFactor(db(), { userId: admin.id });
  return { owner: { kind: 'user' as const, id: admin.id }, secret };
}

const codeNow = (secret: string) => totpCodeFor(secret, totpStep(new Date()));

let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  // Leave every stored value under the suite's secret again, for the files that run after this one.
  expect((await resealAs({ current: OLD, previous: NEW })).code).toBe(0);
  await sink.stop();
  for (const client of loaded) await client.db().$disconnect();
});
beforeEach(async () => {
  await drainQueue();
  sink.received.length = 0;
});

describe('rotating NEXTAUTH_SECRET with NEXTAUTH_SECRET_PREVIOUS', () => {
  it('[SUPER_ADMIN] a reset link queued under the old secret is delivered after the rotation, and it works', async () => {
    const { admin, queued } = await resetLinkQueued();
    expect((await deliverAs(ROTATED)).code).toBe(0);
    const token = await linkDelivered(admin.email!);
    expect(await db().outboxMessage.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({ status: 'SENT', textBody: WIPED, htmlBody: WIPED });
    const app = await appStartedWith(ROTATED);
    expect(await app.resetPasswordWithLink(token, NEW_PASSWORD, NEW_PASSWORD, someIp())).toMatchObject({ ok: true });
  });

  it('a queued reset mail is not delivered by a worker that knows neither its secret, nothing of it leaks, and it is not counted against the mail', async () => {
    const { admin, queued } = await resetLinkQueued();
    const before = Date.now();
    const { code, stderr } = await deliverAs(DROPPED);
    expect(stderr).toMatch(/[1-9]\d* queued message\(s\) would not open/);
    expect(code).toBe(1);
    const after = await db().outboxMessage.findUniqueOrThrow({ where: { id: queued.id } });
    // Counted, six such rounds made the link dead before a worker with the right secret came by (review r34h L2).
    expect(after).toMatchObject({ status: 'PENDING', attempts: 0, leaseOwner: null, textBody: queued.textBody });
    expect(after.nextAttemptAt.getTime()).toBeGreaterThan(before + 30_000);
    expect(after.lastError).toMatch(/neither NEXTAUTH_SECRET nor NEXTAUTH_SECRET_PREVIOUS/);
    expect(sink.received.filter((m) => m.to.includes(admin.email!))).toEqual([]);
    // Put back as the old secret's, it goes out on the next round.
    await db().outboxMessage.update({ where: { id: queued.id }, data: { nextAttemptAt: new Date() } });
    expect((await deliverAs(ROTATED)).code).toBe(0);
    await linkDelivered(admin.email!);
  });

  it('[PROVIDER_ADMIN] an authenticator app enrolled under the old secret still verifies after the rotation, each code once', async () => {
    const { owner, secret } = await adminWithApp();
    const app = await appStartedWith(ROTATED);
    const code = await codeNow(secret);
    expect(await app.proveSecondFactor(owner, { code }, 'no session')).toMatchObject({ ok: true, kind: 'TOTP' });
    expect(await app.proveSecondFactor(owner, { code }, 'no session')).toEqual({ ok: false });
  });

  it('[ANONYMOUS] an unsubscribe link signed under the old secret still stops the alerts; one signed under an unknown secret does not', async () => {
    const [email] = await confirmedSubscribers(1, 'rotation');
    const { id } = await db().statusSubscriber.findFirstOrThrow({ where: { email } });
    const tokenIn = (link: string) => new URLSearchParams(link.split('?')[1]).get('t')!;
    const oldLink = unsubscribePath(id);
    await appStartedWith({ current: STRANGER });
    const strangerLink = (await import('@/lib/status/subscription-token')).unsubscribePath(id);
    expect(tokenIn(strangerLink)).not.toBe(tokenIn(oldLink));

    const app = await appStartedWith(ROTATED);
    expect(await app.unsubscribeStatusSubscriber(id, tokenIn(strangerLink))).toBe(false);
    expect((await db().statusSubscriber.findUniqueOrThrow({ where: { id } })).unsubscribedAt).toBeNull();
    expect(await app.unsubscribeStatusSubscriber(id, tokenIn(oldLink))).toBe(true);
    expect((await db().statusSubscriber.findUniqueOrThrow({ where: { id } })).unsubscribedAt).not.toBeNull();
  });

  it('after secrets:reseal the previous secret can go: queued mail is delivered and works, authenticators verify', async () => {
    const { admin, queued } = await resetLinkQueued();
    const { owner, secret } = await adminWithApp();
    const seedBefore = (await db().mfaFactor.findFirstOrThrow({ where: { userId: owner.id } })).secret;

    const first = await resealAs(ROTATED);
    expect(first.code, first.stdout).toBe(0);
    expect(first.stdout).toMatch(/queued mail bodies: \d+ checked, [1-9]\d* sealed again/);
    expect(first.stdout).toMatch(/authenticator-app secrets: \d+ checked, [1-9]\d* sealed again/);
    const resealed = await db().outboxMessage.findUniqueOrThrow({ where: { id: queued.id } });
    expect(resealed.textBody).not.toBe(queued.textBody);
    expect(isSealed(resealed.textBody) && isSealed(resealed.htmlBody)).toBe(true);
    expect((await db().mfaFactor.findFirstOrThrow({ where: { userId: owner.id } })).secret).not.toBe(seedBefore);
    // Idempotent: a second run finds everything under the current secret already.
    const second = await resealAs(ROTATED);
    expect(second.stdout).toMatch(/queued mail bodies: \d+ checked, 0 sealed again under the current secret, 0 unreadable/);
    expect(second.stdout).toMatch(/authenticator-app secrets: \d+ checked, 0 sealed again under the current secret, 0 unreadable/);
    expect(await db().outboxMessage.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({ textBody: resealed.textBody });
    expect(await db().auditEvent.count({ where: { action: 'STORED_SECRETS_RESEALED' } })).toBeGreaterThanOrEqual(2);

    // NEXTAUTH_SECRET_PREVIOUS removed.
    expect((await deliverAs(DROPPED)).code).toBe(0);
    const token = await linkDelivered(admin.email!);
    const app = await appStartedWith(DROPPED);
    expect(await app.proveSecondFactor(owner, { code: await codeNow(secret) }, 'no session')).toMatchObject({ ok: true });
    expect(await app.resetPasswordWithLink(token, NEW_PASSWORD, NEW_PASSWORD, someIp())).toMatchObject({ ok: true });
  });

  it('[PROVIDER_ADMIN] recovery codes made before the rotation pass while it is the previous secret, and after secrets:reseal without it, each once (review r55g F2)', async () => {
    const { owner } = await adminWithApp();
    const codes = await db().$transaction((tx) => replaceRecoveryCodes(tx, owner));
    const storedBefore = await db().recoveryCode.findMany({ where: { userId: owner.id } });
    const rotated = await appStartedWith(ROTATED);
    expect(await rotated.proveSecondFactor(owner, { code: codes[0]! }, 'no session')).toMatchObject({ ok: true, kind: 'RECOVERY_CODE' });

    const reseal = await resealAs(ROTATED);
    expect(reseal.code, reseal.stdout).toBe(0);
    expect(reseal.stdout).toMatch(/unused recovery codes: \d+ checked, [1-9]\d* sealed again under the current secret, 0 unreadable/);
    const storedAfter = await db().recoveryCode.findMany({ where: { userId: owner.id } });
    for (const row of storedAfter) {
      const before = storedBefore.find((old) => old.id === row.id)!;
      // A used code is never compared again: left as it was.
      expect(row.codeHash === before.codeHash).toBe(row.usedAt !== null);
    }

    const dropped = await appStartedWith(DROPPED);
    expect(await dropped.proveSecondFactor(owner, { code: codes[1]! }, 'no session')).toMatchObject({ ok: true, kind: 'RECOVERY_CODE' });
    expect(await dropped.proveSecondFactor(owner, { code: codes[1]! }, 'no session')).toEqual({ ok: false });
    expect(await dropped.proveSecondFactor(owner, { code: codes[0]! }, 'no session')).toEqual({ ok: false });
  });

  it('[ANONYMOUS] a queued status alert keeps its unsubscribe header sealed through secrets:reseal, and a worker without the previous secret sends it whole', async () => {
    const [email] = await confirmedSubscribers(1, 'rotation-header');
    const { id } = await db().statusSubscriber.findFirstOrThrow({ where: { email } });
    const content = { template: 'status-alert-rotation', subject: 'Sign-in is slow', paragraphs: ['We are looking into it.'] };
    await db().$transaction((tx) => enqueueMailBatch(tx, [statusAlertMail(email!, content, { subscriberId: id, unsubscribePath: unsubscribePath(id) })]));
    const queued = await db().outboxMessage.findFirstOrThrow({ where: { toAddress: email, template: content.template } });
    expect(isSealed(queued.headers!) && isSealed(queued.textBody)).toBe(true);

    const reseal = await resealAs(ROTATED);
    expect(reseal.code, reseal.stdout).toBe(0);
    const resealed = await db().outboxMessage.findUniqueOrThrow({ where: { id: queued.id } });
    expect(resealed.headers).not.toBe(queued.headers);
    expect(isSealed(resealed.headers!)).toBe(true);

    expect((await deliverAs(DROPPED)).code).toBe(0);
    const mail = await sink.waitFor((m) => m.to.includes(email!));
    const list = mail.headers.get('list') as { unsubscribe?: { url?: string } } | undefined;
    const link = new URL(list!.unsubscribe!.url!);
    expect(link.pathname + link.search).toBe(unsubscribePath(id));
    expect(await db().outboxMessage.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({ status: 'SENT', headers: null });
    // Its link was signed when it was queued, under the old secret (decision 049: such links work while it is the previous one).
    const app = await appStartedWith(ROTATED);
    expect(await app.unsubscribeStatusSubscriber(id, link.searchParams.get('t')!)).toBe(true);
  });

  it('secrets:reseal leaves a changed value alone, names it and fails; no worker delivers it', async () => {
    const { queued } = await resetLinkQueued();
    const { owner } = await adminWithApp();
    const factor = await db().mfaFactor.findFirstOrThrow({ where: { userId: owner.id } });
    const flip = (sealed: string, prefix: string) => {
      const raw = Buffer.from(sealed.slice(prefix.length), 'base64');
      raw[raw.length - 1]! ^= 0x01;
      return prefix + raw.toString('base64');
    };
    const [code] = await db().$transaction((tx) => replaceRecoveryCodes(tx, owner));
    const recovery = await db().recoveryCode.findFirstOrThrow({ where: { userId: owner.id } });
    await db().recoveryCode.deleteMany({ where: { userId: owner.id, id: { not: recovery.id } } });
    const changedBody = flip(queued.textBody, 'sealed:v1:');
    const changedSeed = flip(factor.secret!, 'mfa:v1:');
    const changedCode = flip(recovery.codeHash, 'rc:v1:');
    await db().outboxMessage.update({ where: { id: queued.id }, data: { textBody: changedBody } });
    await db().mfaFactor.update({ where: { id: factor.id }, data: { secret: changedSeed } });
    await db().recoveryCode.update({ where: { id: recovery.id }, data: { codeHash: changedCode } });
    try {
      const report = await resealAs(ROTATED);
      expect(report.code).toBe(1);
      expect(report.stdout).toContain(`unreadable: ${queued.id}`);
      expect(report.stdout).toContain(`unreadable: ${factor.id}`);
      expect(report.stdout).toContain(`unreadable: ${recovery.id}`);
      expect((await db().recoveryCode.findUniqueOrThrow({ where: { id: recovery.id } })).codeHash).toBe(changedCode);
      expect(await db().outboxMessage.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({ textBody: changedBody, htmlBody: queued.htmlBody });
      expect((await db().mfaFactor.findUniqueOrThrow({ where: { id: factor.id } })).secret).toBe(changedSeed);
      expect((await deliverAs(ROTATED)).code).toBe(1);
      expect(await db().outboxMessage.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({ status: 'PENDING', attempts: 0, lastError: expect.stringMatching(/neither/) });
      expect(sink.received.filter((m) => /\/reset\//.test(m.text))).toEqual([]);
      const app = await appStartedWith(ROTATED);
      await expect(app.proveSecondFactor(owner, { code: '123456' }, 'no session')).rejects.toThrow(/neither/);
      await expect(app.proveSecondFactor(owner, { code: code! }, 'no session')).rejects.toThrow(/neither/);
    } finally {
      // Nothing can open them: out of the way of the suite's last reseal.
      await db().outboxMessage.delete({ where: { id: queued.id } });
      await db().mfaFactor.delete({ where: { id: factor.id } });
      await db().recoveryCode.deleteMany({ where: { userId: owner.id } });
    }
  });

  it('secrets:reseal never brings back a body that a worker wiped after reading it (each write is conditional)', async () => {
    const tag = uniqueSuffix();
    const mails = Array.from({ length: 3 }, (_, i) => ({
      template: 'rotation-wiped',
      to: `wiped.${i}.${tag}@example.test`,
      sensitive: true,
      ...renderMail({ subject: `Wiped ${i}`, paragraphs: [`secret body ${i}`] }),
    }));
    await db().$transaction((tx) => enqueueMailBatch(tx, mails));
    const ours = new Set(mails.map((m) => m.to));
    // The worker delivers and wipes each message between the command's read and its write.
    const outbox = db().outboxMessage;
    const racing = new Proxy(db(), {
      get(target, prop) {
        if (prop === 'outboxMessage') {
          return {
            findMany: async (args: Parameters<typeof outbox.findMany>[0]) => {
              const rows = await outbox.findMany({ ...args, select: { ...args!.select, toAddress: true } });
              const wiped = rows.filter((row) => ours.has(row.toAddress)).map((row) => row.id);
              await outbox.updateMany({ where: { id: { in: wiped } }, data: { status: 'SENT', textBody: WIPED, htmlBody: WIPED } });
              return rows;
            },
            updateMany: (args: Parameters<typeof outbox.updateMany>[0]) => outbox.updateMany(args),
          };
        }
        const value = Reflect.get(target, prop);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await appStartedWith(ROTATED);
    const { resealStoredSecrets } = await import('@/lib/secrets/reseal-stored-secrets');
    const report = await resealStoredSecrets(racing, 'test');
    expect(report.outboxBodies.unreadable).toEqual([]);
    const rows = await db().outboxMessage.findMany({ where: { toAddress: { in: [...ours] } } });
    expect(rows.map((row) => [row.textBody, row.htmlBody])).toEqual(mails.map(() => [WIPED, WIPED]));
  });

  it('secrets:reseal while a worker delivers the same queue: every message goes out once, intact, and none is left sealed after delivery', async () => {
    const tag = uniqueSuffix();
    const mails = Array.from({ length: 150 }, (_, i) => ({
      template: 'rotation-race',
      to: `race.${i}.${tag}@example.test`,
      sensitive: true,
      ...renderMail({ subject: `Race ${i}`, paragraphs: [`secret body ${i} ${tag}`] }),
    }));
    await db().$transaction((tx) => enqueueMailBatch(tx, mails));
    const [reseal] = await Promise.all([resealAs(ROTATED), deliverAs(ROTATED)]);
    expect(reseal.code, reseal.stdout).toBe(0);
    // What the reseal wrote before the worker claimed a message is delivered by a last round.
    expect((await deliverAs(ROTATED)).code).toBe(0);
    expect(sink.received).toHaveLength(150);
    for (const [i, mail] of mails.entries()) {
      expect(sink.received.filter((m) => m.to.includes(mail.to)).map((m) => m.text.includes(`secret body ${i} ${tag}`))).toEqual([true]);
    }
    const rows = await db().outboxMessage.findMany({ where: { template: 'rotation-race', toAddress: { in: mails.map((m) => m.to) } } });
    expect(rows.every((row) => row.status === 'SENT' && row.textBody === WIPED && row.htmlBody === WIPED)).toBe(true);
  }, 120_000);
});
