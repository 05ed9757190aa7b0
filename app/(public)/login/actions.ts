'use server';

import { z } from 'zod';
import { signingBrowserHere } from '@/lib/auth/browser-session';
import { accountsKnownHere, lastAccountKnownHere } from '@/lib/auth/known-browser';
import { defineAction, PUBLIC } from '@/lib/auth/guards';
import { signInAgencyUser } from '@/lib/auth/sign-in';
import { agencySignInFormSchema, finishFormSignIn, finishPasskeySignIn } from '@/lib/auth/sign-in-form';
import { passkeySignInSchema, signInWithPasskey } from '@/lib/auth/sign-in-with-passkey';
import { startPasskeySignIn } from '@/lib/mfa/start-passkey-assertion';

export const signInAction = defineAction('sign-in', PUBLIC, agencySignInFormSchema, async (_actor, input, { ip }) => {
  const { callbackUrl, ...credentials } = input;
  const typed = { providerCode: input.providerCode, loginName: input.loginName, callbackUrl: callbackUrl ?? '' };
  return finishFormSignIn(await signInAgencyUser(credentials, ip, await accountsKnownHere(), await signingBrowserHere()), 'agency', typed, callbackUrl);
});

export const passkeySignInOptionsAction = defineAction('passkey-sign-in-options', PUBLIC, z.object({}), async (_actor, _input, { ip }) => {
  const options = await startPasskeySignIn(ip, await lastAccountKnownHere());
  return options ? { ok: true, options } : { ok: false, message: 'Too many passkey sign-ins from your network. Wait 15 minutes and try again.' };
});

export const passkeySignInAction = defineAction('passkey-sign-in', PUBLIC, passkeySignInSchema, async (_actor, input, { ip }) =>
  finishPasskeySignIn(await signInWithPasskey('agency', input.passkey, ip, await accountsKnownHere()), 'agency', input.callbackUrl),
);
