'use client';

import { useActionState, useEffect, useRef } from 'react';
import { DrawnFor } from '@/components/auth/drawn-for';
import { CheckboxField } from '@/components/ui/checkbox-field';
import { ErrorSummary } from '@/components/ui/error-summary';
import type { ActionState } from '@/lib/auth/guards';
import { bulkUnlockAction } from './actions';

/**
 * The spray banner's bulk unlock: one box to tick, one button; `perPress` accounts at most each time.
 * The form says how many it asked to unlock and when the banner counted them (`shownAt`): the press
 * unlocks those, not what was locked since (lib/admin/bulk-unlock-users.ts).
 */
export function BulkUnlockForm({ count, perPress, shownAt }: { count: number; perPress: number; shownAt: number }) {
  const now = Math.min(count, perPress);
  const shown = (n: number) => n.toLocaleString('en-US');
  const [state, formAction, pending] = useActionState<ActionState, FormData>(bulkUnlockAction, { ok: false });
  const result = useRef<HTMLParagraphElement>(null);
  // The form gives way to its result: focus goes there rather than back to the top of the page.
  useEffect(() => {
    if (state.ok) result.current?.focus();
  }, [state]);
  if (state.ok) {
    return (
      <p className="notice success" role="status" tabIndex={-1} ref={result} data-testid="bulk-unlock-result">
        {state.message}
      </p>
    );
  }
  return (
    <form action={formAction}>
      <DrawnFor />
      <ErrorSummary state={state} />
      <input type="hidden" name="shown" value={now} />
      <input type="hidden" name="shownAt" value={shownAt} />
      <CheckboxField
        name="confirm"
        value="yes"
        required
        label={
          now < count
            ? `Yes, unlock ${shown(now)} of these ${shown(count)} accounts now. Their passwords stay the same.`
            : `Yes, unlock these ${count} account${count === 1 ? '' : 's'}. Their passwords stay the same.`
        }
        errors={state.fieldErrors?.confirm}
      />
      <button className="button" type="submit" disabled={pending}>
        {now < count ? `Unlock ${shown(now)} accounts` : `Unlock ${count === 1 ? 'the account' : `all ${count} accounts`}`}
      </button>
    </form>
  );
}
