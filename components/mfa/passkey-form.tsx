'use client';

import { browserSupportsWebAuthnAutofill, startAuthentication, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import { useActionState, useEffect, useRef, useState } from 'react';
import { DrawnFor, formDataDrawnFor } from '@/components/auth/drawn-for';
import { PasskeyButton, submitWithPasskey, type PasskeyOptionsAction } from '@/components/mfa/passkey-button';
import type { ActionState } from '@/lib/auth/guards';

type Props = {
  /** Verifies the answer: signs in, finishes /login/verify. */
  action: (previous: ActionState, formData: FormData) => Promise<ActionState>;
  optionsAction: PasskeyOptionsAction;
  label: string;
  /** Where to continue after a passwordless sign-in (checked again by the server). */
  callbackPath?: string;
  primary?: boolean;
  /** Also offer the passkeys in the browser's autofill of the field marked `autocomplete="username webauthn"`. */
  autofill?: boolean;
};

/** A form whose only input is a passkey: "Sign in with a passkey", "Use a passkey". */
export function PasskeyForm({ action, optionsAction, label, callbackPath, primary, autofill = false }: Props) {
  const [state, formAction] = useActionState<ActionState, FormData>(action, { ok: true });
  const [clientError, setClientError] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (!autofill) return;
    let live = true;
    let started = false;
    const start = async () => {
      // Conditional mediation: the browser lists passkeys under the login field and asks nothing until one is picked.
      if (!(await browserSupportsWebAuthnAutofill())) return;
      const result = await optionsAction({ ok: false }, formDataDrawnFor(formRef.current));
      if (!live || !result.ok || !result.options) return;
      const answer = await startAuthentication({ optionsJSON: result.options as PublicKeyCredentialRequestOptionsJSON, useBrowserAutofill: true });
      if (live && formRef.current) submitWithPasskey(formRef.current, answer);
    };
    // Started when the login field first gets focus, not on load: a view of the sign-in page
    // then costs no challenge row, and the offer is there when the person reaches the field.
    const onFocus = (event: FocusEvent) => {
      const field = event.target;
      if (started || !(field instanceof HTMLInputElement) || !/\bwebauthn\b/.test(field.autocomplete)) return;
      started = true;
      start().catch(() => {
        // Cancelled when the button starts its own ceremony, or the page is left: nothing to tell.
      });
    };
    document.addEventListener('focusin', onFocus);
    return () => {
      live = false;
      document.removeEventListener('focusin', onFocus);
    };
  }, [autofill, optionsAction]);
  const message = clientError ?? (!state.ok ? state.message : null);
  return (
    <form action={formAction} ref={formRef}>
      <DrawnFor />
      {message && (
        <p className="notice warning" role="alert">
          {message}
        </p>
      )}
      <input type="hidden" name="passkey" />
      {callbackPath && <input type="hidden" name="callbackUrl" value={callbackPath} />}
      <PasskeyButton mode="authenticate" optionsAction={optionsAction} label={label} onError={setClientError} primary={primary} />
      <noscript>
        <p>A passkey needs JavaScript, which is off in this browser. Use your password instead.</p>
      </noscript>
    </form>
  );
}
