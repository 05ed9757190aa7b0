'use client';

import { useEffect } from 'react';
import { SIGN_IN_PATH } from '@/lib/auth/sign-in-messages';
import { SIGNED_OUT } from './between-tabs';

/**
 * A sign-out in another tab ends this tab's session too: it leaves at once for the sign-in page, as a
 * new document that replaces this page, so neither the page nor Back shows the account to whoever sits
 * down next (review r33b F1). Every signed-in page, idle limit or not.
 */
export function LeaveWhenSignedOutElsewhere({ vendor }: { vendor: boolean }) {
  useEffect(() => {
    const signedOutElsewhere = (event: StorageEvent) => {
      if (event.key === SIGNED_OUT) location.replace(SIGN_IN_PATH[vendor ? 'vendor' : 'agency']);
    };
    window.addEventListener('storage', signedOutElsewhere);
    return () => window.removeEventListener('storage', signedOutElsewhere);
  }, [vendor]);
  return null;
}
