'use server';

import { redirect } from 'next/navigation';
import type { z } from 'zod';
import { defineAction, type ActionState } from '@/lib/auth/guards';
import { donePath } from '@/lib/http/done-notice';
import type { VendorActor } from '@/lib/auth/session';
import { approveRequest } from '@/lib/super-admin/approve-request';
import { claimRequest, claimSchema, requestIdSchema } from '@/lib/super-admin/claim-request';
import { isOwnLatestStep } from '@/lib/super-admin/own-step';
import { checklistSchema, recordCallback } from '@/lib/super-admin/record-callback';
import { rejectRequest, rejectSchema } from '@/lib/super-admin/reject-request';
import type { StepName, STEP_GONE } from '@/lib/super-admin/step-done';
import { moreInfoSchema, requestMoreInfo } from '@/lib/super-admin/request-more-info';
import { VERIFIER_ACCESS } from '@/lib/super-admin/verifier-guard';
import { verifyRequest } from '@/lib/super-admin/verify-request';

const requestPage = (requestId: string) => `/vendor/queue/${encodeURIComponent(requestId)}`;

// One thin action per step; each goes through the gate (verifiers only) and its use case, then
// reloads the request page with a note of what was done.
function step<S extends z.ZodType<{ requestId: string }>>(
  name: StepName,
  schema: S,
  run: (actor: VendorActor, input: z.infer<S>, ip: string) => Promise<ActionState>,
) {
  return defineAction(
    `super-admin-${name}`,
    VERIFIER_ACCESS,
    schema,
    async (actor, input, { ip }) => {
      const result = await run(actor, input, ip);
      // Refused as moved on by this very step of theirs (the form sent twice): it was done, and is said so.
      if (result.ok || (result.gone && (await isOwnLatestStep(actor, input.requestId, name)))) redirect(donePath(requestPage(input.requestId), name, actor));
      return result;
    },
    // A step refused because another verifier (or the clock) moved the request on: without JavaScript
    // its form, and the answer drawn in it, are gone from the page drawn again; the page says it.
    { afterGoneWithoutJavaScript: (input, actor) => donePath(requestPage(input.requestId), `${name}-gone` satisfies keyof typeof STEP_GONE, actor) },
  );
}

export const claimAction = step('claim', claimSchema, claimRequest);
export const recordCallbackAction = step('checklist', checklistSchema, recordCallback);
export const verifyAction = step('verify', requestIdSchema, verifyRequest);
export const requestMoreInfoAction = step('more-info', moreInfoSchema, requestMoreInfo);
export const approveAction = step('approve', requestIdSchema, approveRequest);
export const rejectAction = step('reject', rejectSchema, rejectRequest);
