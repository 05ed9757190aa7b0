'use client';

import { useActionState } from 'react';
import type { ActionState } from '@/lib/auth/guards';
import { bulkUnlockAction } from './actions';

/** The spray banner's bulk unlock: one box to tick, one button. */
export function BulkUnlockForm({ count }: { count: number }) {
  const [state, formAction, pending] = useActionState<ActionState, FormData>(bulkUnlockAction, { ok: false });
  if (state.ok) {
    return (
      <p className="notice success" role="status" data-testid="bulk-unlock-result">
        {state.message}
      </p>
    );
  }
  return (
    <form action={formAction}>
      <div className="field">
        <label>
          <input type="checkbox" name="confirm" value="yes" required style={{ width: 'auto', minHeight: 0, marginRight: '0.5rem' }} />
          Yes, unlock these {count} account{count === 1 ? '' : 's'}. Their passwords stay the same.
        </label>
        {state.fieldErrors?.confirm && <p className="field-error">{state.fieldErrors.confirm[0]}</p>}
      </div>
      <button className="button" type="submit" disabled={pending}>
        Unlock {count === 1 ? 'the account' : `all ${count} accounts`}
      </button>
      {state.message && !state.ok && (
        <p className="notice warning" role="alert">
          {state.message}
        </p>
      )}
    </form>
  );
}
