import { z } from 'zod';
import { recordAudit, recordAuditAlone } from '@/lib/audit/record';
import { ADMIN_ROLES } from '@/lib/auth/access';
import { db } from '@/lib/db/client';
import type { Role } from '@/lib/generated/sqlite/enums';
import { enqueueMailBatch } from '@/lib/mail/outbox';
import { superAdminRequestNoticeMail } from '@/lib/mail/templates/super-admin-request-notice';
import { hashSecretToken, newSecretToken } from '@/lib/password-reset/secret-token';
import { consumeRateLimit, RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import { loginNameSchema, normalizeKey, providerCodeSchema } from '@/lib/validation/identifiers';
import { listAgencyAdmins } from './list-agency-admins';
import { generateReference } from './reference';
import { paragraphs, phoneSchema, singleLine, workEmailSchema } from './request-fields';

export const REQUEST_LIFETIME_MS = 7 * 24 * 3600_000;

/**
 * Every accepted or throttled answer waits until this long after the submission arrived. A match
 * does a little more work (the notices are queued): scripts/bench/super-admin-submit.bench.ts
 * measured medians 10–20 ms apart without the floor, and the floor hides that gap.
 */
export const ANSWER_FLOOR_MS = 500;

export const superAdminRequestSchema = z.object({
  providerCode: providerCodeSchema,
  loginName: loginNameSchema,
  fullName: singleLine('Full name', 'Enter your full name', 100),
  jobTitle: singleLine('Job title', 'Enter your job title, for example Director of Nursing', 100),
  workEmail: workEmailSchema,
  workPhone: phoneSchema,
  reason: paragraphs('Reason', 'Tell us why no other administrator of your agency can reset your password', 10, 2000),
  attestation: z.literal('yes', { error: 'Confirm that you are the administrator named in this request' }),
});

export type SuperAdminRequestInput = z.infer<typeof superAdminRequestSchema>;

export type SubmitRequestResult =
  | { ok: true; reference: string }
  | { ok: false; message: string; fieldErrors?: Record<string, string[] | undefined> };

const THROTTLED = 'Too many requests have been sent from your network or for this account. Wait a few hours and try again.';

/**
 * Files a public super-admin reset request. Every valid submission is stored and answered the same
 * way, with a reference, whether or not it names a real administrator, and with the same work on
 * both paths (the same queries run with an id that matches nothing) and no sooner than
 * ANSWER_FLOOR_MS after it arrived, so neither the answer nor its time tells a stranger which
 * accounts exist. When it does name one, the notice goes to the
 * addresses ON RECORD (the account and the agency's other admins), never to the typed address.
 */
export async function submitRequest(
  raw: unknown,
  ip: string,
  options: { answerFloorMs?: number } = {},
): Promise<SubmitRequestResult> {
  const arrived = performance.now();
  const parsed = superAdminRequestSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, message: 'There is a problem with what you entered.', fieldErrors: z.flattenError(parsed.error).fieldErrors };
  }
  try {
    return await fileRequest(parsed.data, ip);
  } finally {
    const wait = arrived + (options.answerFloorMs ?? ANSWER_FLOOR_MS) - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
  }
}

async function fileRequest(input: SuperAdminRequestInput, ip: string): Promise<SubmitRequestResult> {
  const accountKey = `${normalizeKey(input.providerCode)}/${normalizeKey(input.loginName)}`;
  const byAddress = await consumeRateLimit(db(), RATE_LIMITS.superAdminRequestPerAddress, ip);
  const byAccount = byAddress.limited ? byAddress : await consumeRateLimit(db(), RATE_LIMITS.superAdminRequestPerAccount, accountKey);
  if (byAddress.limited || byAccount.limited) {
    await recordAuditAlone(db(), {
      actorType: 'ANONYMOUS',
      action: 'SUPER_ADMIN_RESET_THROTTLED',
      outcome: 'DENIED',
      ip,
      details: { limit: byAddress.limited ? 'per address' : 'per account' },
    });
    return { ok: false, message: THROTTLED };
  }

  const agency = await db().agency.findUnique({
    where: { codeKey: normalizeKey(input.providerCode) },
    select: { id: true, code: true, name: true },
  });
  const candidate = await db().user.findUnique({
    where: { agencyId_loginKey: { agencyId: agency?.id ?? '', loginKey: normalizeKey(input.loginName) } },
    select: { id: true, displayName: true, loginName: true, email: true, role: true, status: true },
  });
  const account =
    candidate && candidate.status === 'ACTIVE' && (ADMIN_ROLES as readonly Role[]).includes(candidate.role) ? candidate : null;
  const otherAdmins = await listAgencyAdmins(db(), account ? agency!.id : null, account?.id ?? null);
  const cancelToken = newSecretToken();
  const submittedAt = new Date();

  const notices =
    account && agency
      ? [
          ...(account.email ? [{ to: account.email, toAccountHolder: true }] : []),
          ...otherAdmins.flatMap((admin) => (admin.email ? [{ to: admin.email, toAccountHolder: false }] : [])),
        ]
      : [];

  for (let attempt = 1; ; attempt++) {
    const reference = generateReference();
    try {
      await db().$transaction(async (tx) => {
        const request = await tx.superAdminResetRequest.create({
          data: {
            reference,
            providerCode: input.providerCode,
            loginName: input.loginName,
            fullName: input.fullName,
            jobTitle: input.jobTitle,
            workEmail: input.workEmail,
            workPhone: input.workPhone,
            reason: input.reason,
            ip,
            agencyId: agency?.id ?? null,
            userId: account?.id ?? null,
            cancelTokenHash: account ? hashSecretToken(cancelToken) : null,
            createdAt: submittedAt,
            expiresAt: new Date(submittedAt.getTime() + REQUEST_LIFETIME_MS),
          },
          select: { id: true },
        });
        await recordAudit(tx, {
          actorType: 'ANONYMOUS',
          agencyId: agency?.id ?? null,
          action: 'SUPER_ADMIN_RESET_SUBMITTED',
          targetType: 'SuperAdminResetRequest',
          targetId: request.id,
          ip,
          outcome: 'SUCCESS',
          details: { reference, matchesAdmin: account !== null, noticesQueued: notices.length },
        });
        await enqueueMailBatch(
          tx,
          notices.map(({ to, toAccountHolder }) =>
            superAdminRequestNoticeMail({
              to,
              toAccountHolder,
              account: account!,
              agency: agency!,
              reference,
              submittedAt,
              cancelToken,
            }),
          ),
        );
      });
      return { ok: true, reference };
    } catch (error) {
      // 50 random bits: a clash is all but impossible, but a unique index is the only real guarantee.
      if (attempt < 3 && (error as { code?: string }).code === 'P2002') continue;
      throw error;
    }
  }
}
