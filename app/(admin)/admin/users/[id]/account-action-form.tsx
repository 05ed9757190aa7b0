'use client';

import { useActionState } from 'react';
import type { ActionState } from '@/lib/auth/guards';

type Props = {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  fields: Record<string, string>;
  label: string;
  secondary?: boolean;
};

/** One button that posts fixed fields to a server action and says how it went. */
export function AccountActionForm({ action, fields, label, secondary }: Props) {
  const [state, formAction, pending] = useActionState<ActionState, FormData>(action, { ok: false });
  return (
    <form action={formAction}>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button className={secondary ? 'button secondary' : 'button'} type="submit" disabled={pending}>
        {label}
      </button>
      {state.message && (
        <p className={state.ok ? 'notice success' : 'notice warning'} role={state.ok ? 'status' : 'alert'}>
          {state.message}
        </p>
      )}
    </form>
  );
}
