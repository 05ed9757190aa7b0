import type { z } from 'zod';
import type { ActionState } from '@/lib/auth/guards';
import type { VendorActor } from '@/lib/auth/session';
import { requestIdSchema } from './claim-request';
import { findRequestForStep, NO_SUCH_REQUEST, takeVerifierStep } from './verifier-guard';

/**
 * The claimer marks the request verified: only with the whole checklist done and an account on
 * record to reset. A second verifier must then approve it.
 */
export async function verifyRequest(actor: VendorActor, input: z.infer<typeof requestIdSchema>, ip: string): Promise<ActionState> {
  const request = await findRequestForStep(actor, input.requestId, {
    userId: true,
    callbackDone: true,
    identityConfirmed: true,
    noOtherAdminConfirmed: true,
  });
  if (!request) return NO_SUCH_REQUEST;
  const missing = [
    !request.callbackDone && 'the call-back to the agency’s number on record',
    !request.identityConfirmed && 'the identity check',
    !request.noOtherAdminConfirmed && 'that no other administrator is available',
  ].filter(Boolean);
  const refusal =
    request.userId === null
      ? 'This request matches no administrator account, so it cannot be verified. Reject it instead.'
      : missing.length > 0
        ? `Complete and save the checklist first: ${missing.join(', ')}.`
        : null;

  return takeVerifierStep(
    {
      actor,
      request,
      ip,
      action: 'SUPER_ADMIN_RESET_VERIFIED',
      transition: 'verify',
      options: {
        where: { userId: { not: null }, callbackDone: true, identityConfirmed: true, noOtherAdminConfirmed: true },
        data: { verifiedById: actor.vendorAccountId, verifiedAt: new Date() },
      },
      refusal: refusal ? { message: refusal } : null,
    },
    async () => ({ message: 'Verified. A second verifier must now approve it.' }),
  );
}
