import { newFormKey } from '@/lib/http/form-key';
import { z } from 'zod';
import { recordAudit } from '@/lib/audit/record';
import { auditThrottledAddress } from '@/lib/audit/record-throttled';
import { ADMIN_ROLES } from '@/lib/auth/access';
import { db } from '@/lib/db/client';
import { isUniqueClash } from '@/lib/db/unique-clash';
import type { Role } from '@/lib/generated/sqlite/enums';
import { answerNoSoonerThan } from '@/lib/http/answer-floor';
import { consumeRateLimit, RATE_LIMITS, refundRateLimit } from '@/lib/rate-limit/rate-limit';
import { loginNameSchema, normalizeKey, providerCodeSchema } from '@/lib/validation/identifiers';
import { closeIfSpent } from './expire-requests';
import { listAgencyAdmins } from './list-agency-admins';
import { openKeyFor, openRequest, type TypedRequest } from './open-request';
import { isOpen } from './state-machine';
import { generateReference } from './reference';
import { paragraphs, singleLine } from '@/lib/validation/text-fields';
import { phoneSchema, workEmailSchema } from './request-fields';

/**
 * Every accepted or throttled answer waits until this long after the submission arrived. A match
 * does a little more work (the notices are queued): scripts/bench/super-admin-submit.bench.ts
 * measured medians 10–20 ms apart without the floor, and the floor hides that gap.
 */
export const ANSWER_FLOOR_MS = 500;

export const FORM_EXPIRED = 'This form is out of date. Reload the page, fill it in again and send it.';

/** The form's hidden idempotency key: random for each rendering of the form, so a retry of one
 * rendering (a double click, a resend after a network error) files once. The same keys as every
 * form that creates something (lib/http/form-key.ts); this form keeps its own field and storage. */
export const newIdempotencyKey = newFormKey;

export const superAdminRequestSchema = z.object({
  providerCode: providerCodeSchema,
  loginName: loginNameSchema,
  fullName: singleLine('Full name', 'Enter your full name', 100, 'name'),
  jobTitle: singleLine('Job title', 'Enter your job title, for example Director of Nursing', 100, 'name'),
  workEmail: workEmailSchema,
  workPhone: phoneSchema,
  reason: paragraphs('Reason', 'Tell us why no other administrator of your agency can reset your password', 10, 2000),
  attestation: z.literal('yes', { error: 'Confirm that you are the administrator named in this request' }),
  idempotencyKey: z.string({ error: FORM_EXPIRED }).regex(/^[A-Za-z0-9_-]{20,64}$/, { error: FORM_EXPIRED }),
});

export type SuperAdminRequestInput = z.infer<typeof superAdminRequestSchema>;

export type SubmitRequestResult =
  | { ok: true; reference: string }
  | { ok: false; message: string; fieldErrors?: Record<string, string[] | undefined> };

const THROTTLED = 'Too many requests have been sent from your network. Wait an hour and try again.';

/**
 * Files a public super-admin reset request. Every valid submission is stored and answered the same
 * way, with a reference, whether or not it names a real administrator, whether it opens a request
 * or repeats one, with the same work on both match paths (the same queries run with an id that
 * matches nothing) and no sooner than ANSWER_FLOOR_MS after it arrived, so neither the answer nor
 * its time tells a stranger which accounts exist or have a request open. When it does name one,
 * the notice goes to the addresses ON RECORD (the account and the agency's other admins), never to
 * the typed address, and only when the request is opened: repeats attach to the open request and
 * notify no one, unless nothing more can come of it (closeIfSpent), when it closes and this opens anew.
 * A repeat outlives a cancelled or rejected request: it is re-filed then, with notices (refile-repeats.ts).
 */
export async function submitRequest(
  raw: unknown,
  ip: string,
  options: { answerFloorMs?: number } = {},
): Promise<SubmitRequestResult> {
  const arrived = performance.now();
  const parsed = superAdminRequestSchema.safeParse(raw);
  if (!parsed.success) {
    // The hidden key is no field a person can fix: its problem is said as the form's message.
    const { idempotencyKey, ...fieldErrors } = z.flattenError(parsed.error).fieldErrors;
    const onlyTheKey = idempotencyKey !== undefined && Object.keys(fieldErrors).length === 0;
    return { ok: false, message: onlyTheKey ? FORM_EXPIRED : 'There is a problem with what you entered.', fieldErrors };
  }
  const floor = arrived + (options.answerFloorMs ?? ANSWER_FLOOR_MS) - performance.now();
  return answerNoSoonerThan(floor, () => fileRequest(parsed.data, ip), (result) => ANSWERED_AT_ONCE.has(result));
}

const THROTTLED_BY_ADDRESS: SubmitRequestResult = { ok: false, message: THROTTLED };
// Answers that depend on no account are given at once, not held to the floor (where each would hold
// one of the app's places for nothing): a refusal for the client's address, and a form sent again,
// which gets the answer its first sending got, whatever account it named, real or made up.
const ANSWERED_AT_ONCE = new WeakSet<SubmitRequestResult>([THROTTLED_BY_ADDRESS]);

