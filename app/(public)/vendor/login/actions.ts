'use server';

import { defineAction, PUBLIC } from '@/lib/auth/guards';
import { signInVendorAccount } from '@/lib/auth/sign-in';
import { finishFormSignIn, vendorSignInFormSchema } from '@/lib/auth/sign-in-form';

export const vendorSignInAction = defineAction('vendor-sign-in', PUBLIC, vendorSignInFormSchema, async (_actor, input, { ip }) =>
  finishFormSignIn(await signInVendorAccount(input, ip), 'vendor', { email: input.email }),
);
