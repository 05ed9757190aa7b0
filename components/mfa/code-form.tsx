'use client';

import { useActionState, useId, useState } from 'react';
import { DrawnFor } from '@/components/auth/drawn-for';
import { PasskeyButton, type PasskeyOptionsAction } from '@/components/mfa/passkey-button';
import { ErrorSummary } from '@/components/ui/error-summary';
import { Field } from '@/components/ui/field';
import type { ActionState } from '@/lib/auth/guards';

type State = ActionState & { recoveryCodes?: string[] };

/** `refill`: typed again into the form after a refusal (a name, never a code: a refused code is retyped). */
export type FieldSpec = { name: string; label: string; hint?: string; inputMode?: 'numeric' | 'text'; type?: 'password'; autoComplete?: string; refill?: boolean };

type Props = {
  action: (previous: State, formData: FormData) => Promise<State>;
  submitLabel: string;
  /** The one typed field; omitted for forms that only confirm a choice. */
  field?: FieldSpec;
  /** A second typed field after it: the fresh factor a change asks for (its passkey is `passkeyOptions`). */
  freshField?: FieldSpec;
  hidden?: Record<string, string>;
  /** After a success, a link on instead of the form (the page behind it has changed). */
  doneHref?: string;
  /** Offers "Use a passkey instead" for the typed code: a fresh factor from the account's passkey. */
  passkeyOptions?: PasskeyOptionsAction;
  /** Shows only a success's answer, no form: the form's step is over, but its answer may still be due. */
  answerOnly?: boolean;
};

/** One small form of the second-factor pages; works without JavaScript (a plain POST). */
export function CodeForm({ action, submitLabel, field, freshField, hidden = {}, doneHref, passkeyOptions, answerOnly }: Props) {
  const [state, formAction, pending] = useActionState<State, FormData>(action, { ok: false });
  const [passkeyError, setPasskeyError] = useState<string | null>(null);
  const id = useId().replace(/:/g, '');
  const typed = [field, freshField].flatMap((spec) => (spec ? [{ spec, id: `${spec.name}-${id}`, errors: state.fieldErrors?.[spec.name] }] : []));
  // The summary links to the first field that has a message.
  const wrongFieldId = typed.find((entry) => entry.errors?.length)?.id;
  if (state.ok && doneHref) {
    return <FactorAdded message={state.message} recoveryCodes={state.recoveryCodes} doneHref={doneHref} />;
  }
  if (answerOnly) {
    return state.message ? (
      <p className="notice warning" role="alert">
        {state.message}
      </p>
    ) : null;
  }
  return (
    <form action={formAction} noValidate>
      <DrawnFor />
      {passkeyError ? (
        <ErrorSummary errors={[{ message: passkeyError }]} focusKey={passkeyError} />
      ) : (
        !state.ok && state.message && <ErrorSummary errors={[{ field: wrongFieldId, message: state.message }]} focusKey={state} />
      )}
      {state.ok && state.message && (
        <p className="notice success" role="status">
          {state.message}
        </p>
      )}
      {state.recoveryCodes && <RecoveryCodes codes={state.recoveryCodes} />}
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {typed.map(({ spec, id: fieldId, errors }) => (
        <TypedField key={spec.name} spec={spec} id={fieldId} errors={errors} defaultValue={spec.refill ? state.values?.[spec.name] : undefined} />
      ))}
      <button className="button" type="submit" disabled={pending}>
        {submitLabel}
      </button>
      {passkeyOptions && (
        <>
          <input type="hidden" name="passkey" />{' '}
          <PasskeyButton mode="authenticate" optionsAction={passkeyOptions} label="Use a passkey instead" onError={setPasskeyError} />
        </>
      )}
    </form>
  );
}

/** A typed field of the second-factor forms (a code, a password, a name): never spell-checked, no autofill unless the spec asks for one. */
export function TypedField({ spec, id, errors, defaultValue }: { spec: FieldSpec; id: string; errors?: string[]; defaultValue?: string }) {
  return (
    <Field
      id={id}
      name={spec.name}
      label={spec.label}
      hint={spec.hint}
      errors={errors}
      inputMode={spec.inputMode}
      type={spec.type}
      autoComplete={spec.autoComplete ?? 'off'}
      spellCheck={false}
      defaultValue={defaultValue}
    />
  );
}

/** A factor added: its message, the recovery codes if this was the first, and a link on. */
export function FactorAdded({ message, recoveryCodes, doneHref }: { message?: string; recoveryCodes?: string[]; doneHref: string }) {
  return (
    <>
      <p className="notice success" role="status">
        {message}
      </p>
      {recoveryCodes && <RecoveryCodes codes={recoveryCodes} />}
      <p>
        <a className="button" href={doneHref}>
          {recoveryCodes ? 'I have saved my recovery codes' : 'Continue'}
        </a>
      </p>
    </>
  );
}

export function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <section className="notice warning" aria-labelledby="recovery-codes-title">
      <h2 id="recovery-codes-title">Your recovery codes</h2>
      <p>
        Print them or write them down now and keep them somewhere safe: this is the only time they are shown. Each works once,
        if you lose your phone or passkey.
      </p>
      <ul className="recovery-codes" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
    </section>
  );
}
