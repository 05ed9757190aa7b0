import { z } from 'zod';
import type { ActionState } from '@/lib/auth/guards';
import type { VendorActor } from '@/lib/auth/session';
import { enqueueMail } from '@/lib/mail/outbox';
import { mailableAddress } from '@/lib/validation/email-address';
import { superAdminRejectedMail } from '@/lib/mail/templates/super-admin-rejected';
import { requestIdSchema } from './claim-request';
import { formatReference } from './reference';
import { refileRepeats } from './refile-repeats';
import { wordsToRecord } from './request-fields';
import { findRequestForStep, NO_SUCH_REQUEST, takeHeldStep, withAccountHeld } from './verifier-guard';

export const rejectSchema = requestIdSchema.extend({
  reason: wordsToRecord('Reason', 'Give the reason for rejecting the request', 5, 1000),
});

/**
 * Ends a request with a reason, mailed to the address on record when there is one. Repeats attached
 * to it are re-filed as a request of their own, once per chain (refile-repeats.ts).
 */
export async function rejectRequest(actor: VendorActor, input: z.infer<typeof rejectSchema>, ip: string): Promise<ActionState> {
  const request = await findRequestForStep(actor, input.requestId, { userId: true });
  if (!request) return NO_SUCH_REQUEST;
  const step = { actor, request, ip, action: 'SUPER_ADMIN_RESET_REJECTED', transition: 'reject', options: { data: { stateReason: input.reason } } } as const;

  // The address is the one on record as the step is taken, its row held (withAccountHeld).
  return withAccountHeld(step, request.userId, (tx, account) =>
    takeHeldStep(tx, step, async (tx) => {
      // The reason is about this request's first filing: later ones for the account stay open on their own.
      const refiledAs = await refileRepeats(tx, request);
      const refiled = refiledAs ? ` Its later submissions are now request ${formatReference(refiledAs)}.` : '';
      const to = mailableAddress(account?.email);
      if (!account || !to) return { message: `Rejected.${refiled}`, details: { mailed: false, refiledAs } };
      await enqueueMail(tx, superAdminRejectedMail({ to, displayName: account.displayName, reference: formatReference(request.reference), reason: input.reason }));
      return { message: `Rejected. The reason is queued for e-mail to the address on record.${refiled}`, details: { mailed: true, refiledAs } };
    }),
  );
}
