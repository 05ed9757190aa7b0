import type { TextareaHTMLAttributes } from 'react';

type Props = TextareaHTMLAttributes<HTMLTextAreaElement> & { name: string; label: string; hint?: string; errors?: string[] };

/** A labelled multi-line field, wired like components/ui/field.tsx. */
export function TextAreaField({ name, label, hint, errors, id = name, rows = 5, ...textarea }: Props) {
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
      <textarea
        id={id}
        name={name}
        rows={rows}
        aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
        aria-invalid={errors?.length ? true : undefined}
        {...textarea}
      />
    </div>
  );
}
