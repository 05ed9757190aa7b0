/**
 * A plain POST form to the sign-out route, the same with JavaScript or without, and open during a
 * maintenance window (app/(public)/sign-out/route.ts).
 */
export function SignOutButton({ vendor = false }: { vendor?: boolean }) {
  return (
    <form method="post" action="/sign-out">
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
