'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { defineAction, PUBLIC, type ActionState } from '@/lib/auth/guards';
import { confirmStatusSubscription } from '@/lib/status/manage-subscription';
import type { ConfirmLinkProblem } from './link-problem';

export type ConfirmState = ActionState & { problem?: ConfirmLinkProblem };

const confirmSchema = z.object({ s: z.string().max(64), e: z.string().max(16), t: z.string().max(64) });

/** Public: the HMAC in the link is the only credential. Nothing is counted: a wrong one costs a keyed hash and writes nothing (decision 027). */
export const confirmSubscriptionAction = defineAction(
  'status-confirm-subscription',
  PUBLIC,
  confirmSchema,
  async (_actor, link): Promise<ConfirmState> => {
    const outcome = await confirmStatusSubscription(link);
    if (outcome === 'confirmed') redirect('/status/subscribed');
    return { ok: false, problem: outcome };
  },
);
