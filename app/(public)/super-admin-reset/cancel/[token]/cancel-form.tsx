'use client';

import { useActionState } from 'react';
import { cancelRequestAction, type CancelFormState } from './actions';

export function CancelForm({ token }: { token: string }) {
  const [state, formAction, pending] = useActionState<CancelFormState, FormData>(cancelRequestAction, { ok: false });
  if (state.message) {
    return (
      <p className={state.ok ? 'notice success' : 'notice warning'} role="status">
        {state.message}
      </p>
    );
  }
  return (
    <form action={formAction}>
      <input type="hidden" name="token" value={token} />
      <button className="button" type="submit" disabled={pending}>
        {pending ? 'Cancelling…' : 'Cancel this request'}
      </button>
    </form>
  );
}
