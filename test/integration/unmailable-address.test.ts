// An address on record a mail server cannot take, or one z.email() refused though it is in real use,
// must not undo what its notice tells of (review r35a F1): the super-admin form answered "something
// went wrong" for an agency with one, and so told a stranger who its admins are; a lock was never
// recorded; a spray alert reached none of the agency's admins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settleAttemptsLeftToTheRound } from '@/lib/auth/password-attempt';
import { signInAgencyUser } from '@/lib/auth/sign-in';
import { sendDueSprayAlerts } from '@/lib/auth/sign-in-velocity';
import { db } from '@/lib/db/client';
import { sendResetLink } from '@/lib/admin/send-reset-link';
import { resolveSession, type AgencyActor } from '@/lib/auth/session';
import { countDeadMessagesByCause, requeueDeadMessages } from '@/lib/mail/dead-letters';
import { enqueueMail, UNMAILABLE } from '@/lib/mail/outbox';
import { approveRequest, NO_EMAIL_ON_RECORD } from '@/lib/super-admin/approve-request';
import { createSmtpTransport } from '@/lib/mail/transport';
import { deliverUntilEmpty } from '@/lib/mail/worker';
import { createAgency, createUser, uniqueSuffix } from '@/prisma/factories';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { agencyWithLoneSuperAdmin, formFor, someIp, submit, vendorActor, verifiedRequest } from './super-admin-fixtures';

const UNMAILABLE_ADDRESS = 'not an address@lonestar.example';
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink.stop();
});

const noticesTo = (toAddress: string, template: string) => db().outboxMessage.findMany({ where: { toAddress, template } });

