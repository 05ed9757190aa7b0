'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useEffect } from 'react';
import { DrawnFor } from '@/components/auth/drawn-for';
import { useHydrated } from '@/components/help/use-hydrated';
import { useNotify } from '@/components/ui/action-notices';
import type { ActionState } from '@/lib/auth/guards';

type Props = {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  fields: Record<string, string>;
  label: string;
  secondary?: boolean;
  /**
   * False once the action no longer applies (an unlocked account has no Unlock). The form stays
   * mounted without its button, so the result of the action that made it vanish is still told.
   */
  available?: boolean;
  /**
   * The action does not revalidate the page itself, because its success takes this form off the page
   * (a handled help request): the page is refreshed once the result has been told.
   */
  refreshAfter?: boolean;
};

/** One button that posts fixed fields to a server action; its result goes to the page's `ActionNotices`. */
export function AccountActionForm({ action, fields, label, secondary, available = true, refreshAfter }: Props) {
  const [state, formAction, pending] = useActionState<ActionState, FormData>(action, { ok: false });
  const notify = useNotify();
  const hydrated = useHydrated();
  const router = useRouter();
  useEffect(() => {
    if (!state.message) return;
    notify({ ok: state.ok, message: state.message });
    if (state.ok && refreshAfter) router.refresh();
  }, [state, notify, refreshAfter, router]);
  // Without JavaScript the page is rendered again with this result: say it here.
  const inline = !hydrated && state.message && (
    <p className={state.ok ? 'notice success' : 'notice warning'} role={state.ok ? 'status' : 'alert'}>
      {state.message}
    </p>
  );
  if (!available) return inline || null;
  return (
    <form action={formAction}>
      <DrawnFor />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button className={secondary ? 'button secondary' : 'button'} type="submit" disabled={pending}>
        {label}
      </button>
      {inline}
    </form>
  );
}
