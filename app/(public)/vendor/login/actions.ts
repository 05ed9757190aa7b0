'use server';

import { z } from 'zod';
import { signingBrowserHere } from '@/lib/auth/browser-session';
import { accountsKnownHere, lastAccountKnownHere } from '@/lib/auth/known-browser';
import { defineAction, PUBLIC } from '@/lib/auth/guards';
import { signInVendorAccount } from '@/lib/auth/sign-in';
import { finishFormSignIn, finishPasskeySignIn, vendorSignInFormSchema } from '@/lib/auth/sign-in-form';
import { passkeySignInSchema, signInWithPasskey } from '@/lib/auth/sign-in-with-passkey';
import { startPasskeySignIn } from '@/lib/mfa/start-passkey-assertion';

export const vendorSignInAction = defineAction('vendor-sign-in', PUBLIC, vendorSignInFormSchema, async (_actor, input, { ip }) =>
  finishFormSignIn(await signInVendorAccount(input, ip, await accountsKnownHere(), await signingBrowserHere()), 'vendor', { email: input.email }),
);

export const passkeySignInOptionsAction = defineAction('vendor-passkey-sign-in-options', PUBLIC, z.object({}), async (_actor, _input, { ip }) => {
  const options = await startPasskeySignIn(ip, await lastAccountKnownHere());
  return options ? { ok: true, options } : { ok: false, message: 'Too many passkey sign-ins from your network. Wait 15 minutes and try again.' };
});

export const passkeySignInAction = defineAction('vendor-passkey-sign-in', PUBLIC, passkeySignInSchema, async (_actor, input, { ip }) =>
  finishPasskeySignIn(await signInWithPasskey('vendor', input.passkey, ip, await accountsKnownHere()), 'vendor'),
);
