'use client';

import { createContext, useActionState, useCallback, useContext, useId, useState, type ReactNode } from 'react';
import { ErrorSummary } from '@/components/ui/error-summary';
import { Field } from '@/components/ui/field';
import styles from '@/components/status/status.module.css';
import type { ActionState } from '@/lib/auth/guards';

type Action = (previous: ActionState, formData: FormData) => Promise<ActionState>;

// Each form's fields get ids under the form's own prefix: a page holds many forms with the same field names.
const FormState = createContext<{ state: ActionState; prefix: string }>({ state: { ok: false }, prefix: '' });
const Notify = createContext<(message: string) => void>(() => {});

/**
 * Holds the last confirmation for the whole page: a form may vanish once its action succeeds
 * (a resolved incident, an ended window), and its confirmation must not vanish with it.
 */
export function OperatorNotices({ children }: { children: ReactNode }) {
  const [notice, setNotice] = useState<{ message: string; at: number } | null>(null);
  const notify = useCallback((message: string) => setNotice({ message, at: Date.now() }), []);
  return (
    <Notify.Provider value={notify}>
      <div className={styles.noticeArea} role="status">
        {notice && (
          <p className="notice success" key={notice.at}>
            {notice.message}
          </p>
        )}
      </div>
      {children}
    </Notify.Provider>
  );
}

/** A server action's form: the error summary on top (linking to fields), errors beside fields, the confirmation in OperatorNotices. */
export function ActionForm({
  action,
  submit,
  secondary,
  inline,
  children,
}: {
  action: Action;
  submit: string;
  secondary?: boolean;
  inline?: boolean;
  children?: ReactNode;
}) {
  const notify = useContext(Notify);
  const prefix = useId();
  const [state, formAction, pending] = useActionState<ActionState, FormData>(async (previous, formData) => {
    const result = await action(previous, formData);
    if (result.ok && result.message) notify(result.message);
    return result;
  }, { ok: false });
  const summary = Object.entries(state.fieldErrors ?? {}).flatMap(([field, messages]) => (messages ?? []).map((message) => ({ field, message })));
  if (!state.ok && state.message && summary.length === 0) summary.push({ field: '', message: state.message });
  return (
    <FormState.Provider value={{ state, prefix }}>
      <form action={formAction} noValidate className={inline ? styles.inlineForm : undefined}>
        <ErrorSummary errors={summary.map(({ field, message }) => ({ field: field ? `${prefix}-${field}` : undefined, message }))} />
        {children}
        <button className={secondary ? 'button secondary' : 'button'} type="submit" disabled={pending}>
          {submit}
        </button>
      </form>
    </FormState.Provider>
  );
}

function useField(name: string) {
  const { state, prefix } = useContext(FormState);
  return { id: `${prefix}-${name}`, errors: state.fieldErrors?.[name] };
}

export function TextField(props: { name: string; label: string; hint?: string; type?: string; defaultValue?: string }) {
  const { id, errors } = useField(props.name);
  return <Field {...props} id={id} errors={errors} />;
}

export function TextArea({ name, label, hint }: { name: string; label: string; hint?: string }) {
  const { id, errors } = useField(name);
  return (
    <div className={errors?.length ? 'field has-error' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint && <span className="hint">{hint}</span>}
      {errors?.map((message) => (
        <span className="field-error" key={message}>
          <span className="visually-hidden">Error: </span>
          {message}
        </span>
      ))}
      <textarea id={id} name={name} rows={3} aria-invalid={errors?.length ? true : undefined} />
    </div>
  );
}

export function Select({
  name,
  label,
  options,
  defaultValue,
}: {
  name: string;
  label: string;
  options: { value: string; label: string }[];
  defaultValue?: string;
}) {
  const { id, errors } = useField(name);
  return (
    <div className={errors?.length ? 'field has-error' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {errors?.map((message) => (
        <span className="field-error" key={message}>
          {message}
        </span>
      ))}
      <select id={id} name={name} defaultValue={defaultValue}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function ComponentCheckboxes({ components }: { components: { id: string; name: string }[] }) {
  const { id, errors } = useField('components');
  return (
    <fieldset className={styles.checkboxes} id={id} tabIndex={-1}>
      <legend>Affected components</legend>
      {errors?.map((message) => (
        <span className="field-error" key={message}>
          {message}
        </span>
      ))}
      {components.map((component) => (
        <label className={styles.checkbox} key={component.id} htmlFor={`${id}-${component.id}`}>
          <input type="checkbox" id={`${id}-${component.id}`} name={`component-${component.id}`} />
          {component.name}
        </label>
      ))}
    </fieldset>
  );
}

export function Checkbox({ name, label }: { name: string; label: string }) {
  const { id } = useField(name);
  return (
    <label className={styles.checkbox} htmlFor={id}>
      <input type="checkbox" id={id} name={name} />
      {label}
    </label>
  );
}
