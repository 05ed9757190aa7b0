/**
 * A plain POST form to the sign-out route, the same with JavaScript or without, and open during a
 * maintenance window (app/(public)/sign-out/route.ts).
 */
export function SignOutButton() {
  return (
    <form method="post" action="/sign-out">
      <button type="submit" className="button secondary">
        Sign out
      </button>
    </form>
  );
}
