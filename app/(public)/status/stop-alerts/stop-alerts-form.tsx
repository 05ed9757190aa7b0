'use client';

import { useActionState } from 'react';
import { stopAlertsAction, type StopAlertsState } from './actions';
import { LinkDoesNotWork } from './link-does-not-work';

export function StopAlertsForm({ subscriberId, token }: { subscriberId: string; token: string }) {
  const [state, formAction, pending] = useActionState<StopAlertsState, FormData>(stopAlertsAction, { ok: false });
  if (state.linkInvalid) return <LinkDoesNotWork />;
  return (
    <form action={formAction}>
      <input type="hidden" name="s" value={subscriberId} />
      <input type="hidden" name="t" value={token} />
      <button className="button" type="submit" disabled={pending}>
        Stop status alerts
      </button>
    </form>
  );
}
