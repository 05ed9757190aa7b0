'use client';

import { useActionState } from 'react';
import { ErrorSummary } from '@/components/ui/error-summary';
import { Field } from '@/components/ui/field';
import { lookUpStatusAction, type StatusFormState } from './actions';

export function StatusForm() {
  const [state, formAction, pending] = useActionState<StatusFormState, FormData>(lookUpStatusAction, { ok: false });
  const errors = state.fieldErrors ?? {};
  return (
    <>
      {state.ok && (
        <div className="notice success" role="status" aria-live="polite">
          <h2 style={{ marginTop: 0 }}>{state.title}</h2>
          <p style={{ marginBottom: 0 }}>{state.detail}</p>
        </div>
      )}
      <form action={formAction} noValidate key={JSON.stringify(state.values ?? {})}>
        <ErrorSummary state={state} order={['reference', 'loginName']} />
        <Field
          name="reference"
          label="Reference number"
          hint="10 letters and numbers, for example 7K3QZ-M4T9P"
          autoCapitalize="characters"
          autoComplete="off"
          spellCheck={false}
          defaultValue={state.values?.reference}
          errors={errors.reference}
        />
        <Field name="loginName" label="Login name" autoComplete="username" autoCapitalize="none" spellCheck={false} defaultValue={state.values?.loginName} errors={errors.loginName} />
        <button className="button" type="submit" disabled={pending}>
          {pending ? 'Checking…' : 'Check the state'}
        </button>
      </form>
    </>
  );
}
