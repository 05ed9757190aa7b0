'use server';

import { defineAction, PUBLIC } from '@/lib/auth/guards';
import { requestStatusSubscription, subscribeSchema } from '@/lib/status/subscribe';

/** Public form: zod and the rate limiter, no session. */
export const subscribeAction = defineAction('status-subscribe', PUBLIC, subscribeSchema, async (_actor, input, { ip }) => {
  const result = await requestStatusSubscription(input, ip);
  if (!result.ok) return { ok: false, message: 'Too many sign-ups from your connection. Try again in an hour.', values: { email: input.email } };
  // The same answer whether or not the address was already subscribed.
  return { ok: true, message: 'Check your e-mail. If this address is not subscribed yet, we have sent a link to confirm it.' };
});
