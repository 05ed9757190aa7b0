'use server';

import { notFound } from 'next/navigation';
import { z } from 'zod';
import { defineAction, PUBLIC } from '@/lib/auth/guards';
import { resetPasswordWithLink, type ResetWithLinkResult } from '@/lib/password-reset/reset-password-with-link';
import { refusedAsVendor } from '@/lib/password-reset/refused-as-vendor';

// What the form posts; `username` is the read-only hint password managers need beside a new
// password, and is ignored. The password rules live in the use case.
const resetFormSchema = z.object({
  token: z.string().max(128),
  username: z.string().max(300).optional(),
  newPassword: z.string().max(4096),
  confirmPassword: z.string().max(4096),
});

// Public: the link itself is the authority. The passwords are never sent back to the browser.
export const resetWithLinkAction = defineAction('reset-with-link', PUBLIC, resetFormSchema, async (_actor, input, { ip }): Promise<ResetWithLinkResult> => {
  if (await refusedAsVendor('action reset-with-link')) notFound();
  return resetPasswordWithLink(input.token, input.newPassword, input.confirmPassword, ip);
});
