'use server';

import { defineAction } from '@/lib/auth/guards';
import type { Actor } from '@/lib/auth/session';
import { codeStepCopyLanding, finishSecondFactor } from '@/lib/auth/sign-in-form';
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
  'verify-second-factor-agency',
  { principal: 'agency', duringSecondFactor: true },
  verifySecondFactorSchema,
  async (actor, input, { ip }) => settle(actor, await verifySignInSecondFactor(actor, input, ip), input.callbackUrl),
  { whenSignedOut: codeStepCopyLanding('agency') },
);

export const passkeyOptionsAction = defineAction('passkey-second-factor-options-agency', { principal: 'agency', duringSecondFactor: true }, z.object({}), async (actor) => ({
  ok: true,
  options: await startPasskeyConfirmation(actor),
}));

export const verifyPasskeyAction = defineAction('verify-passkey-agency', { principal: 'agency', duringSecondFactor: true }, verifyPasskeySecondFactorSchema, async (actor, input, { ip }) =>
  settle(actor, await verifySignInPasskey(actor, input, ip), input.callbackUrl),
  { whenSignedOut: codeStepCopyLanding('agency') },
);

const settle = (actor: Actor, outcome: VerifyOutcome, callback: string | undefined) => finishSecondFactor(outcome, actor, callback);
