import type { InputHTMLAttributes, ReactNode, Ref, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';

type FrameProps = {
  id: string;
  label: string;
  hint?: string;
  errors?: string[];
  /** The control, given the attributes that tie it to its hint and errors. */
  children: (aria: { 'aria-describedby'?: string; 'aria-invalid'?: true }) => ReactNode;
};

/** Label, hint and errors around one control, wired for screen readers (GOV.UK pattern). */
function FieldFrame({ id, label, hint, errors, children }: FrameProps) {
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
      {children({
        'aria-describedby': [hintId, errorId].filter(Boolean).join(' ') || undefined,
        'aria-invalid': errors?.length ? true : undefined,
      })}
    </div>
  );
}

type Labelled = { name: string; label: string; hint?: string; errors?: string[] };

type WithSuffix = {
  /**
   * A control beside the input (a show-password button), kept on its line. Given at all (even as
   * `false` until the page's script runs), the input sits in the same wrapper throughout: a wrapper
   * added at hydration made React replace the input, and what was typed before it (and the focus) was lost.
   */
  suffix?: ReactNode;
};

/** A labelled input with its hint and errors. */
export function Field({ name, label, hint, errors, id = name, suffix, ...input }: InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement> } & Labelled & WithSuffix) {
  return (
    <FieldFrame id={id} label={label} hint={hint} errors={errors}>
      {(aria) =>
        suffix !== undefined ? (
          <div className="input-with-suffix">
            <input id={id} name={name} {...aria} {...input} />
            {suffix}
          </div>
        ) : (
          <input id={id} name={name} {...aria} {...input} />
        )
      }
    </FieldFrame>
  );
}

type Option = { value: string; label: string };

/** A labelled drop-down with its hint and errors. */
export function SelectField({ name, label, hint, errors, id = name, options, ...select }: SelectHTMLAttributes<HTMLSelectElement> & Labelled & { options: Option[] }) {
  return (
    <FieldFrame id={id} label={label} hint={hint} errors={errors}>
      {(aria) => (
        <select id={id} name={name} {...aria} {...select}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

/**
 * A labelled multi-line field with its hint and errors. What is written in it is the writer's own: the
 * browser keeps none of it to give back to whoever presses Back next on a shared computer (review r52c F1).
 */
export function TextAreaField({ name, label, hint, errors, id = name, rows = 5, ...textarea }: TextareaHTMLAttributes<HTMLTextAreaElement> & Labelled) {
  return (
    <FieldFrame id={id} label={label} hint={hint} errors={errors}>
      {(aria) => <textarea id={id} name={name} rows={rows} autoComplete="off" {...aria} {...textarea} />}
    </FieldFrame>
  );
}
