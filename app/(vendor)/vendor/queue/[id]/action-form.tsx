'use client';

import { useActionState } from 'react';
import { DrawnFor } from '@/components/auth/drawn-for';
import { CheckboxField } from '@/components/ui/checkbox-field';
import { summaryOf } from '@/components/ui/form-errors';
import { TextAreaField } from '@/components/ui/field';
import { ErrorSummary } from '@/components/ui/error-summary';
import type { ActionState } from '@/lib/auth/guards';

export type FieldSpec =
  | { kind: 'textarea'; name: string; label: string; hint?: string; defaultValue?: string }
  | { kind: 'checkbox'; name: string; label: string; hint?: string; defaultChecked?: boolean };

type Props = {
  action: (previous: ActionState, formData: FormData) => Promise<ActionState>;
  requestId: string;
  submitLabel: string;
  /** Distinguishes field ids when a page has several forms. */
  idPrefix: string;
  fields?: FieldSpec[];
  /** What the page showed that the step must still find (the claimer a claim would take over). */
  seen?: Record<string, string>;
  secondary?: boolean;
};

/** One step of the workflow: a small form whose refusal (and why) shows above it. */
export function ActionForm({ action, requestId, submitLabel, idPrefix, fields = [], seen = {}, secondary }: Props) {
  const [state, formAction, pending] = useActionState<ActionState, FormData>(action, { ok: false });
  const errors = state.fieldErrors ?? {};
  const summary = summaryOf(state, fields.map((f) => f.name)).map((entry) => ({
    ...entry,
    field: entry.field && fields.some((f) => f.name === entry.field) ? `${idPrefix}-${entry.field}` : undefined,
  }));
  return (
    // `key` re-mounts the fields with what was typed after a refusal (React resets a form after its action).
    <form action={formAction} noValidate key={JSON.stringify(state.values ?? {})}>
      <DrawnFor />
      <ErrorSummary errors={summary} focusKey={state} title={summary.length === 1 && !summary[0]!.field ? 'This could not be done' : undefined} />
      <input type="hidden" name="requestId" value={requestId} />
      {Object.entries(seen).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {fields.map((field) =>
        field.kind === 'textarea' ? (
          <TextAreaField key={field.name} id={`${idPrefix}-${field.name}`} name={field.name} label={field.label} hint={field.hint} defaultValue={state.values?.[field.name] ?? field.defaultValue} errors={errors[field.name]} rows={4} />
        ) : (
          <CheckboxField key={field.name} id={`${idPrefix}-${field.name}`} name={field.name} label={field.label} hint={field.hint} defaultChecked={state.values ? state.values[field.name] !== undefined : field.defaultChecked} errors={errors[field.name]} />
        ),
      )}
      <button className={secondary ? 'button secondary' : 'button'} type="submit" disabled={pending}>
        {pending ? 'Working…' : submitLabel}
      </button>
    </form>
  );
}
