'use server';

import { redirect } from 'next/navigation';
import { startBrowserSession } from '@/lib/auth/browser-session';
import { defineAction } from '@/lib/auth/guards';
import { verifySecondFactorSchema, verifySignInSecondFactor } from '@/lib/mfa/verify-sign-in-second-factor';

export const verifySecondFactorAction = defineAction(
  'verify-second-factor-agency',
  { principal: 'agency', duringSecondFactor: true },
  verifySecondFactorSchema,
  async (actor, input, { ip }) => {
    const outcome = await verifySignInSecondFactor(actor, input, ip);
    if (outcome.ok) {
      await startBrowserSession(outcome.sessionId, 'agency');
      redirect('/account');
    }
    if (outcome.reason === 'LOCKED') {
      // The pending session has ended: the next step is a new sign-in once the lock expires.
      return { ok: false, message: 'Too many wrong codes. Your account is locked for a while: sign in again later, or ask your administrator to unlock it.' };
    }
    if (outcome.reason === 'NOT_PENDING') redirect('/account');
    return { ok: false, message: 'That code is not right, or it was already used. Type the code your app shows now.' };
  },
);
