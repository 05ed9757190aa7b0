'use server';

import { redirect } from 'next/navigation';
import { startBrowserSession } from '@/lib/auth/browser-session';
import { defineAction } from '@/lib/auth/guards';
import { z } from 'zod';
import { startPasskeyConfirmation } from '@/lib/mfa/start-passkey-assertion';
import {
  verifyPasskeySecondFactorSchema,
  verifySecondFactorSchema,
  verifySignInPasskey,
  verifySignInSecondFactor,
  type VerifyOutcome,
} from '@/lib/mfa/verify-sign-in-second-factor';

export const verifySecondFactorAction = defineAction(
  'verify-second-factor-vendor',
  { principal: 'vendor', duringSecondFactor: true },
  verifySecondFactorSchema,
  async (actor, input, { ip }) => settle(await verifySignInSecondFactor(actor, input, ip)),
);

export const passkeyOptionsAction = defineAction('passkey-second-factor-options-vendor', { principal: 'vendor', duringSecondFactor: true }, z.object({}), async (actor) => ({
  ok: true,
  options: await startPasskeyConfirmation(actor),
}));

export const verifyPasskeyAction = defineAction('verify-passkey-vendor', { principal: 'vendor', duringSecondFactor: true }, verifyPasskeySecondFactorSchema, async (actor, input, { ip }) =>
  settle(await verifySignInPasskey(actor, input, ip)),
);

async function settle(outcome: VerifyOutcome) {
  if (outcome.ok) {
    await startBrowserSession(outcome.sessionId, 'vendor');
    redirect('/vendor');
  }
  if (outcome.reason === 'LOCKED') {
    // The pending session has ended: the next step is a new sign-in once the lock expires.
    return { ok: false, message: 'Too many wrong codes. Your account is locked for a while: sign in again later, or ask your administrator to unlock it.' };
  }
  if (outcome.reason === 'PASSKEY_REQUIRED') {
    return { ok: false, message: 'Your agency requires administrators to finish signing in with a passkey. Use your passkey, or a recovery code if you lost it.' };
  }
  if (outcome.reason === 'NOT_PENDING') redirect('/vendor');
  return { ok: false, message: 'That code is not right, or it was already used. Type the code your app shows now, or use your passkey again.' };
}
