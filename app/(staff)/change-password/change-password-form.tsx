'use client';

import { useActionState } from 'react';
import { PasswordInputWithCapsLock } from '@/components/auth/password-input-with-caps-lock';
import { ErrorSummary } from '@/components/ui/error-summary';
import type { ActionState } from '@/lib/auth/guards';
import { changePasswordAction } from './actions';

export function ChangePasswordForm({ minLength }: { minLength: number }) {
  const [state, formAction, pending] = useActionState<ActionState, FormData>(changePasswordAction, { ok: false });
  const fieldErrors = state.fieldErrors ?? {};

  return (
    // Passwords are never echoed back: after a failed submit the fields start empty, and the summary
    // (which takes focus) says which one to type again.
    <form action={formAction} noValidate>
      <ErrorSummary state={state} order={['currentPassword', 'newPassword', 'confirmPassword']} />
      <PasswordInputWithCapsLock
        name="currentPassword"
        label="Current password"
        autoComplete="current-password"
        hint="The temporary password from your administrator, or the password you use now."
        errors={fieldErrors.currentPassword}
      />
      <PasswordInputWithCapsLock
        name="newPassword"
        label="New password"
        autoComplete="new-password"
        hint={`At least ${minLength} characters. Try three or four unrelated words, like "copper lantern rainy tulip".`}
        errors={fieldErrors.newPassword}
      />
      <PasswordInputWithCapsLock
        name="confirmPassword"
        label="Confirm new password"
        autoComplete="new-password"
        errors={fieldErrors.confirmPassword}
      />
      <button className="button" type="submit" disabled={pending}>
        {pending ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}
