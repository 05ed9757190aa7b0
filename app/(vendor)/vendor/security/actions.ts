'use server';

import { redirect } from 'next/navigation';
import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/auth/guards';
import { confirmTotpEnrolment, confirmTotpSchema } from '@/lib/mfa/confirm-totp-enrolment';
import { regenerateRecoveryCodes, regenerateRecoveryCodesSchema } from '@/lib/mfa/regenerate-recovery-codes';
import { removeFactor, removeFactorSchema } from '@/lib/mfa/remove-factor';
import { startTotpEnrolment, startTotpEnrolmentSchema } from '@/lib/mfa/start-totp-enrolment';

// Enrolment is reachable by an account that must enrol before anything else.
const ACCESS = { principal: 'vendor', duringEnrolment: true } as const;

export const startTotpAction = defineAction('start-totp-enrolment', ACCESS, startTotpEnrolmentSchema, async (actor, input) => {
  const result = await startTotpEnrolment(actor, input);
  if (result.ok) redirect('/vendor/security');
  return result;
});

// No revalidation: the page keeps this form so its state can show the recovery codes once.
export const confirmTotpAction = defineAction('confirm-totp-enrolment', ACCESS, confirmTotpSchema, async (actor, input, { ip }) =>
  confirmTotpEnrolment(actor, input, ip),
);

export const removeFactorAction = defineAction('remove-second-factor', ACCESS, removeFactorSchema, async (actor, input, { ip }) => {
  const result = await removeFactor(actor, input, ip);
  revalidatePath('/vendor/security');
  return result;
});

export const regenerateCodesAction = defineAction('regenerate-recovery-codes', ACCESS, regenerateRecoveryCodesSchema, async (actor, input, { ip }) =>
  regenerateRecoveryCodes(actor, input, ip),
);
