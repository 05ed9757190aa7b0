// An admin who mails a reset link sees, beside the user, whether that mail went out (review r52b F4):
// sending only queues it, and the worker may retry it for hours or give up. Real SMTP servers on
// loopback, the real worker, the use case the page calls.
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getUserForAdmin } from '@/lib/admin/get-user-for-admin';
import { issueTemporaryPassword } from '@/lib/admin/issue-temporary-password';
import { sendResetLink } from '@/lib/admin/send-reset-link';
import { resolveSession, type AgencyActor } from '@/lib/auth/session';
import { signInAgencyUser } from '@/lib/auth/sign-in';
import { db } from '@/lib/db/client';
import { formatDateTime } from '@/lib/format/date';
import { pruneExpiredRows } from '@/lib/housekeeping/prune-expired-rows';
import { createSmtpTransport, type MailTransport } from '@/lib/mail/transport';
import { deliverDueMessages, deliverUntilEmpty, MAX_ATTEMPTS } from '@/lib/mail/worker';
import type { Role } from '@/lib/generated/sqlite/enums';
import { logger } from '@/lib/observability/logger.mjs';
import { createAgency, createUser, uniqueSuffix } from '@/prisma/factories';
import { withSmtpSink } from '../support/with-smtp-sink';

const PASSWORD = 'granite willow ocean falcon';
const IP = '192.0.2.31';

async function member(agencyId: string, role: Role, displayName: string) {
  return createUser(db(), agencyId, PASSWORD, { role, displayName, email: `u.${uniqueSuffix()}@agency.example` });
}

async function actorFor(agency: { code: string }, user: { loginName: string }): Promise<AgencyActor> {
  const result = await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: PASSWORD }, IP);
  if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
  return (await resolveSession(result.sessionId)) as AgencyActor;
}

/** Agency A (in New York, so the words carry its zone) with an admin and staff; agency B with an admin of its own. */
async function agencies() {
  const a = await createAgency(db(), { name: 'Agency Alpha' });
  await db().agency.update({ where: { id: a.id }, data: { timeZone: 'America/New_York' } });
  const b = await createAgency(db(), { name: 'Agency Beta' });
  const admin = await member(a.id, 'PROVIDER_ADMIN', 'Pat Admin');
  const staff = await member(a.id, 'STAFF', 'Sam Staff');
  const foreignAdmin = await member(b.id, 'PROVIDER_ADMIN', 'Fay Foreign');
  return { staff, adminActor: await actorFor(a, admin), foreignActor: await actorFor(b, foreignAdmin) };
}

async function sendLink(actor: AgencyActor, userId: string) {
  expect(await sendResetLink(actor, { userId }, IP)).toMatchObject({ ok: true });
  return db().passwordResetToken.findFirstOrThrow({ where: { userId, purpose: 'ADMIN_LINK' }, orderBy: { createdAt: 'desc' } });
}

const relay = withSmtpSink();
// Every test starts with an empty queue, so a worker round only sees that test's messages.
beforeEach(async () => {
  await db().outboxMessage.updateMany({ where: { status: 'PENDING' }, data: { status: 'SENT' } });
  // The worker logs each refusal; what it logs is mail-outbox.test.ts's to check.
  vi.spyOn(logger, 'warn').mockImplementation(() => {});
  vi.spyOn(logger, 'error').mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** A mail server that refuses every recipient for good ("550 no such user"): the address on record is wrong. */
let refusing: SMTPServer;
let refusingSmtp: MailTransport;
beforeAll(async () => {
  refusing = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      callback(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }));
    },
  });
  await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', () => resolve()));
  const { port } = refusing.server.address() as { port: number };
  refusingSmtp = createSmtpTransport(`smtp://127.0.0.1:${port}`);
});
afterAll(async () => {
  refusingSmtp.close();
  await new Promise<void>((resolve) => refusing.close(() => resolve()));
});

