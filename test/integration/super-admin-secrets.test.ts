import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { db } from '@/lib/db/client';
import { resetPasswordWithLink } from '@/lib/password-reset/reset-password-with-link';
import { hashSecretToken } from '@/lib/password-reset/secret-token';
import { approveRequest } from '@/lib/super-admin/approve-request';
import { claimRequest } from '@/lib/super-admin/claim-request';
import { exportQueue } from '@/lib/super-admin/export-queue';
import { getRequestForVerifier } from '@/lib/super-admin/get-request-for-verifier';
import { listQueue } from '@/lib/super-admin/list-queue';
import { recordCallback } from '@/lib/super-admin/record-callback';
import { verifyRequest } from '@/lib/super-admin/verify-request';
import {
  agencyWithLoneSuperAdmin,
  cancelTokenIn,
  formFor,
  mailsTo,
  NEW_PASSWORD,
  someIp,
  submit,
  tokenMailedTo,
  vendorActor,
} from './super-admin-fixtures';
import { logger } from '@/lib/observability/logger.mjs';

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
let consoleOutput: string[] = [];

beforeEach(() => {
  consoleOutput = [];
  for (const method of CONSOLE_METHODS) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      consoleOutput.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg) ?? String(arg))).join(' '));
    });
  }
  // The app logs through pino (to stdout, not console): what it hands the logger counts too.
  for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) {
    vi.spyOn(logger, level).mockImplementation((...args: unknown[]) => {
      consoleOutput.push(JSON.stringify(args));
    });
  }
});
afterEach(() => vi.restoreAllMocks());

function expectNoSecret(label: string, text: string, secrets: Record<string, string>) {
  for (const [name, secret] of Object.entries(secrets)) {
    expect(text.includes(secret), `${label} contains the ${name}`).toBe(false);
  }
}

describe('vendor staff never hold a secret', () => {
  it('[VERIFIER] from submission to completion: no token, token hash or password hash reaches a vendor, the audit log or the console', async () => {
    const { agency, admin, others } = await agencyWithLoneSuperAdmin({ otherAdmins: 1 });
    const vera = await vendorActor();
    const victor = await vendorActor();
    const vendorSaw: unknown[] = [];
    const ip = someIp();

    const submitted = await submit(formFor({ providerCode: agency.code, loginName: admin.loginName }), ip);
    if (!submitted.ok) throw new Error('refused');
    const request = await db().superAdminResetRequest.findUniqueOrThrow({ where: { reference: submitted.reference } });
    const id = { requestId: request.id };
    // A repeat, attached to the open request with what it typed: shown to verifiers, still no secret.
    expect((await submit(formFor({ providerCode: agency.code, loginName: admin.loginName }), someIp())).ok).toBe(true);
    vendorSaw.push(await listQueue(vera), await getRequestForVerifier(vera, request.id));
    vendorSaw.push(await claimRequest(vera, { ...id, claimerSeen: '' }, ip));
    vendorSaw.push(
      await recordCallback(vera, { ...id, callbackDone: true, callbackNotes: 'Called the number on record.', identityConfirmed: true, noOtherAdminConfirmed: true }, ip),
    );
    vendorSaw.push(await verifyRequest(vera, id, ip));
    vendorSaw.push(await approveRequest(victor, id, ip));
    const approvedPage = await getRequestForVerifier(victor, request.id);
    // The new fields are there to be searched: the repeat, and the link mail's delivery state.
    expect(approvedPage).toMatchObject({ repeatCount: 1, delivery: { state: 'queued' } });
    vendorSaw.push(await listQueue(victor, { view: 'APPROVED' }), approvedPage, await exportQueue(victor, { view: 'open' }, ip));

    const token = await tokenMailedTo(admin.email!);
    const [notice] = await mailsTo(admin.email!, 'super-admin-request-notice');
    const cancelToken = cancelTokenIn(notice!.textBody);
    const hashesBefore = await db().user.findMany({ where: { agencyId: agency.id }, select: { passwordHash: true } });

    expect((await resetPasswordWithLink(token, NEW_PASSWORD, NEW_PASSWORD, ip)).ok).toBe(true);
    vendorSaw.push(
      await listQueue(vera, { view: 'closed' }),
      await getRequestForVerifier(vera, request.id),
      await exportQueue(vera, { view: 'closed' }, ip),
    );

    const history = await db().passwordHistory.findMany({ where: { userId: { in: [admin.id, others[0]!.id] } }, select: { passwordHash: true } });
    const vendorHashes = await db().vendorAccount.findMany({ where: { id: { in: [vera.vendorAccountId, victor.vendorAccountId] } }, select: { passwordHash: true } });
    const secrets: Record<string, string> = {
      'reset token': token,
      'reset token hash': hashSecretToken(token),
      'cancel token': cancelToken,
      'cancel token hash': hashSecretToken(cancelToken),
      'new password': NEW_PASSWORD,
    };
    [...hashesBefore, ...history, ...vendorHashes].forEach((row, i) => (secrets[`password hash #${i}`] = row.passwordHash));
    // An argon2 hash's salt and digest are what matter; the "$argon2id$v=19$..." prefix is common to all.
    for (const [i, row] of [...hashesBefore, ...history].entries()) secrets[`password digest #${i}`] = row.passwordHash.split('$').pop()!;

    expect((await getRequestForVerifier(vera, request.id))!.state).toBe('COMPLETED');
    expectNoSecret('what the vendor accounts got back', JSON.stringify(vendorSaw), secrets);
    // The e-mail on record (snapshot at filing included) reaches vendors only masked.
    expectNoSecret('what the vendor accounts got back', JSON.stringify(vendorSaw).toLowerCase(), { 'e-mail on record': admin.email!.toLowerCase() });
    const audit = await db().auditEvent.findMany();
    expect(audit.length).toBeGreaterThan(8);
    expectNoSecret('the audit log', JSON.stringify(audit), secrets);
    expectNoSecret('the console', consoleOutput.join('\n'), secrets);
  });
});
