'use server';

import { z } from 'zod';
import type { ActionState } from '@/lib/auth/guards';
import { requestClientIp } from '@/lib/http/client-ip';
import { requestStatusSubscription, subscribeSchema } from '@/lib/status/subscribe';

/** Public form: zod and the rate limiter, no session. */
export async function subscribeAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const parsed = subscribeSchema.safeParse({ email: formData.get('email') ?? '' });
  if (!parsed.success) {
    return { ok: false, message: 'There is a problem with what you entered.', fieldErrors: z.flattenError(parsed.error).fieldErrors };
  }
  const result = await requestStatusSubscription(parsed.data, await requestClientIp());
  if (!result.ok) return { ok: false, message: 'Too many sign-ups from your connection. Try again in an hour.' };
  // The same answer whether or not the address was already subscribed.
  return { ok: true, message: 'Check your e-mail. If this address is not subscribed yet, we have sent a link to confirm it.' };
}
