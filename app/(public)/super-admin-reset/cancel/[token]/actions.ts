'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { defineAction, PUBLIC, type ActionState } from '@/lib/auth/guards';
import { cancelRequest } from '@/lib/super-admin/cancel-request';

export type CancelFormState = ActionState;

// Public: the link from the notice is the only credential. Done, it goes to a page of its own: this
// one, rendered again for a browser without JavaScript, would find the request closed and say the link no longer works.
export const cancelRequestAction = defineAction('super-admin-cancel', PUBLIC, z.object({ token: z.string().max(128) }), async (_actor, input, { ip }): Promise<CancelFormState> => {
  const result = await cancelRequest(input.token, ip);
  if (result.ok) redirect('/super-admin-reset/cancelled');
  return result;
});
