import type { InputHTMLAttributes } from 'react';
import styles from './checkbox-field.module.css';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'type'> & { name: string; label: string; hint?: string; errors?: string[] };

/** One checkbox with its label beside it (a large tap target), its hint and errors. */
export function CheckboxField({ name, label, hint, errors, id = name, value = 'yes', ...input }: Props) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <div className={`${styles.checkboxField} ${errors?.length ? 'field has-error' : 'field'}`}>
      {errors?.map((message) => (
        <span className="field-error" id={errorId} key={message}>
          <span className="visually-hidden">Error: </span>
          {message}
        </span>
      ))}
      <div className={styles.checkbox}>
        <input
          type="checkbox"
          id={id}
          name={name}
          value={value}
          aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
          aria-invalid={errors?.length ? true : undefined}
          {...input}
        />
        <label htmlFor={id}>
          {label}
          {hint && (
            <span className="hint" id={hintId}>
              {hint}
            </span>
          )}
        </label>
      </div>
    </div>
  );
}
