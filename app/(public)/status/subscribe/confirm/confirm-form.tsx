'use client';

import { useActionState } from 'react';
import { ErrorSummary } from '@/components/ui/error-summary';
import type { ActionState } from '@/lib/auth/guards';
import { confirmSubscriptionAction } from './actions';

export function ConfirmForm({ subscriberId, token }: { subscriberId: string; token: string }) {
  const [state, formAction, pending] = useActionState<ActionState, FormData>(confirmSubscriptionAction, { ok: false });
  return (
    <form action={formAction}>
      <ErrorSummary errors={state.message ? [{ message: state.message }] : []} />
      <input type="hidden" name="s" value={subscriberId} />
      <input type="hidden" name="t" value={token} />
      <button className="button" type="submit" disabled={pending}>
        Confirm my subscription
      </button>
    </form>
  );
}
