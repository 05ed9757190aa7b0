// An address on record a mail server cannot take, or one z.email() refused though it is in real use,
// must not undo what its notice tells of (review r35a F1): the super-admin form answered "something
// went wrong" for an agency with one, and so told a stranger who its admins are; a lock was never
// recorded; a spray alert reached none of the agency's admins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settleAttemptsLeftToTheRound } from '@/lib/auth/password-attempt';
import { signInAgencyUser } from '@/lib/auth/sign-in';
import { sendDueSprayAlerts } from '@/lib/auth/sign-in-velocity';
import { db } from '@/lib/db/client';
import { UNMAILABLE } from '@/lib/mail/outbox';
import { createSmtpTransport } from '@/lib/mail/transport';
import { deliverUntilEmpty } from '@/lib/mail/worker';
import { createAgency, createUser, uniqueSuffix } from '@/prisma/factories';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { agencyWithLoneSuperAdmin, formFor, someIp, submit } from './super-admin-fixtures';

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
    expect(await noticesTo(UNMAILABLE_ADDRESS, 'super-admin-request-notice')).toMatchObject([{ status: 'DEAD', lastError: UNMAILABLE }]);
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
    for (let i = 0; i < 12; i++) {
      await signInAgencyUser({ providerCode: agency.code, loginName: `nobody.${i}.${suffix}`, password: 'Password1234' }, `10.251.0.${i + 1}`);
    }
    expect(await sendDueSprayAlerts(db())).toBeGreaterThanOrEqual(1);
    expect(await noticesTo(reachable.email!, 'sign-in-spray-alert')).toMatchObject([{ status: 'PENDING' }]);
    expect(await db().auditEvent.count({ where: { agencyId: agency.id, action: 'SIGN_IN_SPRAY_ALERTED' } })).toBe(1);
  });
});
