'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { NEXT_STEP_PATH, type Access } from '@/lib/auth/access';
import { changeOwnPassword, changePasswordSchema } from '@/lib/auth/change-own-password';
import { defineAction } from '@/lib/auth/guards';
import { donePath } from '@/lib/http/done-notice';
import { startPasskeyConfirmation } from '@/lib/mfa/start-passkey-assertion';

const ACCESS = { principal: 'agency', duringForcedPasswordChange: true } as const satisfies Access;

export const changePasswordAction = defineAction(
  'change-own-password',
  ACCESS,
  changePasswordSchema,
  async (actor, input, { ip }) => {
    const result = await changeOwnPassword(actor, input, ip);
    if (!result.ok) return result;
    // Where the session may go now, which says it was done: an account that must still add a second factor (its
    // factors were cleared with the password) is sent on to its security page, and the notice went with it (review r44a F1).
    redirect(donePath(result.secondFactorDue ? NEXT_STEP_PATH.agency['enrolment-required'] : '/account', result.done, actor));
  },
);

// A passkey instead of the current password: after a passkey sign-in over a temporary password, the
// person may never have been told that password.
export const changePasswordPasskeyOptionsAction = defineAction('change-password-passkey-options', ACCESS, z.object({}), async (actor) => ({
  ok: true,
  options: await startPasskeyConfirmation(actor),
}));
