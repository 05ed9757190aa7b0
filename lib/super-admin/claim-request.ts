import { z } from 'zod';
import type { ActionState } from '@/lib/auth/guards';
import type { VendorActor } from '@/lib/auth/session';
import { findRequestForStep, NO_SUCH_REQUEST, takeVerifierStep } from './verifier-guard';

export const requestIdSchema = z.object({ requestId: z.string().min(1).max(64) });

/** A verifier takes a request to work it (new, back from "needs information", or taken over). */
export async function claimRequest(actor: VendorActor, input: z.infer<typeof requestIdSchema>, ip: string): Promise<ActionState> {
  const request = await findRequestForStep(actor, input.requestId, { state: true, claimedById: true });
  if (!request) return NO_SUCH_REQUEST;
  return takeVerifierStep(
    {
      actor,
      request,
      ip,
      action: 'SUPER_ADMIN_RESET_CLAIMED',
      transition: 'claim',
      options: { data: { claimedById: actor.vendorAccountId } },
      details: { from: request.state, previousClaimerId: request.claimedById },
    },
    async () => ({ message: 'You are working this request.' }),
  );
}
