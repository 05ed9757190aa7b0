import { z } from 'zod';
import type { ActionState } from '@/lib/auth/guards';
import type { VendorActor } from '@/lib/auth/session';
import { requestIdSchema } from './claim-request';
import { paragraphs } from '@/lib/validation/text-fields';
import { findRequestForStep, NO_SUCH_REQUEST, takeVerifierStep } from './verifier-guard';

const ticked = z
  .literal('yes')
  .optional()
  .transform((value) => value === 'yes');

export const checklistSchema = requestIdSchema
  .extend({
    callbackDone: ticked,
    callbackNotes: z.union([z.literal(''), paragraphs('Call notes', 'Write what was said on the call', 5, 2000)]).optional(),
    identityConfirmed: ticked,
    noOtherAdminConfirmed: ticked,
  })
  .refine((input) => !input.callbackDone || (input.callbackNotes ?? '').length > 0, {
    path: ['callbackNotes'],
    message: 'Write who you spoke to on the agency’s number on record, and what they said',
  });

/**
 * The claimer saves the checklist: the call-back to the agency's phone number ON RECORD (never
 * the number typed in the form) with notes, identity confirmed, no other admin available.
 */
export async function recordCallback(actor: VendorActor, input: z.infer<typeof checklistSchema>, ip: string): Promise<ActionState> {
  const request = await findRequestForStep(actor, input.requestId, {});
  if (!request) return NO_SUCH_REQUEST;
  return takeVerifierStep(
    {
      actor,
      request,
      ip,
      action: 'SUPER_ADMIN_RESET_CHECKLIST_SAVED',
      transition: 'recordCallback',
      options: {
        data: {
          callbackDone: input.callbackDone,
          callbackNotes: input.callbackNotes || null,
          identityConfirmed: input.identityConfirmed,
          noOtherAdminConfirmed: input.noOtherAdminConfirmed,
        },
      },
      details: { callbackDone: input.callbackDone, identityConfirmed: input.identityConfirmed, noOtherAdminConfirmed: input.noOtherAdminConfirmed },
    },
    async () => ({ message: 'Checklist saved.' }),
  );
}
