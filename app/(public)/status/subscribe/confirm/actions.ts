'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import type { ActionState } from '@/lib/auth/guards';
import { confirmStatusSubscription } from '@/lib/status/manage-subscription';

const confirmSchema = z.object({ s: z.string().max(64), t: z.string().max(64) });

/** Public: the HMAC in the link is the only credential. */
export async function confirmSubscriptionAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const parsed = confirmSchema.safeParse(Object.fromEntries(formData));
  if (parsed.success && (await confirmStatusSubscription(parsed.data.s, parsed.data.t))) redirect('/status/subscribed');
  return { ok: false, message: 'This link does not work. Subscribe again on the status page to get a new one.' };
}
