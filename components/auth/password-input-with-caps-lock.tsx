'use client';

import { useState, type KeyboardEvent } from 'react';
import { Field } from '@/components/ui/field';

type Props = {
  name: string;
  label: string;
  autoComplete: 'current-password' | 'new-password';
  errors?: string[];
  hint?: string;
};

/** A password field that warns, while it has focus, that Caps Lock is on (guide step 1). */
export function PasswordInputWithCapsLock({ name, label, autoComplete, errors, hint }: Props) {
  const [capsLock, setCapsLock] = useState(false);
  const [focused, setFocused] = useState(false);
  const track = (event: KeyboardEvent<HTMLInputElement>) => setCapsLock(event.getModifierState('CapsLock'));
  return (
    <div>
      <Field
        name={name}
        label={label}
        hint={hint}
        type="password"
        autoComplete={autoComplete}
        errors={errors}
        spellCheck={false}
        onKeyDown={track}
        onKeyUp={track}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
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
