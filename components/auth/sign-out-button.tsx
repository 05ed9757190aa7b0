'use client';

import { SIGNED_OUT, writeShared } from './between-tabs';

/**
 * A plain POST form to the sign-out route, the same with JavaScript or without, and open during a
 * maintenance window (app/(public)/sign-out/route.ts). With JavaScript it first tells the portal's
 * other tabs, which leave their pages for the sign-in page at once (LeaveWhenSignedOutElsewhere):
 * the session they show ends with this one (review r33b F1). A new value each time, for a value
 * unchanged raises no `storage` event.
 */
export function SignOutButton({ vendor = false }: { vendor?: boolean }) {
  return (
    <form method="post" action="/sign-out" onSubmit={() => writeShared(SIGNED_OUT, String(Date.now()))}>
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
