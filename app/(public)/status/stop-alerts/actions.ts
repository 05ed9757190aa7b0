'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { defineAction, PUBLIC, type ActionState } from '@/lib/auth/guards';
import { unsubscribeStatusSubscriber } from '@/lib/status/manage-subscription';

export type StopAlertsState = ActionState & { linkInvalid?: boolean };

const stopAlertsSchema = z.object({ s: z.string().max(64), t: z.string().max(64) });

/** Public: the HMAC in the link is the only credential. Nothing is counted: a wrong one costs a keyed hash and writes nothing (decision 027). */
export const stopAlertsAction = defineAction('status-stop-alerts', PUBLIC, stopAlertsSchema, async (_actor, link): Promise<StopAlertsState> => {
  if (await unsubscribeStatusSubscriber(link.s, link.t)) redirect('/status/unsubscribed');
  return { ok: false, linkInvalid: true };
});
