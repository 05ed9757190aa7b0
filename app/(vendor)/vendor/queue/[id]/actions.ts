'use server';

import { redirect } from 'next/navigation';
import type { z } from 'zod';
import { defineAction, type ActionState } from '@/lib/auth/guards';
import { donePath } from '@/lib/http/done-notice';
import type { VendorActor } from '@/lib/auth/session';
import { approveRequest } from '@/lib/super-admin/approve-request';
import { claimRequest, requestIdSchema } from '@/lib/super-admin/claim-request';
import { checklistSchema, recordCallback } from '@/lib/super-admin/record-callback';
import { rejectRequest, rejectSchema } from '@/lib/super-admin/reject-request';
import { moreInfoSchema, requestMoreInfo } from '@/lib/super-admin/request-more-info';
import { VERIFIER_ACCESS } from '@/lib/super-admin/verifier-guard';
import { verifyRequest } from '@/lib/super-admin/verify-request';

// One thin action per step; each goes through the gate (verifiers only) and its use case, then
// reloads the request page with a note of what was done.
function step<S extends z.ZodType<{ requestId: string }>>(
  name: string,
  schema: S,
  run: (actor: VendorActor, input: z.infer<S>, ip: string) => Promise<ActionState>,
) {
  return defineAction(`super-admin-${name}`, VERIFIER_ACCESS, schema, async (actor, input, { ip }) => {
    const result = await run(actor, input, ip);
    if (result.ok) redirect(donePath(`/vendor/queue/${encodeURIComponent(input.requestId)}`, name, actor));
    return result;
  });
}

export const claimAction = step('claim', requestIdSchema, claimRequest);
export const recordCallbackAction = step('checklist', checklistSchema, recordCallback);
export const verifyAction = step('verify', requestIdSchema, verifyRequest);
export const requestMoreInfoAction = step('more-info', moreInfoSchema, requestMoreInfo);
export const approveAction = step('approve', requestIdSchema, approveRequest);
export const rejectAction = step('reject', rejectSchema, rejectRequest);
