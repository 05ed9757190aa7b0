'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { PasswordInputWithCapsLock } from '@/components/auth/password-input-with-caps-lock';
import { signInMessage } from '@/components/auth/sign-in-messages';
import { ErrorSummary } from '@/components/ui/error-summary';
import { Field } from '@/components/ui/field';

export type IdentifierField = {
  name: string;
  label: string;
  hint?: string;
  type?: 'text' | 'email';
  autoComplete: string;
  /** Shown when the field is left empty. */
  required: string;
};

type Props = { provider: 'agency' | 'vendor'; fields: IdentifierField[]; callbackPath: string };

const PASSWORD_REQUIRED = 'Enter your password';

/** Credentials sign-in; the server answers every refusal with one generic message. */
export function SignInForm({ provider, fields, callbackPath }: Props) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const values = Object.fromEntries([...fields.map((f) => f.name), 'password'].map((n) => [n, String(form.get(n) ?? '')]));
    const missing: Record<string, string> = {};
    for (const field of fields) if (!values[field.name]?.trim()) missing[field.name] = field.required;
    if (!values.password) missing.password = PASSWORD_REQUIRED;
    setFieldErrors(missing);
    setFormError(null);
    if (Object.keys(missing).length > 0) return;

    setPending(true);
    const result = await signIn(provider, { ...values, redirect: false });
    if (result?.ok && !result.error) {
      router.replace(callbackPath);
      router.refresh();
      return;
    }
    setPending(false);
    setFormError(signInMessage(result?.error));
  }

  const summary = [
    ...Object.entries(fieldErrors).map(([field, message]) => ({ field, message })),
    ...(formError ? [{ message: formError }] : []),
  ];
  const errorsOf = (name: string) => (fieldErrors[name] ? [fieldErrors[name]] : undefined);

  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary errors={summary} />
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
