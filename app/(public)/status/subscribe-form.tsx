'use client';

import { useActionState } from 'react';
import { ErrorSummary } from '@/components/ui/error-summary';
import { Field } from '@/components/ui/field';
import type { ActionState } from '@/lib/auth/guards';
import { subscribeAction } from './actions';

export function SubscribeForm() {
  const [state, formAction, pending] = useActionState<ActionState, FormData>(subscribeAction, { ok: false });
  if (state.ok) {
    return (
      <p className="notice success" role="status">
        {state.message}
      </p>
    );
  }
  const errors = state.fieldErrors?.email;
  return (
    <form action={formAction} noValidate>
      <ErrorSummary state={state} order={['email']} />
      <Field
        name="email"
        label="E-mail address"
        hint="We send a link to confirm first. Every alert has a link to stop them."
        type="email"
        autoComplete="email"
        spellCheck={false}
        defaultValue={state.ok ? undefined : state.values?.email}
        errors={errors}
      />
      <button className="button" type="submit" disabled={pending}>
        {pending ? 'Subscribing…' : 'Get alerts by e-mail'}
      </button>
    </form>
  );
}
