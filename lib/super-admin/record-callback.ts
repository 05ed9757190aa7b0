import { z } from 'zod';
import type { ActionState } from '@/lib/auth/guards';
import type { VendorActor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { requestIdSchema } from './claim-request';
import { paragraphs } from './request-fields';
import { assertVerifier, takeVerifierStep } from './verifier-guard';

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
  assertVerifier(actor);
  const request = await db().superAdminResetRequest.findUnique({
    where: { id: input.requestId },
    select: { id: true, reference: true, agencyId: true },
  });
  if (!request) return { ok: false, message: 'There is no such request.' };
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
