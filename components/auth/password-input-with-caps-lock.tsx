'use client';

import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useHydrated } from '@/components/help/use-hydrated';
import { Field } from '@/components/ui/field';

type Props = {
  name: string;
  label: string;
  autoComplete: 'current-password' | 'new-password';
  errors?: string[];
  hint?: string;
};

/**
 * A password field that warns, while it has focus, that Caps Lock is on (guide step 1), with a
 * show-password toggle. The toggle only switches the input's type: the typed value stays in the
 * input alone (no copy in state, nothing sent anywhere).
 */
export function PasswordInputWithCapsLock({ name, label, autoComplete, errors, hint }: Props) {
  const [capsLock, setCapsLock] = useState(false);
  const [focused, setFocused] = useState(false);
  const [shown, setShown] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  // The button does nothing without JavaScript, so it appears only once it can work.
  const hydrated = useHydrated();
  const track = (event: KeyboardEvent<HTMLInputElement>) => setCapsLock(event.getModifierState('CapsLock'));

  useEffect(() => {
    const form = input.current?.form;
    if (!form) return;
    // Sent as type="text", a browser may keep the password in its autofill history for text fields.
    const hideBeforeSending = () => {
      if (input.current) input.current.type = 'password';
      setShown(false);
    };
    form.addEventListener('submit', hideBeforeSending, { capture: true });
    return () => form.removeEventListener('submit', hideBeforeSending, { capture: true });
  }, []);

  return (
    <div>
      <Field
        ref={input}
        name={name}
        label={label}
        hint={hint}
        type={shown ? 'text' : 'password'}
        autoComplete={autoComplete}
        autoCapitalize="none"
        autoCorrect="off"
        errors={errors}
        spellCheck={false}
        onKeyDown={track}
        onKeyUp={track}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        suffix={
          hydrated && (
            <button type="button" className="button secondary show-password" aria-pressed={shown} aria-controls={name} onClick={() => setShown((now) => !now)}>
              Show<span className="visually-hidden"> {label.toLowerCase()}</span>
            </button>
          )
        }
      />
      <div aria-live="polite">
        {focused && capsLock && (
          <p className="caps-warning" data-testid={`${name}-caps-lock`}>
            Caps Lock is on. Passwords are case-sensitive.
          </p>
        )}
      </div>
    </div>
  );
}

/** The new password and its confirmation, with the one hint on length every form that sets a password gives. */
export function NewPasswordFields({ minLength, errors }: { minLength: number; errors: Record<string, string[] | undefined> }) {
  return (
    <>
      <PasswordInputWithCapsLock
        name="newPassword"
        label="New password"
        autoComplete="new-password"
        hint={`At least ${minLength} characters. Try three or four unrelated words, like "copper lantern rainy tulip".`}
        errors={errors.newPassword}
      />
      <PasswordInputWithCapsLock name="confirmPassword" label="Confirm new password" autoComplete="new-password" errors={errors.confirmPassword} />
    </>
  );
}
