'use client';

import { createContext, useActionState, useContext, useId, type ReactNode } from 'react';
import { DrawnFor } from '@/components/auth/drawn-for';
import { useHydrated } from '@/components/help/use-hydrated';
import { ActionNotices, useNotify } from '@/components/ui/action-notices';
import { CheckboxField } from '@/components/ui/checkbox-field';
import { ErrorSummary } from '@/components/ui/error-summary';
import { Field, SelectField, TextAreaField } from '@/components/ui/field';
import styles from '@/components/status/status.module.css';
import type { ActionState } from '@/lib/auth/guards';

type Action = (previous: ActionState, formData: FormData) => Promise<ActionState>;

// Each form's fields get ids under the form's own prefix: a page holds many forms with the same field names.
const FormState = createContext<{ state: ActionState; prefix: string }>({ state: { ok: false }, prefix: '' });

/** The page's confirmations: a form may vanish once its action succeeds (a resolved incident, an ended window). */
export function OperatorNotices({ children }: { children: ReactNode }) {
  return <ActionNotices className={styles.noticeArea}>{children}</ActionNotices>;
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
  const notify = useNotify();
  const hydrated = useHydrated();
  const prefix = useId().replace(/:/g, '');
  // Without JavaScript the form posts to the server action itself: a refusal comes back as the page with
  // its answer, a success as the page reloaded with a note of what was done (decision 060).
  const [servedState, servedAction] = useActionState<ActionState, FormData>(action, { ok: false });
  // With it, a success also goes to the page's notices as it arrives: the same answer may take this
  // form off the page (a resolved incident, an ended window), and it must still be told.
  const [liveState, liveAction, pending] = useActionState<ActionState, FormData>(async (previous, formData) => {
    const result = await action(previous, formData);
    if (result.ok && result.message) notify({ ok: true, message: result.message });
    return result;
  }, { ok: false });
  const state = hydrated ? liveState : servedState;
  const formAction = hydrated ? liveAction : servedAction;
  return (
    <FormState.Provider value={{ state, prefix }}>
      {/* `key` re-mounts the fields with what was typed after a refusal (React resets a form after its action). */}
      <form action={formAction} noValidate className={inline ? styles.inlineForm : undefined} key={JSON.stringify(state.values ?? {})}>
        <DrawnFor />
        <ErrorSummary state={state} idPrefix={prefix} />
        {children}
        <button className={secondary ? 'button secondary' : 'button'} type="submit" disabled={pending}>
          {submit}
        </button>
      </form>
    </FormState.Provider>
  );
}

/** The field's id, its messages, and what was typed in it before a refusal (undefined otherwise). */
function useField(name: string) {
  const { state, prefix } = useContext(FormState);
  return { id: `${prefix}-${name}`, errors: state.fieldErrors?.[name], typed: state.values?.[name], refused: state.values !== undefined };
}

export function TextField(props: { name: string; label: string; hint?: string; type?: string; defaultValue?: string }) {
  const { id, errors, typed, refused } = useField(props.name);
  return <Field {...props} id={id} errors={errors} defaultValue={refused ? typed : props.defaultValue} />;
}

export function TextArea({ name, label, hint }: { name: string; label: string; hint?: string }) {
  const { id, errors, typed } = useField(name);
  return <TextAreaField id={id} name={name} label={label} hint={hint} errors={errors} rows={3} defaultValue={typed} />;
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
  const { id, errors, typed, refused } = useField(name);
  return <SelectField id={id} name={name} label={label} options={options} errors={errors} defaultValue={refused ? typed : defaultValue} />;
}

export function ComponentCheckboxes({ components }: { components: { id: string; name: string }[] }) {
  const { id, errors } = useField('components');
  const { state } = useContext(FormState);
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <fieldset className={styles.checkboxes} id={id} tabIndex={-1} aria-describedby={errorId}>
      <legend>Affected components</legend>
      {errors?.map((message) => (
        <span className="field-error" id={errorId} key={message}>
          <span className="visually-hidden">Error: </span>
          {message}
        </span>
      ))}
      {components.map((component) => (
        <label className={styles.checkbox} key={component.id} htmlFor={`${id}-${component.id}`}>
          <input type="checkbox" id={`${id}-${component.id}`} name={`component-${component.id}`} defaultChecked={state.values?.[`component-${component.id}`] !== undefined} />
          {component.name}
        </label>
      ))}
    </fieldset>
  );
}

export function Checkbox({ name, label }: { name: string; label: string }) {
  const { id, errors, typed } = useField(name);
  return <CheckboxField id={id} name={name} label={label} value="on" errors={errors} defaultChecked={typed !== undefined} />;
}
