'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { endBrowserSession } from '@/lib/auth/browser-session';
import { defineAction, getActor, PUBLIC } from '@/lib/auth/guards';
import { SIGNED_OUT } from '@/lib/auth/sign-in-messages';
import { ANYONE, donePath } from '@/lib/http/done-notice';

// A module of its own: every signed-in page shows the sign-out button, and a page serves every
// action of the modules it imports, so sign-in's actions stay on the sign-in page.
// Public: a session that must change its password, or one that has already ended, can still sign out.
export const signOutAction = defineAction('sign-out', PUBLIC, z.object({}), async (_anyone, _input, { ip }) => {
  const actor = await getActor();
  await endBrowserSession(ip);
  // The sign-in page then says so: on an agency's shared computer, the next person can tell a sign-out
  // that worked from a session that ran out or a button that did nothing. The vendor's sign-in page is
  // prerendered (its own staff, their own devices) and stays so: a notice would render it per request.
  redirect(actor?.kind === 'vendor' ? '/vendor/login' : donePath('/login', SIGNED_OUT, ANYONE));
});
