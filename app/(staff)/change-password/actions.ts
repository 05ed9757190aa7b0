'use server';

import { redirect } from 'next/navigation';
import { changeOwnPassword, changePasswordSchema } from '@/lib/auth/change-own-password';
import { defineAction } from '@/lib/auth/guards';

export const changePasswordAction = defineAction(
  'change-own-password',
  { principal: 'agency', duringForcedPasswordChange: true },
  changePasswordSchema,
  async (actor, input, { ip }) => {
    const result = await changeOwnPassword(actor, input, ip);
    if (result.ok) redirect('/account?changed=1');
    return result;
  },
);
