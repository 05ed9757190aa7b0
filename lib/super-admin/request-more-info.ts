import { z } from 'zod';
import type { ActionState } from '@/lib/auth/guards';
import type { VendorActor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { enqueueMail } from '@/lib/mail/outbox';
import { superAdminNeedsInfoMail } from '@/lib/mail/templates/super-admin-needs-info';
import { requestIdSchema } from './claim-request';
import { formatReference } from './reference';
import { paragraphs } from './request-fields';
import { EXPIRED_MESSAGE, takeTransition, type TransitionOutcome } from './take-transition';
import { assertVerifier, MOVED_ON, recordRequestAudit } from './verifier-guard';

export const moreInfoSchema = requestIdSchema.extend({
  message: paragraphs('Message', 'Write what information you need from the requester', 10, 1000),
});

export const NO_ADDRESS_FOR_INFO =
  'There is no e-mail address on record to write to. Call the agency’s number on record, or reject the request.';

/** The claimer puts the request on hold and writes to the address on record (never the typed one). */
export async function requestMoreInfo(actor: VendorActor, input: z.infer<typeof moreInfoSchema>, ip: string): Promise<ActionState> {
  assertVerifier(actor);
  const request = await db().superAdminResetRequest.findUnique({
    where: { id: input.requestId },
    select: { id: true, reference: true, agencyId: true, userId: true },
  });
  if (!request) return { ok: false, message: 'There is no such request.' };
  const account = request.userId
    ? await db().user.findUnique({ where: { id: request.userId }, select: { email: true, displayName: true } })
    : null;
  const recipient = account?.email ? { to: account.email, displayName: account.displayName } : null;

  return db().$transaction(async (tx) => {
    const outcome: TransitionOutcome = recipient
      ? await takeTransition(tx, 'requestMoreInfo', request, actor.vendorAccountId, { data: { stateReason: input.message } })
      : 'refused';
    const ok = outcome === 'taken';
    const refused = !recipient ? 'no e-mail on record' : outcome === 'expired' ? 'expired' : null;
    await recordRequestAudit(tx, {
      actor,
      request,
      ip,
      action: 'SUPER_ADMIN_RESET_NEEDS_INFO',
      outcome: ok ? 'SUCCESS' : 'DENIED',
      ...(refused ? { details: { refused } } : {}),
    });
    if (!ok || !recipient) return { ok: false, message: !recipient ? NO_ADDRESS_FOR_INFO : outcome === 'expired' ? EXPIRED_MESSAGE : MOVED_ON };
    await enqueueMail(tx, superAdminNeedsInfoMail({ ...recipient, reference: formatReference(request.reference), message: input.message }));
    return { ok: true, message: 'The request is on hold. We wrote to the address on record.' };
  });
}
