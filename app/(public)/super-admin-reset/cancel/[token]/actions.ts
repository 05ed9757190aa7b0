'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { defineAction, PUBLIC, type ActionState } from '@/lib/auth/guards';
import { thisBrowserFromNow } from '@/lib/auth/browser-session';
import { donePath } from '@/lib/http/done-notice';
import { cancelRequest } from '@/lib/super-admin/cancel-request';
import { requestNotice } from '@/lib/super-admin/reference';

export type CancelFormState = ActionState;

const CANCELLED_PAGE = '/super-admin-reset/cancelled';

// Public: the link from the notice is the only credential. Done, it goes to a page of its own: this
// one, rendered again for a browser without JavaScript, would find the request closed and say the link no longer works.
export const cancelRequestAction = defineAction('super-admin-cancel', PUBLIC, z.object({ token: z.string().max(128) }), async (_actor, input, { ip }): Promise<CancelFormState> => {
  const result = await cancelRequest(input.token, ip);
  // The reference goes into the signed notice: a cancelled page someone else reached and sent on names
  // their request, not the one in this admin's notice.
  if (!result.ok) return result;
  redirect(donePath(CANCELLED_PAGE, requestNotice('cancelled', result.reference), await thisBrowserFromNow()));
});
