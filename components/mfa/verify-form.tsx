'use client';

import { useActionState } from 'react';
import { DrawnFor } from '@/components/auth/drawn-for';
import { ErrorSummary } from '@/components/ui/error-summary';
import { Field } from '@/components/ui/field';
import type { ActionState } from '@/lib/auth/guards';

/** The code step of a sign-in: an app code or a recovery code in one field; works without JavaScript. */
export function VerifyForm({ action, callbackPath }: { action: (previous: ActionState, formData: FormData) => Promise<ActionState>; callbackPath?: string }) {
  const [state, formAction, pending] = useActionState<ActionState, FormData>(action, { ok: false });
  const errors = state.fieldErrors?.code ?? (state.message && !state.ok ? [state.message] : undefined);
  return (
    <form action={formAction} noValidate>
      <DrawnFor />
      {errors && <ErrorSummary errors={errors.map((message) => ({ field: 'code', message }))} focusKey={state} />}
      <Field
        name="code"
        label="Code"
        hint="The 6-digit code your authenticator app shows now, or one of your recovery codes."
        errors={errors}
        autoComplete="one-time-code"
        spellCheck={false}
        autoFocus
      />
      {callbackPath && <input type="hidden" name="callbackUrl" value={callbackPath} />}
      <button className="button" type="submit" disabled={pending}>
        Continue
      </button>
    </form>
  );
}
