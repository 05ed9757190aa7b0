import { z } from 'zod';
import type { ActionState } from '@/lib/auth/guards';
import type { VendorActor } from '@/lib/auth/session';
import { enqueueMail } from '@/lib/mail/outbox';
import { superAdminRejectedMail } from '@/lib/mail/templates/super-admin-rejected';
import { requestIdSchema } from './claim-request';
import { formatReference } from './reference';
import { paragraphs } from './request-fields';
import { assertVerifier, findRequestWithAccount, takeVerifierStep } from './verifier-guard';

export const rejectSchema = requestIdSchema.extend({
  reason: paragraphs('Reason', 'Give the reason for rejecting the request', 5, 1000),
});

/** Ends a request with a reason, mailed to the address on record when there is one. */
export async function rejectRequest(actor: VendorActor, input: z.infer<typeof rejectSchema>, ip: string): Promise<ActionState> {
  assertVerifier(actor);
  const { request, account } = await findRequestWithAccount(input.requestId);
  if (!request) return { ok: false, message: 'There is no such request.' };

  return takeVerifierStep(
    { actor, request, ip, action: 'SUPER_ADMIN_RESET_REJECTED', transition: 'reject', options: { data: { stateReason: input.reason } } },
    async (tx) => {
      if (!account?.email) return { message: 'Rejected.', details: { mailed: false } };
      await enqueueMail(tx, superAdminRejectedMail({ to: account.email, displayName: account.displayName, reference: formatReference(request.reference), reason: input.reason }));
      return { message: 'Rejected. The reason was mailed to the address on record.', details: { mailed: true } };
    },
  );
}