describe('an address on record that cannot be mailed', () => {
  it('[ANONYMOUS] files the super-admin form as for any admin: the other notices go out, an internationalised address among them', async () => {
    const { agency, admin, others } = await agencyWithLoneSuperAdmin({ email: `olga.ówens.${uniqueSuffix()}@solocäre.example`, otherAdmins: 2 });
    await db().user.update({ where: { id: others[0]!.id }, data: { email: UNMAILABLE_ADDRESS } });

    expect(await submit(formFor({ providerCode: agency.code, loginName: admin.loginName }), someIp())).toMatchObject({ ok: true });
    expect(await db().superAdminResetRequest.count({ where: { userId: admin.id } })).toBe(1);
    // Not mailed, and not counted among the addresses the verifiers are told were warned (review r35c F3).
    expect(await noticesTo(UNMAILABLE_ADDRESS, 'super-admin-request-notice')).toEqual([]);
    const submitted = await db().auditEvent.findFirstOrThrow({ where: { agencyId: agency.id, action: 'SUPER_ADMIN_RESET_SUBMITTED' } });
    expect(JSON.parse(submitted.details!)).toMatchObject({ noticesQueued: 2 });
    expect(await noticesTo(others[1]!.email!, 'super-admin-request-notice')).toMatchObject([{ status: 'PENDING' }]);
    await deliverUntilEmpty(db(), createSmtpTransport(sink.url));
    await sink.waitFor((mail) => mail.to.includes(others[1]!.email!));
    // Sent with SMTPUTF8, to the address as it is on record.
    await sink.waitFor((mail) => mail.to.includes(admin.email!));
    expect(await noticesTo(admin.email!, 'super-admin-request-notice')).toMatchObject([{ status: 'SENT' }]);
  });

  it('[ATTACKER] locks the account with wrong passwords all the same, and the lock is on the record', async () => {
    const agency = await createAgency(db());
    const user = await createUser(db(), agency.id, 'granite willow seven parcel', { email: UNMAILABLE_ADDRESS });
    for (let i = 0; i < 5; i++) await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: `wrong ${i}` }, someIp());
    await settleAttemptsLeftToTheRound(db());
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'ACCOUNT_LOCKED' } })).toBe(1);
    expect(await db().unsettledAttempt.count({ where: { setsLockOf: { startsWith: `user:${user.id}:` } } })).toBe(0);
    expect(await noticesTo(UNMAILABLE_ADDRESS, 'account-locked')).toContainEqual(expect.objectContaining({ status: 'DEAD' }));
  });

  it('[ATTACKER] spraying an agency alerts every admin with a mailable address, though one has none', async () => {
    const suffix = uniqueSuffix();
    const agency = await createAgency(db(), { softLockThreshold: 3 });
    const reachable = await createUser(db(), agency.id, 'granite willow seven parcel', { role: 'SUPER_ADMIN', email: `owner.${suffix}@spray.example` });
    await createUser(db(), agency.id, 'granite willow seven parcel', { role: 'PROVIDER_ADMIN', email: UNMAILABLE_ADDRESS });
    // Accounts of the agency: names no account has alert nobody (review r55d F4).
    const staff = await Promise.all(Array.from({ length: 12 }, () => createUser(db(), agency.id, 'granite willow seven parcel')));
    for (const [i, user] of staff.entries()) {
      await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: 'Password1234' }, `10.251.0.${i + 1}`);
    }
    expect(await sendDueSprayAlerts(db())).toBeGreaterThanOrEqual(1);
    expect(await noticesTo(reachable.email!, 'sign-in-spray-alert')).toMatchObject([{ status: 'PENDING' }]);
    expect(await db().auditEvent.count({ where: { agencyId: agency.id, action: 'SIGN_IN_SPRAY_ALERTED' } })).toBe(1);
  });

  it('[OPERATOR] a message kept dead for its recipient is never sent, not even queued again by hand: "ann@…; bob@…" would reach Bob (review r35c F1)', async () => {
    const suffix = uniqueSuffix();
    const twoInOne = `ann.${suffix}@x.example; bob.${suffix}@x.example`;
    const deadBefore = await countDeadMessagesByCause(db());
    const id = await db().$transaction((tx) => enqueueMail(tx, { template: 'test-message', to: twoInOne, subject: 'Your link', text: 'Link', html: '<p>Link</p>' }));
    expect(await db().outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'DEAD', lastError: UNMAILABLE });
    // Told apart on /vendor from mail a requeue would send again (review r52b F6).
    expect(await countDeadMessagesByCause(db())).toEqual({ ...deadBefore, forRecipient: deadBefore.forRecipient + 1 });
    // Dead for good, it is counted for a week, not for good (review r52f F9).
    expect(await countDeadMessagesByCause(db(), new Date(Date.now() + 8 * 86_400_000))).toMatchObject({ forRecipient: 0 });
    expect(await requeueDeadMessages(db(), { id })).toBe(0);
    // Put back in the queue however (by hand in the database, or before this check existed): the worker finds it so again.
    await db().outboxMessage.update({ where: { id }, data: { status: 'PENDING', lastError: null } });
    await deliverUntilEmpty(db(), createSmtpTransport(sink.url));
    expect(await db().outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'DEAD', lastError: UNMAILABLE, sentAt: null });
    expect(sink.received.filter((mail) => mail.to.some((to) => to.includes(suffix)))).toEqual([]);
  });

  it('[PROVIDER_ADMIN and VERIFIER] a step whose mail is the whole point is refused, as for no address, rather than said done (review r35c F2)', async () => {
    const agency = await createAgency(db());
    const admin = await createUser(db(), agency.id, 'granite willow seven parcel', { role: 'PROVIDER_ADMIN', email: `pat.${uniqueSuffix()}@agency.example` });
    const staff = await createUser(db(), agency.id, 'granite willow seven parcel', { email: UNMAILABLE_ADDRESS });
    const signedIn = await signInAgencyUser({ providerCode: agency.code, loginName: admin.loginName, password: 'granite willow seven parcel' }, someIp());
    if (!signedIn.ok) throw new Error('sign-in failed');
    const adminActor = (await resolveSession(signedIn.sessionId)) as AgencyActor;
    expect(await sendResetLink(adminActor, { userId: staff.id }, someIp())).toMatchObject({ ok: false, message: expect.stringContaining('no e-mail address on record that mail can reach') });
    expect(await db().passwordResetToken.count({ where: { userId: staff.id } })).toBe(0);

    const { request } = await verifiedRequest({ email: UNMAILABLE_ADDRESS });
    expect(await approveRequest(await vendorActor(), { requestId: request.id }, someIp())).toEqual({ ok: false, message: NO_EMAIL_ON_RECORD });
    expect((await db().superAdminResetRequest.findUniqueOrThrow({ where: { id: request.id } })).state).toBe('VERIFIED');
  });
});
