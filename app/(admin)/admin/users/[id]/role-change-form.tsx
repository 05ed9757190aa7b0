'use client';

import { useActionState, useEffect, useRef } from 'react';
import { DrawnFor } from '@/components/auth/drawn-for';
import { useHydrated } from '@/components/help/use-hydrated';
import { useNotify } from '@/components/ui/action-notices';
import { AGENCY_ROLES, ROLE_LABEL, type AgencyRole } from '@/lib/auth/role-labels';
import { changeRoleAction, type RoleChangeState } from './actions';

/**
 * A role change in two submits: the role's button asks, "Yes" changes. Both are plain POSTs
 * (the question comes back from the server), so it works without JavaScript too; the server
 * changes nothing without the "yes".
 */
export function RoleChangeForm({ userId, currentRole }: { userId: string; currentRole: AgencyRole }) {
  const [state, formAction, pending] = useActionState<RoleChangeState, FormData>(changeRoleAction, { ok: false });
  const notify = useNotify();
  const hydrated = useHydrated();
  const question = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (state.confirm) question.current?.focus();
    else if (state.message) notify({ ok: state.ok, message: state.message });
  }, [state, notify]);

  if (state.confirm) {
    return (
      <form action={formAction} className="notice warning" data-testid="role-change-confirm">
        <DrawnFor />
        <input type="hidden" name="userId" value={userId} />
        <input type="hidden" name="role" value={state.confirm.role} />
        <input type="hidden" name="from" value={state.confirm.from} />
        <p tabIndex={-1} ref={question}>
          <strong>{state.confirm.question}</strong>
        </p>
        <div className="actions-row">
          <button className="button" type="submit" name="confirm" value="yes" disabled={pending}>
            {state.confirm.yes}
          </button>
          <button className="button secondary" type="submit" name="confirm" value="no" disabled={pending}>
            Cancel
          </button>
        </div>
      </form>
    );
  }
  return (
    <form action={formAction}>
      <DrawnFor />
      <input type="hidden" name="userId" value={userId} />
      {!hydrated && state.message && (
        <p className={state.ok ? 'notice success' : 'notice warning'} role={state.ok ? 'status' : 'alert'}>
          {state.message}
        </p>
      )}
      <div className="actions-row">
        {AGENCY_ROLES.filter((role) => role !== currentRole).map((role) => (
          <button key={role} className="button secondary" type="submit" name="role" value={role} disabled={pending}>
            Make {ROLE_LABEL[role].toLowerCase()}
          </button>
        ))}
      </div>
    </form>
  );
}
