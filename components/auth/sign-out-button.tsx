import { signOutAction } from '@/app/(public)/login/actions';

/** A plain POST form, so signing out works with JavaScript off too. */
export function SignOutButton() {
  return (
    <form action={signOutAction as unknown as (formData: FormData) => Promise<void>}>
      <button type="submit" className="button secondary">
        Sign out
      </button>
    </form>
  );
}
