'use server';

import { notFound, redirect } from 'next/navigation';
import { z } from 'zod';
import { defineAction, PUBLIC } from '@/lib/auth/guards';
import { rememberAccountHere } from '@/lib/auth/known-browser';
import { formKeyField } from '@/lib/http/form-key';
import { resetPasswordWithLink, type ResetWithLinkResult } from '@/lib/password-reset/reset-password-with-link';
import { refusedAsVendor } from '@/lib/password-reset/refused-as-vendor';

// What the form posts; `username` is the read-only hint password managers need beside a new
// password, and is ignored. The password rules live in the use case.
const resetFormSchema = z.object({
  token: z.string().max(128),
  ...formKeyField,
  username: z.string().max(300).optional(),
  newPassword: z.string().max(4096),
  confirmPassword: z.string().max(4096),
});

// Public: the link itself is the authority. The passwords are never sent back to the browser.
// Done, it goes to a page of its own: this one, rendered again for a browser without JavaScript,
// would find its link used up and say it cannot be used.
export const resetWithLinkAction = defineAction('reset-with-link', PUBLIC, resetFormSchema, async (_actor, input, { ip }): Promise<ResetWithLinkResult> => {
  if (await refusedAsVendor('action reset-with-link')) notFound();
  const result = await resetPasswordWithLink(input.token, input.newPassword, input.confirmPassword, ip, input.formKey);
  if (result.ok) {
    // The link was mailed to the address on record and this browser set the password with it: the owner's browser,
    // let past strangers' lock on the account as after a sign-in here (decision 062, session 53 addendum).
    if (result.account) await rememberAccountHere(result.account);
    redirect('/reset/done');
  }
  return result;
});
