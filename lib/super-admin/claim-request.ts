import { z } from 'zod';
import type { ActionState } from '@/lib/auth/guards';
import type { VendorActor } from '@/lib/auth/session';
import { findRequestForStep, MOVED_ON, NO_SUCH_REQUEST, takeVerifierStep } from './verifier-guard';

export const requestIdSchema = z.object({ requestId: z.string().min(1).max(64) });

/**
 * The claim's form says whose claim its page showed (`claimerSeen`, empty for none; a claim without it is bad input): "Claim this request"
 * is not "Take over this request". Read only at the moment of sending, a claim another verifier made
 * meanwhile was taken over by a page that showed none, their checklist unticked (review r51h F1).
 */
export const claimSchema = requestIdSchema.extend({ claimerSeen: z.string().max(64) });

/** What a verifier attests on the checklist: it is theirs alone, so a takeover starts it again. */
const CHECKLIST_UNTICKED = { callbackDone: false, callbackNotes: null, identityConfirmed: false, noOtherAdminConfirmed: false };

/**
 * A verifier takes a request to work it (new, back from "needs information", or taken over). Taken
 * over, its checklist is unticked: the verifier who marks it verified must be the one who called
 * back and checked, or the one who did the checks could approve what another only clicked through.
 * Back from "needs information", it is unticked too, for its own claimer as well: the checks are made
 * again with what the requester sent since, never verified on a call made before it (review r49a F1).
 */
export async function claimRequest(actor: VendorActor, input: z.infer<typeof claimSchema>, ip: string): Promise<ActionState> {
  const request = await findRequestForStep(actor, input.requestId, { state: true, claimedById: true, callbackNotes: true });
  if (!request) return NO_SUCH_REQUEST;
  if (input.claimerSeen !== (request.claimedById ?? '')) return { ok: false, message: MOVED_ON, gone: true };
  const takenOver = request.claimedById !== null && request.claimedById !== actor.vendorAccountId;
  const checksAgain = takenOver || request.state === 'NEEDS_INFO';
  return takeVerifierStep(
    {
      actor,
      request,
      ip,
      action: 'SUPER_ADMIN_RESET_CLAIMED',
      transition: 'claim',
      // Only from the claimer and the state read above: a claim that moved on meanwhile would make `takenOver`
      // wrong, and a state that moved on (put on hold, say) is not the request the verifier chose to take, nor
      // the `from` its record says (review r38a F2).
      options: { where: { claimedById: request.claimedById, state: request.state }, data: { claimedById: actor.vendorAccountId, ...(checksAgain ? CHECKLIST_UNTICKED : {}) } },
      // The notes of the call the previous claimer made stay on record here, not in the form.
      details: { from: request.state, previousClaimerId: request.claimedById, ...(checksAgain && request.callbackNotes ? { previousCallbackNotes: request.callbackNotes } : {}) },
    },
    async () => ({
      message: takenOver
        ? 'You are working this request. Its checklist starts again: call back and check it yourself.'
        : checksAgain
          ? 'You are working this request again. Its checklist starts again: call back and check it with what the requester sent.'
          : 'You are working this request.',
    }),
  );
}
