'use server';

import { redirect } from 'next/navigation';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/auth/guards';
import { donePath } from '@/lib/http/done-notice';
import { addPasskey, addPasskeySchema } from '@/lib/mfa/add-passkey';
import { confirmTotpEnrolment, confirmTotpSchema } from '@/lib/mfa/confirm-totp-enrolment';
import { regenerateRecoveryCodes, regenerateRecoveryCodesSchema } from '@/lib/mfa/regenerate-recovery-codes';
import { REMOVAL_DONE, removeFactor, removeFactorSchema } from '@/lib/mfa/remove-factor';
import { startPasskeyConfirmation } from '@/lib/mfa/start-passkey-assertion';
import { startPasskeyRegistration } from '@/lib/mfa/start-passkey-registration';
import { startTotpEnrolment, startTotpEnrolmentSchema } from '@/lib/mfa/start-totp-enrolment';

// Enrolment is reachable by an account that must enrol before anything else.
const ACCESS = { principal: 'agency', duringEnrolment: true } as const;

export const startTotpAction = defineAction('start-totp-enrolment', ACCESS, startTotpEnrolmentSchema, async (actor, input, { ip }) => {
  const result = await startTotpEnrolment(actor, input, ip);
  if (result.ok) redirect('/account/security');
  return result;
});

// No revalidation: the page keeps this form so its state can show the recovery codes once.
export const confirmTotpAction = defineAction('confirm-totp-enrolment', ACCESS, confirmTotpSchema, async (actor, input, { ip }) =>
  confirmTotpEnrolment(actor, input, ip),
);

export const removeFactorAction = defineAction('remove-second-factor', ACCESS, removeFactorSchema, async (actor, input, { ip }) => {
  const result = await removeFactor(actor, input, ip);
  // The factor's form leaves the page with it, and its answer with the form: the page says it.
  if (result.ok) redirect(donePath('/account/security', 'factor-removed' satisfies keyof typeof REMOVAL_DONE, actor));
  revalidatePath('/account/security');
  return result;
});

// Drawn again with JavaScript too, so that the form gets a new key while its state shows the codes:
// making codes again on purpose is not the same rendering sent again (lib/http/sent-once.ts).
export const regenerateCodesAction = defineAction('regenerate-recovery-codes', ACCESS, regenerateRecoveryCodesSchema, async (actor, input, { ip }) => {
  const result = await regenerateRecoveryCodes(actor, input, ip);
  revalidatePath('/account/security');
  return result;
});

export const passkeyRegistrationOptionsAction = defineAction('passkey-registration-options', ACCESS, z.object({}), async (actor) =>
  startPasskeyRegistration(actor),
);

// No revalidation, as for the app: the form's state shows the recovery codes of a first factor once.
export const addPasskeyAction = defineAction('add-passkey', ACCESS, addPasskeySchema, async (actor, input, { ip }) => addPasskey(actor, input, ip));

// A fresh factor from a passkey before removing a factor or making new recovery codes.
export const passkeyConfirmationOptionsAction = defineAction('passkey-confirmation-options', ACCESS, z.object({}), async (actor) => ({
  ok: true,
  options: await startPasskeyConfirmation(actor),
}));
