'use server';

import { defineAction, PUBLIC } from '@/lib/auth/guards';
import { requestStatusSubscription, subscribeSchema } from '@/lib/status/subscribe';
import { SUBSCRIPTION_REQUESTED_MESSAGE } from '@/lib/status/subscription-requested';

/**
 * Public form: zod and the rate limiter, no session. Without JavaScript a success leads to a page of
 * its own: reloading the answer would send another confirmation.
 */
export const subscribeAction = defineAction(
  'status-subscribe',
  PUBLIC,
  subscribeSchema,
  async (_actor, input, { ip }) => {
    const result = await requestStatusSubscription(input, ip);
    if (!result.ok) return { ok: false, message: 'Too many sign-ups from your connection. Try again in an hour.', values: { email: input.email } };
    // The same answer whether or not the address was already subscribed.
    return { ok: true, message: SUBSCRIPTION_REQUESTED_MESSAGE };
  },
  { afterSuccessWithoutJavaScript: () => '/status/subscribe/requested' },
);
