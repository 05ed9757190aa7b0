'use client';

import { useState, type KeyboardEvent } from 'react';
import { Field } from '@/components/ui/field';
import { useHydrated } from './use-hydrated';

/** Step 1's try-it box: the same Caps Lock reading the sign-in page uses, on a harmless field. */
export function CapsLockTryIt() {
  const hydrated = useHydrated();
  const [capsLock, setCapsLock] = useState<boolean | null>(null);
  if (!hydrated) return null;
  const track = (event: KeyboardEvent<HTMLInputElement>) => setCapsLock(event.getModifierState('CapsLock'));
  return (
    <div className="try-it no-print">
      <Field
        name="capsLockTry"
        label="Try it here"
        hint="Type a few letters. Do not type your password."
        type="text"
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        onKeyDown={track}
        onKeyUp={track}
      />
      <div role="status">
        {capsLock === true && (
          <p className="caps-warning" data-testid="try-caps-lock">
            Caps Lock is on. Passwords are case-sensitive.
          </p>
        )}
        {capsLock === false && <p>Caps Lock is off.</p>}
      </div>
    </div>
  );
}