/** A unique index refused the write: someone else filed, repeated or took the reference first. */
class OpenRequestClosed extends Error {}

async function fileRequest(input: SuperAdminRequestInput, ip: string): Promise<SubmitRequestResult> {
  const accountKey = `${normalizeKey(input.providerCode)}/${normalizeKey(input.loginName)}`;
  const replay = () =>
    db().superAdminRequestSubmission.findUnique({
      where: { idempotencyKey_accountKey: { idempotencyKey: input.idempotencyKey, accountKey } },
      select: { reference: true },
    });
  // The same rendering of the form sent again (double submit, retry after a network error): the
  // answer it got, without counting it against the limits or filing anything.
  const earlier = await replay();
  if (earlier) {
    const again: SubmitRequestResult = { ok: true, reference: earlier.reference };
    ANSWERED_AT_ONCE.add(again);
    return again;
  }

  if ((await consumeRateLimit(db(), RATE_LIMITS.superAdminRequestPerAddress, ip)).limited) {
    await auditThrottledAddress({ actorType: 'ANONYMOUS', action: 'SUPER_ADMIN_RESET_THROTTLED', outcome: 'DENIED', ip, details: { limit: 'per address' } });
    return THROTTLED_BY_ADDRESS;
  }

  const agency = await db().agency.findUnique({
    where: { codeKey: normalizeKey(input.providerCode) },
    select: { id: true, code: true, name: true, timeZone: true },
  });
  const candidate = await db().user.findUnique({
    where: { agencyId_loginKey: { agencyId: agency?.id ?? '', loginKey: normalizeKey(input.loginName) } },
    select: { id: true, displayName: true, loginName: true, email: true, phone: true, role: true, status: true },
  });
  const account =
    candidate && candidate.status === 'ACTIVE' && (ADMIN_ROLES as readonly Role[]).includes(candidate.role) ? candidate : null;
  const openKey = openKeyFor(account?.id ?? null, accountKey);
  const otherAdmins = await listAgencyAdmins(db(), account ? agency!.id : null, account?.id ?? null);
  const typed: TypedRequest = {
    providerCode: input.providerCode,
    loginName: input.loginName,
    fullName: input.fullName,
    jobTitle: input.jobTitle,
    workEmail: input.workEmail,
    workPhone: input.workPhone,
    reason: input.reason,
    ip,
  };

  for (let attempt = 1; ; attempt++) {
    const reference = generateReference();
    const submission = { ...typed, reference, idempotencyKey: input.idempotencyKey, accountKey };
    try {
      const open = await db().superAdminResetRequest.findUnique({
        where: { openKey },
        select: { id: true, reference: true, agencyId: true, state: true },
      });
      // A request that nothing more can come of (past its 7 days, or approved with its link dead
      // unused) is closed here and holds the slot no longer: this filing opens a new request, with its
      // notices, to be verified from the start, instead of attaching to one no one can finish.
      const holding = open && isOpen(open.state) && !(await db().$transaction((tx) => closeIfSpent(tx, open)));
      if (open && holding) {
        await db().$transaction(async (tx) => {
          // Conditional on the request still holding the account's open slot: if it closed
          // meanwhile, this submission opens a new request on the next turn instead.
          const attached = await tx.superAdminResetRequest.updateMany({
            where: { id: open.id, openKey },
            data: { repeatCount: { increment: 1 }, lastRepeatAt: new Date() },
          });
          if (attached.count !== 1) throw new OpenRequestClosed();
          await tx.superAdminRequestSubmission.create({ data: { ...submission, requestId: open.id, repeat: true }, select: { id: true } });
          await recordAudit(tx, {
            actorType: 'ANONYMOUS',
            agencyId: open.agencyId,
            action: 'SUPER_ADMIN_RESET_REPEATED',
            targetType: 'SuperAdminResetRequest',
            targetId: open.id,
            ip,
            outcome: 'SUCCESS',
            details: { reference: open.reference, repeatReference: reference, matchesAdmin: account !== null, noticesQueued: 0 },
          });
        });
        return { ok: true, reference };
      }
      await db().$transaction(async (tx) => {
        const submittedAt = new Date();
        const request = await openRequest(tx, { typed, reference, submittedAt, openKey, agency, account, otherAdmins });
        await tx.superAdminRequestSubmission.create({ data: { ...submission, requestId: request.id, repeat: false, createdAt: submittedAt }, select: { id: true } });
      });
      return { ok: true, reference };
    } catch (error) {
      // A clash on the reference (50 random bits: all but impossible), on the account's open slot
      // (a parallel submission opened it first: attach to it) or on the idempotency key (a parallel
      // copy of this very submission won: give its answer). Each turn looks again.
      if (attempt < 5 && (isUniqueClash(error) || error instanceof OpenRequestClosed)) {
        const winner = await replay();
        if (winner) {
          // A copy of a form already filed files nothing: it gives back what it counted (review r28b F2).
          await refundRateLimit(db(), RATE_LIMITS.superAdminRequestPerAddress, ip);
          return { ok: true, reference: winner.reference };
        }
        continue;
      }
      throw error;
    }
  }
}
