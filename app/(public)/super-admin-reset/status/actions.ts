'use server';

import { z } from 'zod';
import { defineAction, PUBLIC, type ActionState } from '@/lib/auth/guards';
import { getRequestStatus } from '@/lib/super-admin/get-request-status';

export type StatusFormState = ActionState & { title?: string; detail?: string };

// The form's two fields; their rules, their words (and the answer that gives nothing away) live in the
// use case: one left out, as no browser sends it, is told what the use case tells an empty one (review r41g F3).
const lookUpFormSchema = z.object({ reference: z.string().default(''), loginName: z.string().default('') });

export const lookUpStatusAction = defineAction('super-admin-status', PUBLIC, lookUpFormSchema, async (_actor, input, { ip }): Promise<StatusFormState> => ({
  ...(await getRequestStatus(input, ip)),
  values: input,
}));
