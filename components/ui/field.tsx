import type { InputHTMLAttributes } from 'react';

type FieldProps = InputHTMLAttributes<HTMLInputElement> & {
  name: string;
  label: string;
  hint?: string;
  errors?: string[];
};

/** A labelled input with its hint and errors, wired for screen readers. */
export function Field({ name, label, hint, errors, id = name, ...input }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <div className={errors?.length ? 'field has-error' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <span className="hint" id={hintId}>
          {hint}
        </span>
      )}
      {errors?.map((message) => (
        <span className="field-error" id={errorId} key={message}>
          <span className="visually-hidden">Error: </span>
          {message}
        </span>
      ))}
      <input
        id={id}
        name={name}
        aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
        aria-invalid={errors?.length ? true : undefined}
        {...input}
      />
    </div>
  );
}
