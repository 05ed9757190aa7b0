'use client';

import { signOut } from 'next-auth/react';

export function SignOutButton({ redirectTo }: { redirectTo: string }) {
  return (
    <button type="button" className="button secondary" onClick={() => signOut({ callbackUrl: redirectTo })}>
      Sign out
    </button>
  );
}
