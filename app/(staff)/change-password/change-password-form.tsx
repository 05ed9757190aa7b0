'use client';

import { useActionState, useState } from 'react';
import { DrawnFor } from '@/components/auth/drawn-for';
import { NewPasswordFields, PasswordInputWithCapsLock } from '@/components/auth/password-input-with-caps-lock';
import { PasskeyButton } from '@/components/mfa/passkey-button';
import { ErrorSummary } from '@/components/ui/error-summary';
import type { ActionState } from '@/lib/auth/guards';
import { changePasswordAction, changePasswordPasskeyOptionsAction } from './actions';

/**
 * `formKey` is made by the page for this rendering: sent twice, the form changes the password once and both copies say
 * so (lib/http/sent-once.ts). `drawnAtVersion`: the session's version as the page was drawn, so a page drawn before
 * another tab changed the password is not checked against the new one (lib/auth/change-own-password.ts).
 */
export function ChangePasswordForm({ minLength, withPasskey, formKey, drawnAtVersion }: { minLength: number; withPasskey: boolean; formKey: string; drawnAtVersion?: number }) {
  const [state, formAction, pending] = useActionState<ActionState, FormData>(changePasswordAction, { ok: false });
  const [passkeyError, setPasskeyError] = useState<string | null>(null);
  const fieldErrors = state.fieldErrors ?? {};

  return (
    // Passwords are never echoed back: after a failed submit the fields start empty, and the summary
    // (which takes focus) says which one to type again.
    <form action={formAction} noValidate>
      <DrawnFor />
      <input type="hidden" name="formKey" value={formKey} />
      {drawnAtVersion !== undefined && <input type="hidden" name="drawnAtVersion" value={drawnAtVersion} />}
      {passkeyError ? (
        <ErrorSummary errors={[{ message: passkeyError }]} focusKey={passkeyError} />
      ) : (
        <ErrorSummary state={state} order={['currentPassword', 'newPassword', 'confirmPassword']} />
      )}
      <PasswordInputWithCapsLock
        name="currentPassword"
        label="Current password"
        autoComplete="current-password"
        hint={
          withPasskey
            ? 'The temporary password from your administrator, or the password you use now. Or fill in the new password and use your passkey instead.'
            : 'The temporary password from your administrator, or the password you use now.'
        }
        errors={fieldErrors.currentPassword}
      />
      <NewPasswordFields minLength={minLength} errors={fieldErrors} />
      <button className="button" type="submit" disabled={pending}>
        {pending ? 'Changing…' : 'Change password'}
      </button>
      {withPasskey && (
        <>
          <input type="hidden" name="passkey" />{' '}
          <PasskeyButton
            mode="authenticate"
            optionsAction={changePasswordPasskeyOptionsAction}
            label="Use a passkey instead of the current password"
            ready={(form) => ((form.elements.namedItem('newPassword') as HTMLInputElement | null)?.value ? null : 'Enter a new password first, then use your passkey.')}
            onError={setPasskeyError}
          />
        </>
      )}
    </form>
  );
}
