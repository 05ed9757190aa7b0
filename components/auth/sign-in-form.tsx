'use client';

import { useActionState, useState, type FormEvent } from 'react';
import { PasswordInputWithCapsLock } from '@/components/auth/password-input-with-caps-lock';
import { ErrorSummary } from '@/components/ui/error-summary';
import { Field } from '@/components/ui/field';
import type { ActionState } from '@/lib/auth/guards';

export type IdentifierField = {
  name: string;
  label: string;
  hint?: string;
  type?: 'text' | 'email';
  autoComplete: string;
  /** Shown when the field is left empty (the server says the same without JavaScript). */
  required: string;
};

type Props = {
  action: (previous: ActionState, formData: FormData) => Promise<ActionState>;
  fields: IdentifierField[];
  /** Where to continue after signing in; the server checks it again. */
  callbackPath?: string;
};

const PASSWORD_REQUIRED = 'Enter your password';

/**
 * Credentials sign-in as a plain POST form to a server action: it works before and without
 * JavaScript (the server renders its errors), and JavaScript only adds the live checks.
 */
export function SignInForm({ action, fields, callbackPath }: Props) {
  const [state, formAction, pending] = useActionState(action, { ok: true });
  const [missing, setMissing] = useState<Record<string, string>>({});

  function checkFilledIn(event: FormEvent<HTMLFormElement>) {
    const form = new FormData(event.currentTarget);
    const empty: Record<string, string> = {};
    for (const field of fields) if (!String(form.get(field.name) ?? '').trim()) empty[field.name] = field.required;
    if (!form.get('password')) empty.password = PASSWORD_REQUIRED;
    setMissing(empty);
    if (Object.keys(empty).length > 0) event.preventDefault();
  }

  const serverErrors = Object.fromEntries(
    Object.entries(state.fieldErrors ?? {}).flatMap(([name, messages]) => (messages?.[0] ? [[name, messages[0]]] : [])),
  );
  const fieldErrors: Record<string, string> = Object.keys(missing).length > 0 ? missing : serverErrors;
  const summary = [
    ...Object.entries(fieldErrors).map(([field, message]) => ({ field, message })),
    ...(Object.keys(missing).length === 0 && !state.ok && state.message && !state.fieldErrors ? [{ message: state.message }] : []),
  ];
  const errorsOf = (name: string) => (fieldErrors[name] ? [fieldErrors[name]] : undefined);

  return (
    <form action={formAction} onSubmit={checkFilledIn} noValidate>
      <ErrorSummary errors={summary} focusKey={Object.keys(missing).length > 0 ? missing : state} />
      {callbackPath && <input type="hidden" name="callbackUrl" value={callbackPath} />}
      {fields.map((field) => (
        <Field
          key={field.name}
          name={field.name}
          label={field.label}
          hint={field.hint}
          type={field.type ?? 'text'}
          autoComplete={field.autoComplete}
          autoCapitalize="none"
          spellCheck={false}
          defaultValue={state.values?.[field.name]}
          errors={errorsOf(field.name)}
        />
      ))}
      <PasswordInputWithCapsLock name="password" label="Password" autoComplete="current-password" errors={errorsOf('password')} />
      <button className="button" type="submit" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
