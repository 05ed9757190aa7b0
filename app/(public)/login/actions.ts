'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { endBrowserSession } from '@/lib/auth/browser-session';
import { defineAction, getActor, PUBLIC } from '@/lib/auth/guards';
import { signInAgencyUser } from '@/lib/auth/sign-in';
import { agencySignInFormSchema, finishFormSignIn } from '@/lib/auth/sign-in-form';

export const signInAction = defineAction('sign-in', PUBLIC, agencySignInFormSchema, async (_actor, input, { ip }) => {
  const { callbackUrl, ...credentials } = input;
  const typed = { providerCode: input.providerCode, loginName: input.loginName, callbackUrl: callbackUrl ?? '' };
  return finishFormSignIn(await signInAgencyUser(credentials, ip), 'agency', typed, callbackUrl);
});

// Public: a session that must change its password, or one that has already ended, can still sign out.
export const signOutAction = defineAction('sign-out', PUBLIC, z.object({}), async () => {
  const actor = await getActor();
  await endBrowserSession();
  redirect(actor?.kind === 'vendor' ? '/vendor/login' : '/login');
});
