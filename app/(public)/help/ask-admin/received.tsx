import { VENDOR_PROMISE } from '@/lib/help/guide-steps';
import { OnlyAdministrator } from './only-administrator';

/** What the ask-admin form says once sent: the same words whether or not the details matched an account, so no one learns who has one. */
export function AskAdminReceived() {
  return (
    <>
      <p>
        If the provider code and login name match a CareNotes account, we have told that agency’s administrators that you
        need help signing in.
      </p>
      <p>
        An administrator should contact you. They can reset your password or unlock your account. For your account’s
        safety, we do not say who they are or whether the details matched an account.
      </p>
      <p>If you hear nothing by the end of the next working day, ask your manager who your CareNotes administrator is.</p>
      <OnlyAdministrator />
      <p>{VENDOR_PROMISE}</p>
      <p>
        <a href="/help">Back to the sign-in help guide</a>
      </p>
    </>
  );
}