describe('a reset link’s delivery beside the user', () => {
  it('[PROVIDER_ADMIN] sees the link they mailed queued, then sent once the worker handed it to the mail server, and never the link', async () => {
    const { staff, adminActor } = await agencies();
    const token = await sendLink(adminActor, staff.id);
    const mail = await db().outboxMessage.findUniqueOrThrow({ where: { id: token.mailId! } });
    expect(mail).toMatchObject({ template: 'reset-link', toAddress: staff.email, status: 'PENDING' });

    const queued = (await getUserForAdmin(adminActor, staff.id))!.resetLink;
    expect(queued).toEqual({
      state: 'open',
      issuedAt: token.createdAt,
      issuedBy: 'Pat Admin',
      expiresAt: token.expiresAt,
      usedAt: null,
      endedAt: null,
      delivery: { state: 'queued', words: `Queued for e-mail at ${formatDateTime(mail.createdAt, 'America/New_York')}; not sent yet.` },
    });

    await deliverUntilEmpty(db(), relay.smtp);
    const received = await relay.sink.waitFor((m) => m.to.includes(staff.email!));
    const sentAt = (await db().outboxMessage.findUniqueOrThrow({ where: { id: mail.id } })).sentAt!;
    const detail = await getUserForAdmin(adminActor, staff.id);
    expect(detail!.resetLink!.delivery).toEqual({ state: 'sent', words: `Sent at ${formatDateTime(sentAt, 'America/New_York')} (handed to the mail server).` });
    expect(detail!.resetLink!.delivery!.words).toMatch(/ E[SD]T /);
    // The link itself stays in the person's mailbox: nothing the console reads carries it.
    const secret = received.text.match(/\/reset\/([A-Za-z0-9_-]{32,})/)?.[1];
    expect(secret).toBeDefined();
    expect(JSON.stringify(detail)).not.toContain(secret!);
  });

  it('[PROVIDER_ADMIN] sees a mail the server refused for good as failed, with what an admin can do (not the vendor’s command)', async () => {
    const { staff, adminActor } = await agencies();
    const token = await sendLink(adminActor, staff.id);

    let later = Date.now();
    await deliverDueMessages(db(), refusingSmtp, { now: new Date(later) });
    expect((await getUserForAdmin(adminActor, staff.id))!.resetLink!.delivery).toMatchObject({ state: 'retrying', words: expect.stringMatching(/^Retrying: not delivered after 1 try; next try at /) });

    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      later += 4 * 3600_000;
      await deliverDueMessages(db(), refusingSmtp, { now: new Date(later) });
    }
    expect(await db().outboxMessage.findUniqueOrThrow({ where: { id: token.mailId! } })).toMatchObject({ status: 'DEAD', attempts: MAX_ATTEMPTS });
    const { delivery } = (await getUserForAdmin(adminActor, staff.id))!.resetLink!;
    expect(delivery).toEqual({
      state: 'failed',
      words: `Failed: not delivered after ${MAX_ATTEMPTS} tries. Check the e-mail address on record and send a new link, or give a temporary password instead and tell the person yourself.`,
    });
    expect(delivery!.words).not.toContain('mail:dead');
  });

  it('[PROVIDER_ADMIN] of another agency sees nothing of it', async () => {
    const { staff, adminActor, foreignActor } = await agencies();
    await sendLink(adminActor, staff.id);
    expect((await getUserForAdmin(adminActor, staff.id))!.resetLink).toMatchObject({ state: 'open', delivery: { state: 'queued' } });
    expect(await getUserForAdmin(foreignActor, staff.id)).toBeNull();
  });

  it('[PROVIDER_ADMIN] sees a link sent before its mail was kept, without a word on its delivery', async () => {
    const { staff, adminActor } = await agencies();
    const token = await sendLink(adminActor, staff.id);
    await db().passwordResetToken.update({ where: { id: token.id }, data: { mailId: null } });
    expect((await getUserForAdmin(adminActor, staff.id))!.resetLink).toMatchObject({ state: 'open', issuedBy: 'Pat Admin', delivery: null });
  });

  it('[PROVIDER_ADMIN] sees the link ended by a temporary password given since, and no link when none was mailed', async () => {
    const { staff, adminActor } = await agencies();
    expect((await getUserForAdmin(adminActor, staff.id))!.resetLink).toBeNull();
    await sendLink(adminActor, staff.id);
    const { sessionVersion } = await db().user.findUniqueOrThrow({ where: { id: staff.id }, select: { sessionVersion: true } });
    expect(await issueTemporaryPassword(adminActor, { userId: staff.id, expectedVersion: sessionVersion }, IP)).toMatchObject({ ok: true });
    expect((await getUserForAdmin(adminActor, staff.id))!.resetLink).toMatchObject({ state: 'ended', endedAt: expect.any(Date) });
    // Housekeeping keeps a dead link as long as its mail: the console still says what became of it (review r53e F1).
    await pruneExpiredRows(db());
    expect((await getUserForAdmin(adminActor, staff.id))!.resetLink).toMatchObject({ state: 'ended', issuedBy: 'Pat Admin' });
  });
});
