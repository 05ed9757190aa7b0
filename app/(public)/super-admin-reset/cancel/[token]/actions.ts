'use server';

import { z } from 'zod';
import { defineAction, PUBLIC, type ActionState } from '@/lib/auth/guards';
import { cancelRequest } from '@/lib/super-admin/cancel-request';

export type CancelFormState = ActionState;

// Public: the link from the notice is the only credential.
export const cancelRequestAction = defineAction('super-admin-cancel', PUBLIC, z.object({ token: z.string().max(128) }), async (_actor, input, { ip }): Promise<CancelFormState> =>
  cancelRequest(input.token, ip),
);
