'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { defineAction, PUBLIC, type ActionState } from '@/lib/auth/guards';
import { requestClientIp } from '@/lib/http/client-ip';
import { tokenPageThrottled } from '@/lib/rate-limit/token-pages';
import { unsubscribeStatusSubscriber } from '@/lib/status/manage-subscription';

export type StopAlertsState = ActionState & { linkInvalid?: boolean };

const stopAlertsSchema = z.object({ s: z.string().max(64), t: z.string().max(64) });

/** Public: the HMAC in the link is the only credential. */
export const stopAlertsAction = defineAction('status-stop-alerts', PUBLIC, stopAlertsSchema, async (_actor, link): Promise<StopAlertsState> => {
  if (await tokenPageThrottled(await requestClientIp())) return { ok: false, linkInvalid: true };
  if (await unsubscribeStatusSubscriber(link.s, link.t)) redirect('/status/unsubscribed');
  return { ok: false, linkInvalid: true };
});
