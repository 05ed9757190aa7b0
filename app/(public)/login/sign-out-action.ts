'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { endBrowserSession } from '@/lib/auth/browser-session';
import { defineAction, getActor, PUBLIC } from '@/lib/auth/guards';

// A module of its own: every signed-in page shows the sign-out button, and a page serves every
// action of the modules it imports, so sign-in's actions stay on the sign-in page.
// Public: a session that must change its password, or one that has already ended, can still sign out.
export const signOutAction = defineAction('sign-out', PUBLIC, z.object({}), async () => {
  const actor = await getActor();
  await endBrowserSession();
  redirect(actor?.kind === 'vendor' ? '/vendor/login' : '/login');
});
