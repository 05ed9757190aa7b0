'use client';

import { forgetShared, SIGNED_IN_AS, SIGNED_OUT, writeShared } from './between-tabs';

/** Tells the other tabs (a new value each time: a value unchanged raises no `storage` event), and forgets whose tabs these were. */
function signingOut() {
  writeShared(SIGNED_OUT, String(Date.now()));
  forgetShared(SIGNED_IN_AS);
}

/**
 * A plain POST form to the sign-out route, the same with JavaScript or without, and open during a
 * maintenance window (app/(public)/sign-out/route.ts). With JavaScript it first tells the portal's
 * other tabs, which leave their pages for the sign-in page at once (LeaveWhenSignedOutElsewhere):
 * the session they show ends with this one (review r33b F1). The mark of the account signed in goes
 * too: the next person at a shared computer finds nothing of it in the browser's storage (review r52c I1).
 */
export function SignOutButton({ vendor = false }: { vendor?: boolean }) {
  return (
    <form method="post" action="/sign-out" onSubmit={signingOut}>
      <VendorPortalField vendor={vendor} />
      <button type="submit" className="button secondary">
        Sign out
      </button>
    </form>
  );
}

/** A session that has ended already names no kind of account: the vendor's pages say theirs, to land on their sign-in page. */
export function VendorPortalField({ vendor }: { vendor: boolean }) {
  return vendor ? <input type="hidden" name="portal" value="vendor" /> : null;
}
