import { z } from 'zod';
import type { ActionState } from '@/lib/auth/guards';
import type { VendorActor } from '@/lib/auth/session';
import { enqueueMail } from '@/lib/mail/outbox';
import { mailableAddress } from '@/lib/validation/email-address';
import { superAdminNeedsInfoMail } from '@/lib/mail/templates/super-admin-needs-info';
import { requestIdSchema } from './claim-request';
import { formatReference } from './reference';
import { wordsToRecord } from './request-fields';
import { findRequestForStep, NO_SUCH_REQUEST, takeHeldStep, withAccountHeld } from './verifier-guard';

export const moreInfoSchema = requestIdSchema.extend({
  message: wordsToRecord('Message', 'Write what information you need from the requester', 10, 1000),
});

export const NO_ADDRESS_FOR_INFO =
  'There is no e-mail address on record to write to. Call the agency’s number on record, or reject the request.';

/** The claimer puts the request on hold and writes to the address on record (never the typed one). */
export async function requestMoreInfo(actor: VendorActor, input: z.infer<typeof moreInfoSchema>, ip: string): Promise<ActionState> {
  const request = await findRequestForStep(actor, input.requestId, { userId: true });
  if (!request) return NO_SUCH_REQUEST;
  const step = { actor, request, ip, action: 'SUPER_ADMIN_RESET_NEEDS_INFO', transition: 'requestMoreInfo', options: { data: { stateReason: input.message } } } as const;

  // The address is the one on record as the step is taken, its row held (withAccountHeld).
  return withAccountHeld(step, request.userId, (tx, account) => {
    const to = mailableAddress(account?.email);
    const recipient = account && to ? { to, displayName: account.displayName } : null;
    return takeHeldStep(tx, { ...step, refusal: recipient ? null : { message: NO_ADDRESS_FOR_INFO, audited: 'no e-mail on record' } }, async (tx) => {
      await enqueueMail(tx, superAdminNeedsInfoMail({ ...recipient!, reference: formatReference(request.reference), message: input.message }));
      return { message: 'The request is on hold. What we ask for is queued for e-mail to the address on record.' };
    });
  });
}
