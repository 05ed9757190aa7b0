'use server';

import { z } from 'zod';
import { defineAction, PUBLIC, type ActionState } from '@/lib/auth/guards';
import { getRequestStatus } from '@/lib/super-admin/get-request-status';

export type StatusFormState = ActionState & { title?: string; detail?: string };

// The form's two fields; their rules (and the answer that gives nothing away) live in the use case.
const lookUpFormSchema = z.object({ reference: z.string().max(64), loginName: z.string().max(128) });

export const lookUpStatusAction = defineAction('super-admin-status', PUBLIC, lookUpFormSchema, async (_actor, input, { ip }): Promise<StatusFormState> => ({
  ...(await getRequestStatus(input, ip)),
  values: input,
}));
