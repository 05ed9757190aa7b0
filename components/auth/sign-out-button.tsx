'use client';

import { useActionState } from 'react';
import { signOutAction } from '@/app/(public)/login/sign-out-action';

/** A plain POST form, so signing out works with JavaScript off too. */
export function SignOutButton() {
  const [, formAction, pending] = useActionState(signOutAction, { ok: true });
  return (
    <form action={formAction}>
      <button type="submit" className="button secondary" disabled={pending}>
        Sign out
      </button>
    </form>
  );
}
