'use client';

import { useActionState } from 'react';
import { NewPasswordFields } from '@/components/auth/password-input-with-caps-lock';
import { ErrorSummary } from '@/components/ui/error-summary';
import type { ResetWithLinkResult } from '@/lib/password-reset/reset-password-with-link';
import { resetWithLinkAction } from './actions';
import { LinkCannotBeUsed } from './link-cannot-be-used';

/** `formKey`: this rendering's key (lib/http/sent-once.ts), made on the server with the page. */
type Props = { token: string; formKey: string; loginName: string; agencyCode: string; minLength: number };

export function ResetForm({ token, formKey, loginName, agencyCode, minLength }: Props) {
  const [state, formAction, pending] = useActionState<ResetWithLinkResult, FormData>(resetWithLinkAction, { ok: false });
  if (!state.ok && state.linkInvalid) return <LinkCannotBeUsed />;
  const errors = state.fieldErrors ?? {};
  return (
    <form action={formAction} noValidate>
      <ErrorSummary state={state} order={['newPassword', 'confirmPassword']} />
      <input type="hidden" name="token" value={token} />
      <input type="hidden" name="formKey" value={formKey} />
      {/* Lets a password manager file the new password under the right account. */}
      <input type="text" name="username" autoComplete="username" value={`${agencyCode} ${loginName}`} readOnly hidden />
      <NewPasswordFields minLength={minLength} errors={errors} />
      <button className="button" type="submit" disabled={pending}>
        {pending ? 'Saving…' : 'Set new password'}
      </button>
    </form>
  );
}
