import { z } from 'zod';
import type { ActionState } from '@/lib/auth/guards';
import type { VendorActor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { enqueueMail } from '@/lib/mail/outbox';
import { superAdminRejectedMail } from '@/lib/mail/templates/super-admin-rejected';
import { requestIdSchema } from './claim-request';
import { formatReference } from './reference';
import { paragraphs } from './request-fields';
import { EXPIRED_MESSAGE, takeTransition } from './take-transition';
import { assertVerifier, MOVED_ON, recordRequestAudit } from './verifier-guard';

export const rejectSchema = requestIdSchema.extend({
  reason: paragraphs('Reason', 'Give the reason for rejecting the request', 5, 1000),
});

/** Ends a request with a reason, mailed to the address on record when there is one. */
export async function rejectRequest(actor: VendorActor, input: z.infer<typeof rejectSchema>, ip: string): Promise<ActionState> {
  assertVerifier(actor);
  const request = await db().superAdminResetRequest.findUnique({
    where: { id: input.requestId },
    select: { id: true, reference: true, agencyId: true, userId: true },
  });
  if (!request) return { ok: false, message: 'There is no such request.' };
  const account = request.userId
    ? await db().user.findUnique({ where: { id: request.userId }, select: { email: true, displayName: true } })
    : null;

  return db().$transaction(async (tx) => {
    const outcome = await takeTransition(tx, 'reject', request, actor.vendorAccountId, { data: { stateReason: input.reason } });
    const ok = outcome === 'taken';
    await recordRequestAudit(tx, {
      actor,
      request,
      ip,
      action: 'SUPER_ADMIN_RESET_REJECTED',
      outcome: ok ? 'SUCCESS' : 'DENIED',
      details: { mailed: ok && Boolean(account?.email), ...(outcome === 'expired' ? { refused: 'expired' } : {}) },
    });
    if (!ok) return { ok: false, message: outcome === 'expired' ? EXPIRED_MESSAGE : MOVED_ON };
    if (account?.email) {
      await enqueueMail(tx, superAdminRejectedMail({ to: account.email, displayName: account.displayName, reference: formatReference(request.reference), reason: input.reason }));
    }
    return { ok: true, message: account?.email ? 'Rejected. The reason was mailed to the address on record.' : 'Rejected.' };
  });
}
