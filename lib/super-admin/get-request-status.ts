import { z } from 'zod';
import { auditThrottledAddress } from '@/lib/audit/record-throttled';
import { db } from '@/lib/db/client';
import { consumeRateLimit, RATE_LIMITS } from '@/lib/rate-limit/rate-limit';
import { loginNameSchema, normalizeKey } from '@/lib/validation/identifiers';
import { closeIfSpent } from './expire-requests';
import { REQUEST_LIFETIME_MS } from './open-request';
import { parseReference } from './reference';
import { singleLine } from '@/lib/validation/text-fields';
import { stateForRequester } from './state-words';

export const requestStatusSchema = z.object({
  reference: singleLine('Reference number', 'Enter your reference number, for example 7K3QZ-M4T9P', 32, 'identifier'),
  loginName: loginNameSchema,
});

export type RequestStatusResult =
  | { ok: true; title: string; detail: string }
  | { ok: false; message: string; fieldErrors?: Record<string, string[] | undefined> };

/** What no row holds: looked up in place of a reference that is not one, and closed in place of a request that is not there. */
const NO_REFERENCE = '~no-reference~';
const NO_REQUEST = { id: '~no-request~', reference: NO_REFERENCE, agencyId: null };
const REQUEST_SELECT = { id: true, reference: true, agencyId: true, loginName: true, expiresAt: true } as const;

export const NO_SUCH_REQUEST =
  'We could not find a request with that reference number and login name. Check both and try again.';

/**
 * The state of a request in plain words, for whoever knows both its reference and the login name
 * it was filed for. A wrong reference, a wrong login name, or both, get the same answer.
 */
export async function getRequestStatus(raw: unknown, ip: string): Promise<RequestStatusResult> {
  const parsed = requestStatusSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, message: 'There is a problem with what you entered.', fieldErrors: z.flattenError(parsed.error).fieldErrors };
  }
  if ((await consumeRateLimit(db(), RATE_LIMITS.superAdminStatusPerAddress, ip)).limited) {
    await auditThrottledAddress({ actorType: 'ANONYMOUS', action: 'SUPER_ADMIN_STATUS_THROTTLED', outcome: 'DENIED', ip });
    return { ok: false, message: 'Too many look-ups from your network. Wait 15 minutes and try again.' };
  }
  // Only the request looked up is closed if spent, not every one due (the queue's reads sweep those):
  // a stranger's lookup set off up to a thousand transactions (review r31e F5).
  const now = new Date();
  // A made-up reference is looked up, and closed if spent, as a real one is, against rows that are
  // not there: the lookup's work does not tell a stranger that a reference exists (review r32b).
  const reference = parseReference(parsed.data.reference) ?? NO_REFERENCE;
  // Every submission's reference (a repeat's too) leads to its own seven days, no more (state-words.ts).
  // A repeat's runs from its own filing: the request's expiry would tell its requester that someone
  // filed for that name before them, and when.
  // Three reads whatever is found (a relation read only when its row exists would be a fourth).
  const submission = await db().superAdminRequestSubmission.findUnique({ where: { reference }, select: { loginName: true, repeat: true, createdAt: true, requestId: true } });
  const submittedTo = await db().superAdminResetRequest.findUnique({ where: { id: submission?.requestId ?? NO_REQUEST.id }, select: REQUEST_SELECT });
  const filed = await db().superAdminResetRequest.findUnique({ where: { reference }, select: REQUEST_SELECT });
  await db().$transaction((tx) => closeIfSpent(tx, submittedTo ?? filed ?? NO_REQUEST, now));
  const request =
    submission && submittedTo
      ? {
          loginName: submission.loginName,
          expiresAt: submission.repeat ? new Date(submission.createdAt.getTime() + REQUEST_LIFETIME_MS) : submittedTo.expiresAt,
        }
      : filed;
  if (!request || normalizeKey(request.loginName) !== normalizeKey(parsed.data.loginName)) {
    return { ok: false, message: NO_SUCH_REQUEST };
  }
  return { ok: true, ...stateForRequester(request, now) };
}
