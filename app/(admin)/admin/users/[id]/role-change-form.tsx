'use client';

import { useActionState, useEffect, useRef, useState } from 'react';
import { DrawnFor } from '@/components/auth/drawn-for';
import { useHydrated } from '@/components/help/use-hydrated';
import { OwnFactorField } from '@/components/mfa/own-factor-field';
import { PasskeyButton, type PasskeyOptionsAction } from '@/components/mfa/passkey-button';
import { useNotify } from '@/components/ui/action-notices';
import { AGENCY_ROLES, ROLE_LABEL, type AgencyRole } from '@/lib/auth/role-labels';
import { changeRoleAction, type RoleChangeState } from './actions';

type Props = {
  userId: string;
  currentRole: AgencyRole;
  /** The page's key for the "yes": copies of one confirmation (a double press) take turns and use the code once. */
  formKey: string;
  /** The acting super admin's passkey, offered beside the code a raise asks for (when they have one). */
  freshPasskey?: PasskeyOptionsAction;
  /** The acting super admin is held to passkeys: their app codes are refused, a recovery code is not. */
  appCodesRefused?: boolean;
};

/**
 * A role change in two submits: the role's button asks, "Yes" changes. Both are plain POSTs
 * (the question comes back from the server), so it works without JavaScript too; the server
 * changes nothing without the "yes". A raise into an admin role asks, with the question, for the
 * acting super admin's own code or passkey (review r55g F1), as "Clear second factors" does.
 */
export function RoleChangeForm({ userId, currentRole, formKey, freshPasskey, appCodesRefused = false }: Props) {
  const [state, formAction, pending] = useActionState<RoleChangeState, FormData>(changeRoleAction, { ok: false });
  const [passkeyError, setPasskeyError] = useState<string | null>(null);
  const notify = useNotify();
  const hydrated = useHydrated();
  const question = useRef<HTMLParagraphElement>(null);
  const refusal = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    // Asked again with what was wrong (the code): the refusal takes focus, as the question did.
    if (state.confirm) (state.message ? refusal : question).current?.focus();
    else if (state.message) notify({ ok: state.ok, message: state.message });
  }, [state, notify]);

  if (state.confirm) {
    const { role, from, freshFactor } = state.confirm;
    const said = passkeyError ?? state.message;
    return (
      // A typed code sent after a passkey that was not used: the passkey's message gives way to the answer.
      <form action={formAction} onSubmit={() => setPasskeyError(null)} className="notice warning" data-testid="role-change-confirm">
        <DrawnFor />
        <input type="hidden" name="userId" value={userId} />
        <input type="hidden" name="role" value={role} />
        <input type="hidden" name="from" value={from} />
        <input type="hidden" name="formKey" value={formKey} />
        {said && (
          <p role="alert" tabIndex={-1} ref={refusal}>
            {said}
          </p>
        )}
        <p tabIndex={-1} ref={question}>
          <strong>{state.confirm.question}</strong>
        </p>
        {freshFactor && (
          <OwnFactorField
            id={`role-code-${userId}`}
            hint={`Confirm it is you: this gives ${ROLE_LABEL[role].toLowerCase()} powers over your agency’s accounts.`}
            appCodesRefused={appCodesRefused}
            errors={state.fieldErrors?.code}
          />
        )}
        <div className="actions-row">
          <button className="button" type="submit" name="confirm" value="yes" disabled={pending} data-passkey-submits>
            {state.confirm.yes}
          </button>
          {freshFactor && freshPasskey && <PasskeyButton mode="authenticate" optionsAction={freshPasskey} label="Use your passkey instead" onError={setPasskeyError} />}
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
