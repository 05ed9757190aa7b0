'use client';

import { useActionState } from 'react';
import { confirmSubscriptionAction, type ConfirmState } from './actions';
import { LinkProblem } from './link-problem';

export function ConfirmForm({ subscriberId, issuedAt, token }: { subscriberId: string; issuedAt: string; token: string }) {
  const [state, formAction, pending] = useActionState<ConfirmState, FormData>(confirmSubscriptionAction, { ok: false });
  if (state.problem) return <LinkProblem problem={state.problem} />;
  return (
    <form action={formAction}>
      <input type="hidden" name="s" value={subscriberId} />
      <input type="hidden" name="e" value={issuedAt} />
      <input type="hidden" name="t" value={token} />
      <button className="button" type="submit" disabled={pending}>
        Confirm my subscription
      </button>
    </form>
  );
}
